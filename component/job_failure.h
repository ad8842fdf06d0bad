#pragma once

#include <exception>
#include <optional>
#include <string>

#include "routing/pubsub_service.h"

namespace herald::component {

// Why a storage job did not do what was asked, read once for every front end
// (stanza errors, HTTP statuses, chat text): a rule that refused, or storage
// failing. Failures are logged here; refusals are not.
struct JobFailure {
    enum class Kind {
        refused,   // a rule said no: `refusal` says which and why
        conflict,  // a constraint (an item id that exists)
        busy,      // busy, locked or full: worth trying again later
        storage,   // storage failed otherwise
        failed,    // anything else
    };
    Kind kind = Kind::failed;
    std::optional<routing::PubsubError> refusal;
};

// Whether a rule's refusal is an answer to the requester (not logged) or,
// for work nobody asked for, a failure like any other (logged).
enum class Refusals { answered, logged };

// `what` names the request in the log: "HTTP publish", "command from JID".
JobFailure read_job_failure(std::exception_ptr error, const std::string& what,
                            Refusals refusals = Refusals::answered);

}  // namespace herald::component
