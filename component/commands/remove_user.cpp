#include "component/commands/remove_user.h"

namespace herald::component::commands {

using herald::routing::PubsubError;

RemoveUser::Outcome RemoveUser::run(storage::Repositories& repos, const routing::Actor& actor,
                                    const Input& input) const {
    if (!actor.admin) throw PubsubError(routing::Refusal::forbidden);
    auto removed = routing::remove_user(repos, input.jid);
    if (!removed) throw PubsubError(routing::Refusal::bad_request, "", input.jid + " is not registered");
    return {input.jid, std::move(*removed)};
}

void RemoveUser::committed(const routing::Actor&, const Outcome& outcome) const {
    routing::after_user_removed(*notices_, *router_, outcome.jid, outcome.removed);
}

}  // namespace herald::component::commands
