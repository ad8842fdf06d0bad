#include "component/commands/subscriptions.h"

namespace herald::component::commands {

using herald::routing::PubsubService;

Subscriptions::Outcome Subscriptions::run(storage::Repositories& repos, const routing::Actor& actor,
                                          const Input& input) const {
    auto topics = service_->subscriptions(repos, actor);
    if (!input.with_inbox) std::erase(topics, PubsubService::inbox_of(actor.jid));
    return {std::move(topics)};
}

}  // namespace herald::component::commands
