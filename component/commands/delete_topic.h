#pragma once

#include <string>
#include <vector>

#include "routing/pubsub_service.h"
#include "routing/user_notices.h"

namespace herald::component::commands {

// Deletes a topic with its notifications and subscriptions (its owner or an
// admin); once committed its subscribers are told.
class DeleteTopic {
public:
    struct Input {
        std::string topic;
    };
    struct Outcome {
        std::string topic;
        std::vector<std::string> subscribers;
    };

    DeleteTopic(const routing::PubsubService& service, routing::UserNotices& notices)
        : service_(&service), notices_(&notices) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;
    void committed(const routing::Actor& actor, const Outcome& outcome) const;

private:
    const routing::PubsubService* service_;
    routing::UserNotices* notices_;
};

}  // namespace herald::component::commands
