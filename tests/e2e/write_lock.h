#pragma once

// Another holder of the database's write lock (a backup, say): a second
// SQLite connection in an open write transaction until destroyed.

#include <sqlite3.h>

#include <filesystem>
#include <stdexcept>

namespace herald::testing {

class WriteLock {
public:
    explicit WriteLock(const std::filesystem::path& database) {
        // Herald may be writing: wait for a gap between its commits.
        if (sqlite3_open(database.c_str(), &db_) != SQLITE_OK || sqlite3_busy_timeout(db_, 20000) != SQLITE_OK ||
            sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
            sqlite3_close(db_);
            throw std::runtime_error("cannot lock " + database.string());
        }
    }
    ~WriteLock() {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(db_);
    }
    WriteLock(const WriteLock&) = delete;
    WriteLock& operator=(const WriteLock&) = delete;

private:
    sqlite3* db_ = nullptr;
};

}  // namespace herald::testing
