#include "component/commands/command_failure.h"

#include <spdlog/spdlog.h>

#include "routing/pubsub_service.h"
#include "storage/storage_error.h"

namespace herald::component::commands {

namespace {

constexpr const char* kTryLater = "Herald could not do that just now; please try again later";

}  // namespace

CommandFailure command_failure(std::exception_ptr error, const std::string& requester) {
    try {
        std::rethrow_exception(error);
    } catch (const routing::PubsubError& refusal) {
        return {refusal.type, refusal.condition, routing::explain(refusal), true};
    } catch (const storage::StorageError& failure) {
        using Kind = storage::StorageError::Kind;
        spdlog::error("command from {} failed in storage: {}", requester, failure.what());
        if (failure.kind() == Kind::full || failure.kind() == Kind::busy)
            return {"wait", "resource-constraint", kTryLater, false};
    } catch (const std::exception& failure) {
        spdlog::error("command from {} failed: {}", requester, failure.what());
    } catch (...) {
        spdlog::error("command from {} failed", requester);
    }
    return {"wait", "internal-server-error", kTryLater, false};
}

}  // namespace herald::component::commands
