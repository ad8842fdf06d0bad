#pragma once

#include <optional>
#include <string>

#include "routing/pubsub_service.h"

namespace herald::component::commands {

// Whether a topic's notifications ask for an acknowledgement when their
// publisher does not say: set it (owners and admins), then read it back.
class TopicAcknowledgement {
public:
    struct Input {
        std::string topic;
        std::optional<bool> required;  // nullopt: only read it
    };
    struct Outcome {
        std::string topic;
        bool required = false;
    };

    explicit TopicAcknowledgement(const routing::PubsubService& service) : service_(&service) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;

private:
    const routing::PubsubService* service_;
};

}  // namespace herald::component::commands
