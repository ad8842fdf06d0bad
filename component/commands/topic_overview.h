#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "routing/feed_service.h"

namespace herald::component {
class FeedGateway;
}  // namespace herald::component

namespace herald::component::commands {

// What the person follows and what else there is: the first of their
// subscriptions, their feeds, and the first other public topics (feeds
// left out), those containing a word when one is given.
class TopicOverview {
public:
    struct Input {
        std::string search;
    };
    struct Outcome {
        std::vector<std::string> subscribed;  // the first few (containing `search` when given)
        std::size_t more_subscribed = 0;
        std::vector<storage::Feed> feeds;  // subscribed too
        std::vector<std::string> others;   // public topics not subscribed to, the first few
        std::int64_t more_others = 0;      // at most this many more of them
        std::string search;                // what they contain, when asked for
    };

    static constexpr std::size_t kMaxOthersListed = 30;
    // A user may follow any number of topics; one answer names this many.
    static constexpr std::size_t kMaxSubscriptionsListed = 50;

    TopicOverview(const routing::PubsubService& service, const FeedGateway& feeds)
        : service_(&service), feeds_(&feeds) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;

private:
    const routing::PubsubService* service_;
    const FeedGateway* feeds_;
};

}  // namespace herald::component::commands
