#pragma once

#include <string>
#include <vector>

#include "routing/pubsub_service.h"

namespace herald::component::commands {

// Who may publish to the person's inbox and to the topics they own.
class Publishers {
public:
    struct Input {};
    struct Publisher {
        std::string jid;
        std::string topic;
    };
    struct Outcome {
        std::string inbox;
        std::vector<std::string> owned;  // topics besides the inbox
        std::vector<Publisher> publishers;
    };

    explicit Publishers(const routing::PubsubService& service) : service_(&service) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;

private:
    const routing::PubsubService* service_;
};

}  // namespace herald::component::commands
