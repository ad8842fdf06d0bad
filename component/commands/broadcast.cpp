#include "component/commands/broadcast.h"

#include "routing/router.h"
#include "text/clock.h"

namespace herald::component::commands {

Broadcast::Outcome Broadcast::run(storage::Repositories& repos, const routing::Actor& actor,
                                  const Input& input) const {
    return service_->broadcast(repos, actor, input.title, input.text, text::now_ms());
}

void Broadcast::committed(const routing::Actor&, const Outcome& outcome) const {
    metrics_->published();
    router_->on_published(outcome);
}

}  // namespace herald::component::commands
