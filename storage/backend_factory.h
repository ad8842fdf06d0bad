#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "storage/backend.h"
#include "storage/backup.h"
#include "storage/queue_changes.h"

namespace herald::storage {

struct StorageSettings {
    std::string backend = "sqlite";  // storage.backend
    std::string path;                // storage.database; ":memory:" in tests
    // storage.postgresql.connection: a libpq connection string or URI.
    std::string postgresql_connection{};
    // storage.postgresql.password_file: its first line is the password, read
    // when the database is opened; empty: libpq's own (PGPASSWORD, ~/.pgpass).
    std::string postgresql_password_file{};
    // The daemon's database: on PostgreSQL no other Herald may run on it
    // (`herald admin` may, to read and repair).
    bool sole_instance = false;
    // cluster.instance: this instance's name among several on one PostgreSQL
    // database; empty: one instance. Users it sees present are recorded as
    // present on it; an instance silent for `dead_after_ms` is dead.
    std::string instance{};
    std::int64_t dead_after_ms = 10000;
};

// The first line of storage.postgresql.password_file (without a trailing
// carriage return); nullopt without a file: libpq's own (PGPASSWORD,
// ~/.pgpass). Throws StorageError when the file cannot be read.
std::optional<std::string> postgresql_password(const StorageSettings& settings);

// Why this build cannot run on `backend`; nullopt when it can.
std::optional<std::string> backend_problem(std::string_view backend);

// The configured backend's database, opened (created if missing) and
// migrated. Throws StorageError.
std::unique_ptr<Backend> open_backend(const StorageSettings& settings);

// What other instances sharing the database queue, told to `changed` on
// `io`'s thread while the result lives; nullptr for one instance alone.
std::unique_ptr<QueueChangeFeed> watch_queue_changes(boost::asio::io_context& io, const StorageSettings& settings,
                                                     std::function<void(const QueueChange&)> changed);

// The online backup of the configured database and the check of a copy.
std::unique_ptr<Backup> backup_for(const StorageSettings& settings);

}  // namespace herald::storage
