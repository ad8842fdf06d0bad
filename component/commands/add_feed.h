#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "routing/feed_service.h"

namespace herald::component {
class FeedGateway;
}  // namespace herald::component

namespace herald::component::commands {

// Subscribes the person to an RSS or Atom feed (one shared topic per URL);
// a feed nobody followed before starts being polled once committed.
class AddFeed {
public:
    struct Input {
        std::string url;
        std::optional<std::int64_t> interval_seconds;  // the feed service's default when not given
    };
    using Outcome = routing::FeedAdded;

    explicit AddFeed(FeedGateway& feeds) : feeds_(&feeds) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;
    void committed(const routing::Actor& actor, const Outcome& outcome) const;

private:
    FeedGateway* feeds_;
};

}  // namespace herald::component::commands
