#pragma once

#include "storage/backup.h"

namespace herald::storage {

// herald admin's backup is SQLite's online backup; a PostgreSQL database is
// copied with PostgreSQL's own tools. Both operations throw StorageError
// saying so.
class PostgresqlBackup final : public Backup {
public:
    std::int64_t copy_to(const std::filesystem::path& destination) override;
    BackupCheck check(const std::filesystem::path& file) override;
};

}  // namespace herald::storage
