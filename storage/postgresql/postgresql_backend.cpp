#include "storage/postgresql/postgresql_backend.h"

#include <chrono>
#include <thread>

#include "storage/postgresql/migrations.h"
#include "storage/storage_error.h"

namespace herald::storage {

using namespace pg;

namespace {

constexpr std::int64_t kInstanceLock = 0x6865'7261'6c64'0001;  // "herald", one instance
constexpr auto kClaimPatience = std::chrono::seconds(5);
// Among several writers an item id taken before another's could commit after
// it, behind a reader's cursor. Held from BEGIN to COMMIT, this lock lets one
// group at a time write: ids follow commit order, and no two groups wait on
// each other's rows (the shared counters) in opposite order.
constexpr std::int64_t kWriteOrderLock = 0x6865'7261'6c64'0003;  // "herald", groups in order

}  // namespace

PostgresqlBackend::PostgresqlBackend(const std::string& conninfo, const std::optional<std::string>& password,
                                     bool sole_instance, InstanceIdentity instance)
    : connection_(conninfo, password),
      sole_instance_(sole_instance),
      instance_(std::move(instance)),
      queued_{{}, !instance_.name.empty()},
      migrated_((migrate_postgresql(connection_), true)),
      users_(connection_),
      nodes_(connection_),
      queue_(connection_, queued_),
      tokens_(connection_),
      escalations_(connection_, instance_),
      feeds_(connection_),
      acks_(connection_, queued_),
      instances_(connection_, instance_),
      repositories_{users_, nodes_, queue_, tokens_, escalations_, feeds_, acks_, instances_} {
    claim_database();
}

// A herald that just stopped may still hold it for a moment: its server
// process ends after its client has gone.
void PostgresqlBackend::claim_database() {
    if (!sole_instance_) return;
    const auto deadline = std::chrono::steady_clock::now() + kClaimPatience;
    while (!connection_.run_once("SELECT pg_try_advisory_lock($1)", {parameter(kInstanceLock)}).boolean(0, 0)) {
        if (std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            continue;
        }
        throw StorageError("another herald is running on this PostgreSQL database; one instance per database "
                           "until several can share it",
                           false);
    }
}

AdminQueries& PostgresqlBackend::admin() {
    if (!admin_) admin_.emplace(connection_);
    return *admin_;
}

// A connection lost since the last group is opened again here; one lost
// while BEGIN was on its way is too, once: nothing of the group was sent yet.
void PostgresqlBackend::begin() {
    queued_.items.clear();
    if (connection_.reconnect_if_lost()) claim_database();
    try {
        connection_.execute("BEGIN");
    } catch (const StorageError&) {
        if (!connection_.lost()) throw;
        if (connection_.reconnect_if_lost()) claim_database();
        connection_.execute("BEGIN");
    }
    if (queued_.shared) connection_.run_once("SELECT pg_advisory_xact_lock($1)", {parameter(kWriteOrderLock)});
}

// Delivered to the listeners when, and only if, the transaction commits.
void PostgresqlBackend::commit() {
    if (!instance_.name.empty() && !queued_.items.empty() && !connection_.transaction_failed())
        connection_.run_once("SELECT pg_notify($1, $2)", {parameter(kQueueChannel),
                                                          parameter(queue_notice(instance_.name, queued_.items))});
    queued_.items.clear();
    commit_or_throw(connection_);
}

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
