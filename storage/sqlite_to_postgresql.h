#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "storage/backend_factory.h"

namespace herald::storage {

// Copies every row of the SQLite database at `sqlite_file` (brought to the
// current schema first) into the PostgreSQL database of `postgresql`
// (migrated first), in one transaction: all or nothing. Item ids, and so
// every reference to them, are kept, and new ids continue after the
// largest SQLite ever gave. Refuses (StorageError) a PostgreSQL database
// that holds any user, topic or item. Herald must not be running on either.
// Returns the rows copied per table.
std::vector<std::pair<std::string, std::int64_t>> copy_sqlite_to_postgresql(const std::filesystem::path& sqlite_file,
                                                                             const StorageSettings& postgresql);

}  // namespace herald::storage
