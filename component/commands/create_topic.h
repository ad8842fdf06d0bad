#pragma once

#include <string>

#include "routing/pubsub_service.h"

namespace herald::component::commands {

// Creates a topic the person owns.
class CreateTopic {
public:
    struct Input {
        std::string topic;
        std::string publish_model = "publishers";  // publishers, open
    };
    struct Outcome {
        std::string topic;
    };

    explicit CreateTopic(const routing::PubsubService& service) : service_(&service) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;

private:
    const routing::PubsubService* service_;
};

}  // namespace herald::component::commands
