#include "component/commands/set_publisher.h"

namespace herald::component::commands {

SetPublisher::Outcome SetPublisher::run(storage::Repositories& repos, const routing::Actor& actor,
                                        const Input& input) const {
    service_->set_affiliations(repos, actor, input.topic, {{input.jid, input.allow ? "publisher" : "none"}});
    return input;
}

}  // namespace herald::component::commands
