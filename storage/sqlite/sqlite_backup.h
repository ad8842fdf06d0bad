#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace herald::storage {

class BackupError : public std::runtime_error {
public:
    enum class Kind { no_input, cannot_create, io, busy };
    BackupError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

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

struct BackupCheck {
    int schema_version = 0;
    int expected_schema_version = 0;
    // integrity_check and foreign_key_check findings, a wrong schema version,
    // or why the file could not be read as a database. Empty: restorable.
    std::vector<std::string> problems;
    std::vector<std::pair<std::string, std::int64_t>> counts;
};

// Reads `file` without changing it: is it a database this herald can start
// on? Throws BackupError (no_input) when there is no such file.
BackupCheck check_backup(const std::filesystem::path& file);

}  // namespace herald::storage
