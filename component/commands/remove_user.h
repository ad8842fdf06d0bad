#pragma once

#include <string>

#include "routing/pubsub_service.h"
#include "routing/user_service.h"

namespace herald::component::commands {

// An admin removes a user by the same rule as the user's own unregistering.
class RemoveUser {
public:
    struct Input {
        std::string jid;  // bare
    };
    struct Outcome {
        std::string jid;
        routing::RemovedUser removed;
    };

    RemoveUser(StanzaSender& sender, routing::Router& router, std::string component_jid)
        : sender_(&sender), router_(&router), component_jid_(std::move(component_jid)) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;
    void committed(const routing::Actor& actor, const Outcome& outcome) const;

private:
    StanzaSender* sender_;
    routing::Router* router_;
    std::string component_jid_;
};

}  // namespace herald::component::commands
