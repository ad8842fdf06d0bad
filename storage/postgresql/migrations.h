#pragma once

#include <string_view>

namespace herald::storage::pg {

class Connection;

// Brings the schema to the newest version in one transaction, under an
// advisory lock, so that herald processes starting at once against one
// database migrate it once. Refuses a database newer than this build.
void migrate_postgresql(Connection& connection);

int latest_postgresql_schema_version();
// The schema version the database is at (0 before the first migration).
int postgresql_schema_version(Connection& connection);

}  // namespace herald::storage::pg
