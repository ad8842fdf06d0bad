#include "component/commands/unsubscribe.h"

namespace herald::component::commands {

Unsubscribe::Outcome Unsubscribe::run(storage::Repositories& repos, const routing::Actor& actor,
                                      const Input& input) const {
    for (const auto& topic : input.topics) service_->unsubscribe(repos, actor, topic, actor.jid);
    return {input.topics};
}

}  // namespace herald::component::commands
