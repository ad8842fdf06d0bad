#include "component/commands/http_tokens.h"

#include "component/commands/managed_topics.h"

namespace herald::component::commands {

HttpTokens::Outcome HttpTokens::run(storage::Repositories& repos, const routing::Actor& actor,
                                    const Input&) const {
    Outcome outcome{ManagedTopics().run(repos, actor, {}).topics, {}};
    for (const auto& topic : outcome.topics)
        for (auto& label : service_->token_labels(repos, actor, topic))
            outcome.tokens.push_back({topic, std::move(label)});
    return outcome;
}

}  // namespace herald::component::commands
