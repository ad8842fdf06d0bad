#include "component/commands/managed_topics.h"

namespace herald::component::commands {

ManagedTopics::Outcome ManagedTopics::run(storage::Repositories& repos, const routing::Actor& actor,
                                          const Input&) const {
    return {actor.admin ? repos.nodes.public_nodes() : repos.nodes.owned_by(actor.jid)};
}

}  // namespace herald::component::commands
