#pragma once

#include <string>
#include <vector>

#include "component/stanza_sender.h"
#include "routing/pubsub_service.h"

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

    DeleteTopic(const routing::PubsubService& service, StanzaSender& sender, std::string component_jid)
        : service_(&service), sender_(&sender), component_jid_(std::move(component_jid)) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;
    void committed(const routing::Actor& actor, const Outcome& outcome) const;

private:
    const routing::PubsubService* service_;
    StanzaSender* sender_;
    std::string component_jid_;
};

}  // namespace herald::component::commands
