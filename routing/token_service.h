#pragma once

#include <string>
#include <vector>

#include "routing/access_rules.h"
#include "routing/pubsub_service.h"
#include "routing/settings.h"

namespace herald::routing {

// HTTP publishing: the owner (or an admin) makes a token for a topic; it is
// shown once and only its digest is kept. Runs inside storage jobs.
class TokenService {
public:
    TokenService(const Settings& config, const PubsubService& pubsub) : config_(config), pubsub_(pubsub) {}

    std::string create_token(storage::Repositories& repos, const Actor& actor, const std::string& node,
                              const std::string& label) const;
    void revoke_token(storage::Repositories& repos, const Actor& actor, const std::string& node,
                      const std::string& label) const;
    std::vector<std::string> token_labels(storage::Repositories& repos, const Actor& actor,
                                          const std::string& node) const;
    // An unknown topic, an unknown token and a token for another topic are
    // refused alike: item-not-found.
    PublishOutcome publish_with_token(storage::Repositories& repos, const std::string& token,
                                      storage::Item item) const;
    // An item as its HTTP publisher reads it, with the same refusals.
    storage::ItemStatus item_status(storage::Repositories& repos, const std::string& token, const std::string& node,
                                    const std::string& item_id) const;

private:
    storage::NodeToken require_token(storage::Repositories& repos, const std::string& digest,
                                     const std::string& node) const;

    const Settings& config_;
    const PubsubService& pubsub_;
};

}  // namespace herald::routing
