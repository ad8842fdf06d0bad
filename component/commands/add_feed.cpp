#include "component/commands/add_feed.h"

#include "component/feed_gateway.h"

namespace herald::component::commands {

AddFeed::Outcome AddFeed::run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const {
    return feeds_->service().add(repos, actor, input.url, input.interval_seconds);
}

void AddFeed::committed(const routing::Actor&, const Outcome& outcome) const { feeds_->added(outcome); }

}  // namespace herald::component::commands
