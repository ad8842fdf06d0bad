#include "storage/postgresql/postgresql_backend.h"

#include "storage/postgresql/migrations.h"
#include "storage/storage_error.h"

namespace herald::storage {

using namespace pg;

PostgresqlBackend::PostgresqlBackend(const std::string& conninfo, const std::optional<std::string>& password)
    : connection_(conninfo, password),
      migrated_((migrate_postgresql(connection_), true)),
      users_(connection_),
      nodes_(connection_),
      queue_(connection_),
      tokens_(connection_),
      escalations_(connection_),
      feeds_(connection_),
      acks_(connection_),
      repositories_{users_, nodes_, queue_, tokens_, escalations_, feeds_, acks_} {}

AdminQueries& PostgresqlBackend::admin() {
    if (!admin_) admin_.emplace(connection_);
    return *admin_;
}

// A connection lost since the last group is opened again here; one lost
// while BEGIN was on its way is too, once: nothing of the group was sent yet.
void PostgresqlBackend::begin() {
    connection_.reconnect_if_lost();
    try {
        connection_.execute("BEGIN");
    } catch (const StorageError&) {
        if (!connection_.lost()) throw;
        connection_.reconnect_if_lost();
        connection_.execute("BEGIN");
    }
}

void PostgresqlBackend::commit() { commit_or_throw(connection_); }

void PostgresqlBackend::rollback() {
    if (connection_.lost() || !connection_.in_transaction()) return;
    try {
        connection_.execute("ROLLBACK");
    } catch (const StorageError&) {
        // The connection went away with the transaction: nothing was kept.
    }
}

std::exception_ptr PostgresqlBackend::run_isolated(const Job& job) {
    connection_.execute("SAVEPOINT job");
    std::exception_ptr error;
    try {
        job(repositories_);
        // A job that caught a failed statement and went on left the
        // transaction unusable: its changes go, as if it had thrown.
        if (connection_.transaction_failed())
            error = std::make_exception_ptr(StorageError("a statement of the job failed", false));
    } catch (...) {
        error = std::current_exception();
    }
    if (error) connection_.execute("ROLLBACK TO SAVEPOINT job");
    connection_.execute("RELEASE SAVEPOINT job");
    return error;
}

}  // namespace herald::storage
