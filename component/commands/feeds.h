#pragma once

#include <vector>

#include "routing/feed_service.h"

namespace herald::component {
class FeedGateway;
}  // namespace herald::component

namespace herald::component::commands {

// The feeds the person follows.
class Feeds {
public:
    struct Input {};
    struct Outcome {
        std::vector<storage::Feed> feeds;
    };

    explicit Feeds(const FeedGateway& feeds) : feeds_(&feeds) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;

private:
    const FeedGateway* feeds_;
};

}  // namespace herald::component::commands
