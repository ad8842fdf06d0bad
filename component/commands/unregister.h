#pragma once

#include <string>

#include "routing/pubsub_service.h"
#include "routing/user_service.h"

namespace herald::component::commands {

// Deletes the person's registration and all that is theirs, by the same
// rule as XEP-0077 <remove/> (routing/user_service.h).
class Unregister {
public:
    struct Input {};
    using Outcome = routing::RemovedUser;

    Unregister(routing::UserNotices& notices, routing::Router& router) : notices_(&notices), router_(&router) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;
    void committed(const routing::Actor& actor, const Outcome& outcome) const;

private:
    routing::UserNotices* notices_;
    routing::Router* router_;
};

// Said before unregistering is confirmed, and once it is done.
std::string unregister_warning(const std::string& bare_jid);
inline constexpr const char* kUnregistered =
    "You are unregistered: Herald keeps nothing of yours. Add this contact again to come back.";

}  // namespace herald::component::commands
