#include "component/commands/publishers.h"

namespace herald::component::commands {

using herald::routing::PubsubService;

Publishers::Outcome Publishers::run(storage::Repositories& repos, const routing::Actor& actor, const Input&) const {
    Outcome outcome{PubsubService::inbox_of(actor.jid), repos.nodes.owned_by(actor.jid), {}};
    std::vector<std::string> topics{outcome.inbox};
    topics.insert(topics.end(), outcome.owned.begin(), outcome.owned.end());
    for (const auto& topic : topics)
        for (const auto& [jid, affiliation] : service_->affiliations(repos, actor, topic))
            if (affiliation == "publisher") outcome.publishers.push_back({jid, topic});
    return outcome;
}

}  // namespace herald::component::commands
