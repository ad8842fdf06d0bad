#include "component/commands/subscribable_topics.h"

#include <algorithm>

namespace herald::component::commands {

SubscribableTopics::Outcome SubscribableTopics::run(storage::Repositories& repos, const routing::Actor& actor,
                                                    const Input& input) const {
    const auto mine = service_->subscriptions(repos, actor);
    const auto page =
        repos.nodes.public_nodes_after(input.search, "", kListed + static_cast<std::int64_t>(mine.size()));
    Outcome choice;
    std::int64_t subscribed = 0;
    for (const auto& name : page.names) {
        if (std::find(mine.begin(), mine.end(), name) != mine.end()) ++subscribed;
        else if (static_cast<std::int64_t>(choice.topics.size()) < kListed) choice.topics.push_back(name);
    }
    // Past this page, topics the person follows are counted as more: a bound, not a promise.
    choice.more = std::max<std::int64_t>(0, page.count - subscribed - static_cast<std::int64_t>(choice.topics.size()));
    return choice;
}

}  // namespace herald::component::commands
