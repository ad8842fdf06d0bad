#pragma once

#include <string>

#include "routing/pubsub_service.h"

namespace herald::component::commands {

// Subscribes the person to a topic.
class Subscribe {
public:
    struct Input {
        std::string topic;
    };
    struct Outcome {
        std::string topic;
    };

    explicit Subscribe(const routing::PubsubService& service) : service_(&service) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;

private:
    const routing::PubsubService* service_;
};

}  // namespace herald::component::commands
