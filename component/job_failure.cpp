#include "component/job_failure.h"

#include <spdlog/spdlog.h>

#include "storage/storage_error.h"

namespace herald::component {

JobFailure read_job_failure(std::exception_ptr error, const std::string& what, Refusals refusals) {
    using Kind = JobFailure::Kind;
    try {
        std::rethrow_exception(error);
    } catch (const routing::PubsubError& refusal) {
        if (refusals == Refusals::logged) spdlog::error("{} failed: {}", what, routing::explain(refusal));
        return {Kind::refused, refusal};
    } catch (const storage::StorageError& failure) {
        spdlog::error("{} failed in storage: {}", what, failure.what());
        switch (failure.kind()) {
            case storage::StorageError::Kind::constraint: return {Kind::conflict, std::nullopt};
            case storage::StorageError::Kind::busy:
            case storage::StorageError::Kind::full: return {Kind::busy, std::nullopt};
            case storage::StorageError::Kind::other: return {Kind::storage, std::nullopt};
        }
    } catch (const std::exception& failure) {
        spdlog::error("{} failed: {}", what, failure.what());
    } catch (...) {
        spdlog::error("{} failed", what);
    }
    return {Kind::failed, std::nullopt};
}

}  // namespace herald::component
