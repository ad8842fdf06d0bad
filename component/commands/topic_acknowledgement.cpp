#include "component/commands/topic_acknowledgement.h"

namespace herald::component::commands {

TopicAcknowledgement::Outcome TopicAcknowledgement::run(storage::Repositories& repos, const routing::Actor& actor,
                                                        const Input& input) const {
    if (input.required) service_->set_ack_default(repos, actor, input.topic, *input.required);
    return {input.topic, service_->ack_default(repos, actor, input.topic)};
}

}  // namespace herald::component::commands
