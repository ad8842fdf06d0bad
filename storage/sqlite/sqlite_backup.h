#pragma once

#include <chrono>

#include "storage/backup.h"

namespace herald::storage {

struct BackupOptions {
    int pages_per_step = 256;
    // Busy or changed under us for this long: give up (BackupError::busy).
    std::chrono::milliseconds deadline = std::chrono::seconds(60);
};

// Copies the SQLite database at `source` to `destination` through SQLite's
// online backup API, while herald may be writing it: a few pages a step, so
// no read transaction is held for long; the copy is written beside
// `destination` and renamed over it when complete, mode 0600. Returns the
// number of pages copied. Throws BackupError.
std::int64_t backup_database(const std::filesystem::path& source, const std::filesystem::path& destination,
                             const BackupOptions& options = {});

// Reads `file` without changing it: is it a database this herald can start
// on? Throws BackupError (no_input) when there is no such file.
BackupCheck check_backup(const std::filesystem::path& file);

// The two above for the database at `database`.
class SqliteBackup final : public Backup {
public:
    explicit SqliteBackup(std::filesystem::path database) : database_(std::move(database)) {}

    std::int64_t copy_to(const std::filesystem::path& destination) override {
        return backup_database(database_, destination);
    }
    BackupCheck check(const std::filesystem::path& file) override { return check_backup(file); }

private:
    std::filesystem::path database_;
};

}  // namespace herald::storage
