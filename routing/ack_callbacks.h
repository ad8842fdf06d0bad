#pragma once

#include <functional>
#include <string>

#include "routing/escalation_agent.h"

namespace herald::routing {

// Where an HTTP publisher asked to hear of an acknowledgement: a POST of the
// item's status (JSON) to its callback URL, signed with `secret`.
class AckCallbacks {
public:
    using Done = std::function<void(AgentOutcome)>;
    virtual ~AckCallbacks() = default;
    // `done` is called exactly once, later, on the io_context thread.
    virtual void post_signed(const std::string& url, const std::string& secret, std::string body, Done done) = 0;
};

}  // namespace herald::routing
