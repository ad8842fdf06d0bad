#pragma once

#include <string>
#include <vector>

#include "routing/pubsub_service.h"

namespace herald::component::commands {

// The topics the person is subscribed to.
class Subscriptions {
public:
    struct Input {
        // The personal inbox is left out where unsubscribing is offered:
        // leaving it would silence it.
        bool with_inbox = true;
    };
    struct Outcome {
        std::vector<std::string> topics;
    };

    explicit Subscriptions(const routing::PubsubService& service) : service_(&service) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;

private:
    const routing::PubsubService* service_;
};

}  // namespace herald::component::commands
