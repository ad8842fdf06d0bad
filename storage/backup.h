#pragma once

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

struct BackupCheck {
    int schema_version = 0;
    int expected_schema_version = 0;
    // Integrity and reference findings, a wrong schema version, or why the
    // file could not be read as a database. Empty: restorable.
    std::vector<std::string> problems;
    std::vector<std::pair<std::string, std::int64_t>> counts;
};

// The online copy of the configured database and the check of a copy, for
// `herald admin`; neither opens the database for service (no migration).
class Backup {
public:
    virtual ~Backup() = default;

    // Copies the database to `destination` while herald may be writing it;
    // returns the pages copied. Throws BackupError.
    virtual std::int64_t copy_to(const std::filesystem::path& destination) = 0;
    // Reads `file` without changing it: is it a database this herald can
    // start on? Throws BackupError (no_input) when there is no such file.
    virtual BackupCheck check(const std::filesystem::path& file) = 0;
};

}  // namespace herald::storage
