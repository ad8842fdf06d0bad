#include "component/commands/stats.h"

#include "routing/router.h"

namespace herald::component::commands {

Stats::Outcome Stats::run(storage::Repositories& repos, const routing::Actor& actor, const Input&) const {
    return {service_->stats(repos, actor)};
}

void Stats::committed(const routing::Actor&, Outcome& outcome) const {
    outcome.online_users = static_cast<std::int64_t>(router_->avatar_count());
    outcome.uptime_seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_).count();
}

}  // namespace herald::component::commands
