#include "storage/migrations.h"

#include <array>
#include <string>

#include "storage/database.h"
#include "storage/storage_error.h"

namespace herald::storage {
namespace {

// Each entry moves the schema from version N to N+1. Never edit a released
// entry: append a new one.
constexpr std::array kMigrations = {
    R"sql(
    CREATE TABLE users (
        jid            TEXT PRIMARY KEY NOT NULL,
        email          TEXT,
        registered_at  INTEGER NOT NULL
    ) WITHOUT ROWID;
    )sql",
};

}  // namespace

int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

void migrate(Database& db) {
    int version = db.schema_version();
    if (version > latest_schema_version())
        throw StorageError("database schema version " + std::to_string(version) +
                               " is newer than this herald (" +
                               std::to_string(latest_schema_version()) + ")",
                           false);
    while (version < latest_schema_version()) {
        Transaction transaction(db);
        db.execute(kMigrations[static_cast<size_t>(version)]);
        ++version;
        // PRAGMA takes no bound parameters; the value is our own integer.
        db.execute(("PRAGMA user_version=" + std::to_string(version)).c_str());
        transaction.commit();
    }
}

}  // namespace herald::storage
