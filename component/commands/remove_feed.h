#pragma once

#include <string>

#include "routing/feed_service.h"

namespace herald::component {
class FeedGateway;
}  // namespace herald::component

namespace herald::component::commands {

// Unsubscribes the person from a feed; a feed nobody follows any more
// stops being polled once committed.
class RemoveFeed {
public:
    struct Input {
        std::string url;
    };
    using Outcome = routing::FeedRemoved;

    explicit RemoveFeed(FeedGateway& feeds) : feeds_(&feeds) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;
    void committed(const routing::Actor& actor, const Outcome& outcome) const;

private:
    FeedGateway* feeds_;
};

}  // namespace herald::component::commands
