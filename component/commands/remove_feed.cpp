#include "component/commands/remove_feed.h"

#include "component/feed_gateway.h"

namespace herald::component::commands {

RemoveFeed::Outcome RemoveFeed::run(storage::Repositories& repos, const routing::Actor& actor,
                                    const Input& input) const {
    return feeds_->service().remove(repos, actor, input.url);
}

void RemoveFeed::committed(const routing::Actor&, const Outcome& outcome) const { feeds_->removed(outcome); }

}  // namespace herald::component::commands
