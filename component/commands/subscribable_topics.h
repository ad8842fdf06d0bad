#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "routing/pubsub_service.h"

namespace herald::component::commands {

// Up to kListed public topics whose name contains `search`, less those the
// person follows already, and how many more match.
class SubscribableTopics {
public:
    struct Input {
        std::string search;
    };
    struct Outcome {
        std::vector<std::string> topics;
        std::int64_t more = 0;
    };

    static constexpr std::int64_t kListed = 50;

    explicit SubscribableTopics(const routing::PubsubService& service) : service_(&service) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;

private:
    const routing::PubsubService* service_;
};

}  // namespace herald::component::commands
