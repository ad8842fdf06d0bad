#include "component/commands/unregister.h"

namespace herald::component::commands {

using herald::routing::PubsubError;

Unregister::Outcome Unregister::run(storage::Repositories& repos, const routing::Actor& actor, const Input&) const {
    auto removed = routing::remove_user(repos, actor.jid);
    if (!removed) throw PubsubError(routing::Refusal::registration_required);
    return std::move(*removed);
}

void Unregister::committed(const routing::Actor& actor, const Outcome& outcome) const {
    routing::after_user_removed(*notices_, *router_, actor.jid, outcome);
}

std::string unregister_warning(const std::string& bare_jid) {
    return "This deletes your registration with Herald: your subscriptions, the notifications waiting for you, "
           "your history, your inbox (inbox/" + bare_jid + "), your feeds, the topics you created (their "
           "subscribers are told) and every HTTP token you made. You can register again later by adding this "
           "contact.";
}

}  // namespace herald::component::commands
