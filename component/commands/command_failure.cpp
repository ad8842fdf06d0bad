#include "component/commands/command_failure.h"

#include "component/job_failure.h"

namespace herald::component::commands {

namespace {

constexpr const char* kTryLater = "Herald could not do that just now; please try again later";

}  // namespace

CommandFailure command_failure(std::exception_ptr error, const std::string& requester) {
    const auto failure = read_job_failure(error, "command from " + requester);
    switch (failure.kind) {
        case JobFailure::Kind::refused: {
            const auto& refusal = *failure.refusal;
            const auto stanza_error = routing::stanza_error_of(refusal.reason);
            return {std::string(stanza_error.type), std::string(stanza_error.condition), routing::explain(refusal), true};
        }
        case JobFailure::Kind::busy: return {"wait", "resource-constraint", kTryLater, false};
        case JobFailure::Kind::conflict:
        case JobFailure::Kind::storage:
        case JobFailure::Kind::failed: break;
    }
    return {"wait", "internal-server-error", kTryLater, false};
}

}  // namespace herald::component::commands
