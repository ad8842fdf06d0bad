#include "component/commands/pause.h"

#include "routing/router.h"

namespace herald::component::commands {

Pause::Outcome Pause::run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const {
    return {service_->set_paused(repos, actor, input.paused)};
}

void Pause::committed(const routing::Actor& actor, const Outcome& outcome) const {
    router_->on_preferences(actor.jid, outcome.preferences);
}

}  // namespace herald::component::commands
