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

    RemoveUser(routing::UserNotices& notices, routing::Router& router) : notices_(&notices), router_(&router) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;
    void committed(const routing::Actor& actor, const Outcome& outcome) const;

private:
    routing::UserNotices* notices_;
    routing::Router* router_;
};

}  // namespace herald::component::commands
