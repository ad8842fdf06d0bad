#pragma once

#include <functional>
#include <string>

#include "storage/escalation_repository.h"

namespace herald::routing {

// How one attempt to reach a user by another channel ended.
struct AgentOutcome {
    bool sent = false;
    // Retrying cannot help (a refused request, a channel not configured).
    bool permanent = false;
    std::string error;  // for logs and people; never carries secrets

    static AgentOutcome success() { return {true, false, {}}; }
    static AgentOutcome retry(std::string why) { return {false, false, std::move(why)}; }
    static AgentOutcome give_up(std::string why) { return {false, true, std::move(why)}; }
};

// A channel that reaches a user who is away from XMPP: one call sends one
// user's whole batch (a digest when there are several items). XMPP itself is
// not an agent: the Router delivers there.
class EscalationAgent {
public:
    using Done = std::function<void(AgentOutcome)>;
    virtual ~EscalationAgent() = default;
    // `done` is called exactly once, later, on the io_context thread.
    virtual void send(const storage::EscalationBatch& batch, Done done) = 0;
};

}  // namespace herald::routing
