#pragma once

namespace herald::storage {

class Database;

// Brings the schema to the newest version, one step per transaction, keyed
// on PRAGMA user_version. Refuses a database newer than this build.
void migrate(Database& db);

int latest_schema_version();

}  // namespace herald::storage
