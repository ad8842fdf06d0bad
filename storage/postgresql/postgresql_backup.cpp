#include "storage/postgresql/postgresql_backup.h"

#include "storage/storage_error.h"

namespace herald::storage {
namespace {

[[noreturn]] void use_pg_dump() {
    throw StorageError(
        "storage.backend is postgresql: herald admin backup and check-backup copy SQLite databases only; "
        "back up PostgreSQL with pg_dump (e.g. pg_dump --format=custom --file=herald.dump DBNAME) "
        "and restore with pg_restore",
        false);
}

}  // namespace

std::int64_t PostgresqlBackup::copy_to(const std::filesystem::path&) { use_pg_dump(); }

BackupCheck PostgresqlBackup::check(const std::filesystem::path&) { use_pg_dump(); }

}  // namespace herald::storage
