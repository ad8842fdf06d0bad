#pragma once

#include <string_view>

namespace herald::storage {

class Database;

// Brings the schema to the newest version, one step per transaction, keyed
// on PRAGMA user_version. Refuses a database newer than this build.
void migrate(Database& db);

int latest_schema_version();
// The step from `version` to `version + 1`, for tests that build an older schema.
std::string_view migration_sql(int version);

}  // namespace herald::storage
