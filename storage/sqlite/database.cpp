#include "storage/sqlite/database.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include "storage/sqlite/migrations.h"
#include "storage/sqlite/statement.h"
#include "storage/storage_error.h"

namespace herald::storage {
namespace {

bool is_memory(const std::string& path) { return path.empty() || path == ":memory:"; }

// SQLite creates its files with the process umask; ours hold registrations
// and later notifications, so the database starts life private. SQLite gives
// the -wal and -shm files the same mode as the database file.
void create_private_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) throw StorageError("cannot create database file " + path, false);
    ::close(fd);
}

}  // namespace

Database::Database(const std::string& path) {
    if (!is_memory(path)) create_private_file(path);
    const int rc = sqlite3_open_v2(is_memory(path) ? ":memory:" : path.c_str(), &db_,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                   nullptr);
    if (rc != SQLITE_OK) {
        const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        throw StorageError("cannot open database " + path + ": " + message, false);
    }
    sqlite3_busy_timeout(db_, 5000);
    if (!is_memory(path)) execute("PRAGMA journal_mode=WAL");
    // FULL: a commit is on disk before a publisher is told "ok"; the storage
    // worker commits many jobs at once, so the fsync is shared.
    execute("PRAGMA synchronous=FULL");
    execute("PRAGMA foreign_keys=ON");
    migrate(*this);
}

Database::~Database() { sqlite3_close_v2(db_); }

Statement Database::prepare(const char* sql) { return Statement(db_, sql); }

void Database::execute(const char* sql) {
    char* error = nullptr;
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        sqlite3_free(error);
        throw_sqlite_error(db_, rc, sql);
    }
}

void Database::begin() { execute("BEGIN IMMEDIATE"); }
void Database::commit() { execute("COMMIT"); }
void Database::rollback() {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

int Database::schema_version() {
    Statement query = prepare("PRAGMA user_version");
    query.step();
    return static_cast<int>(query.column_int(0));
}

Transaction::~Transaction() {
    if (!done_) db_.rollback();
}

void Transaction::commit() {
    db_.commit();
    done_ = true;
}

}  // namespace herald::storage
