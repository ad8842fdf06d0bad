#include "component/commands/topic_overview.h"

#include <algorithm>
#include <string_view>

#include "component/feed_gateway.h"

namespace herald::component::commands {

namespace {

constexpr std::string_view kFeedPrefix = "feed/";

// The first kMaxOthersListed public topics containing `search` that are
// neither followed nor feeds, a page at a time, feeds skipped at once.
void find_others(storage::Repositories& repos, const std::vector<std::string>& subscribed,
                 TopicOverview::Outcome& topics) {
    constexpr std::int64_t kPage = 200;
    std::string after;
    std::int64_t count = 0, passed = 0;
    for (int pages = 0; pages < 20 && topics.others.size() < TopicOverview::kMaxOthersListed; ++pages) {
        auto page = repos.nodes.public_nodes_after(topics.search, after, kPage);
        count = page.count;
        if (page.names.empty()) break;
        passed = page.first_index;
        for (auto& name : page.names) {
            ++passed;
            after = name;
            if (name.rfind(kFeedPrefix, 0) == 0) {
                after = std::string(kFeedPrefix) + "\xff";  // after every feed's name
                break;
            }
            if (std::find(subscribed.begin(), subscribed.end(), name) != subscribed.end()) continue;
            topics.others.push_back(std::move(name));
            if (topics.others.size() == TopicOverview::kMaxOthersListed) break;
        }
    }
    // What comes after the last name looked at: an upper bound (feeds and
    // followed topics among them are counted).
    topics.more_others = std::max<std::int64_t>(0, count - passed);
}

}  // namespace

TopicOverview::Outcome TopicOverview::run(storage::Repositories& repos, const routing::Actor& actor,
                                          const Input& input) const {
    Outcome topics{{}, 0, feeds_->service().feeds_of(repos, actor), {}, 0, input.search};
    const auto subscribed = service_->subscriptions(repos, actor);
    for (const auto& topic : subscribed) {
        if (topic.rfind(kFeedPrefix, 0) == 0) continue;
        if (!input.search.empty() && topic.find(input.search) == std::string::npos) continue;
        if (topics.subscribed.size() < kMaxSubscriptionsListed) topics.subscribed.push_back(topic);
        else ++topics.more_subscribed;
    }
    find_others(repos, subscribed, topics);
    return topics;
}

}  // namespace herald::component::commands
