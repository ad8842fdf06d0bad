#include "component/commands/create_topic.h"

namespace herald::component::commands {

CreateTopic::Outcome CreateTopic::run(storage::Repositories& repos, const routing::Actor& actor,
                                      const Input& input) const {
    service_->create_node(repos, actor, input.topic, input.publish_model);
    return {input.topic};
}

}  // namespace herald::component::commands
