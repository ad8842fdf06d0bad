#include "component/commands/feeds.h"

#include "component/feed_gateway.h"

namespace herald::component::commands {

Feeds::Outcome Feeds::run(storage::Repositories& repos, const routing::Actor& actor, const Input&) const {
    return {feeds_->service().feeds_of(repos, actor)};
}

}  // namespace herald::component::commands
