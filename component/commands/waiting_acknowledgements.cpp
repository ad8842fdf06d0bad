#include "component/commands/waiting_acknowledgements.h"

namespace herald::component::commands {

WaitingAcknowledgements::Outcome WaitingAcknowledgements::run(storage::Repositories& repos,
                                                              const routing::Actor& actor, const Input& input) const {
    return {repos.acks.waiting(actor.jid, input.limit)};
}

}  // namespace herald::component::commands
