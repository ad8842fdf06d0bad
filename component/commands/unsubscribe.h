#pragma once

#include <string>
#include <vector>

#include "routing/pubsub_service.h"

namespace herald::component::commands {

// Unsubscribes the person from topics, in order; one refusal stops them all.
class Unsubscribe {
public:
    struct Input {
        std::vector<std::string> topics;
    };
    struct Outcome {
        std::vector<std::string> topics;
    };

    explicit Unsubscribe(const routing::PubsubService& service) : service_(&service) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;

private:
    const routing::PubsubService* service_;
};

}  // namespace herald::component::commands
