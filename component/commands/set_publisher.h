#pragma once

#include <string>

#include "routing/pubsub_service.h"

namespace herald::component::commands {

// Allows someone to publish to the person's inbox or a topic they own, or stops them.
class SetPublisher {
public:
    struct Input {
        std::string topic;
        std::string jid;  // bare
        bool allow = true;
    };
    using Outcome = Input;

    explicit SetPublisher(const routing::PubsubService& service) : service_(&service) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;

private:
    const routing::PubsubService* service_;
};

}  // namespace herald::component::commands
