#include "component/commands/acknowledge.h"

namespace herald::component::commands {

Acknowledge::Outcome Acknowledge::run(storage::Repositories& repos, const routing::Actor& actor,
                                      const Input& input) const {
    return {input, routing::acknowledge_in_storage(repos, actor.jid, input)};
}

void Acknowledge::committed(const routing::Actor& actor, const Outcome& outcome) const {
    if (outcome.result.kind == routing::AckResult::Kind::acknowledged) acks_->settled(actor.jid, outcome.result);
}

}  // namespace herald::component::commands
