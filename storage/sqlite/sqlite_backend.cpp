#include "storage/sqlite/sqlite_backend.h"

namespace herald::storage {

SqliteBackend::SqliteBackend(const std::string& path)
    : db_(path),
      users_(db_),
      nodes_(db_),
      queue_(db_),
      tokens_(db_),
      escalations_(db_),
      feeds_(db_),
      acks_(db_),
      repositories_{users_, nodes_, queue_, tokens_, escalations_, feeds_, acks_, instances_},
      savepoint_(db_.prepare("SAVEPOINT job")),
      release_(db_.prepare("RELEASE job")),
      rollback_to_(db_.prepare("ROLLBACK TO job")) {}

AdminQueries& SqliteBackend::admin() {
    if (!admin_) admin_.emplace(db_);
    return *admin_;
}

std::exception_ptr SqliteBackend::run_isolated(const Job& job) {
    savepoint_.run();
    try {
        job(repositories_);
        release_.run();
        return nullptr;
    } catch (...) {
        const auto error = std::current_exception();
        rollback_to_.run();
        release_.run();
        return error;
    }
}

}  // namespace herald::storage
