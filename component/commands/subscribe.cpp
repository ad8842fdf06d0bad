#include "component/commands/subscribe.h"

namespace herald::component::commands {

Subscribe::Outcome Subscribe::run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const {
    service_->subscribe(repos, actor, input.topic, actor.jid);
    return {input.topic};
}

}  // namespace herald::component::commands
