#include "storage/sqlite/sqlite_backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <memory>

#include "storage/sqlite/migrations.h"
#include "storage/sqlite/statement.h"
#include "storage/storage_error.h"

namespace herald::storage {
namespace {

struct CloseConnection {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, CloseConnection>;

struct FinishBackup {
    void operator()(sqlite3_backup* backup) const { sqlite3_backup_finish(backup); }
};

// Opens an existing file (never creates one); nullptr with `error` set when it cannot.
Connection open_existing(const std::filesystem::path& path, int flags, std::string& error) {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    Connection connection(db);
    if (rc != SQLITE_OK) {
        error = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        return nullptr;
    }
    sqlite3_busy_timeout(db, 5000);
    return connection;
}

void require_file(const std::filesystem::path& path) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        throw BackupError(BackupError::Kind::no_input, path.string() + ": no such database file");
}

BackupError::Kind kind_of(int rc) {
    const int primary = rc & 0xff;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED ? BackupError::Kind::busy : BackupError::Kind::io;
}

constexpr int kMaxRestarts = 3;

}  // namespace

std::int64_t backup_database(const std::filesystem::path& source, const std::filesystem::path& destination,
                             const BackupOptions& options) {
    require_file(source);
    std::string error;
    const auto from = open_existing(source, SQLITE_OPEN_READONLY, error);
    if (!from) throw BackupError(BackupError::Kind::no_input, source.string() + ": " + error);

    auto partial = destination;
    partial += ".partial";
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    const int fd = ::open(partial.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw BackupError(BackupError::Kind::cannot_create, partial.string() + ": cannot create");
    ::close(fd);
    const auto to = open_existing(partial, SQLITE_OPEN_READWRITE, error);
    if (!to) throw BackupError(BackupError::Kind::cannot_create, partial.string() + ": " + error);

    std::unique_ptr<sqlite3_backup, FinishBackup> backup(sqlite3_backup_init(to.get(), "main", from.get(), "main"));
    if (!backup) throw BackupError(BackupError::Kind::io, std::string("backup: ") + sqlite3_errmsg(to.get()));
    // Each step reads a consistent snapshot and lets go of it; a write by
    // herald between steps makes SQLite start over. After a few restarts the
    // rest is copied in one step: in WAL mode that read holds no lock that
    // stops herald's writes, only checkpoints past its snapshot.
    const auto deadline = std::chrono::steady_clock::now() + options.deadline;
    int step_pages = options.pages_per_step;
    int restarts = 0;
    int remaining = -1;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_backup_step(backup.get(), step_pages)) != SQLITE_DONE) {
        if (rc != SQLITE_OK && kind_of(rc) != BackupError::Kind::busy)
            throw BackupError(BackupError::Kind::io, std::string("backup: ") + sqlite3_errstr(rc));
        if (std::chrono::steady_clock::now() > deadline)
            throw BackupError(BackupError::Kind::busy, "backup: the database stayed busy; try again");
        if (rc != SQLITE_OK) {
            sqlite3_sleep(10);
            continue;
        }
        if (remaining >= 0 && sqlite3_backup_remaining(backup.get()) > remaining && ++restarts >= kMaxRestarts)
            step_pages = -1;
        remaining = sqlite3_backup_remaining(backup.get());
    }
    const auto pages = static_cast<std::int64_t>(sqlite3_backup_pagecount(backup.get()));
    if (const int finished = sqlite3_backup_finish(backup.release()); finished != SQLITE_OK)
        throw BackupError(kind_of(finished), std::string("backup: ") + sqlite3_errmsg(to.get()));
    std::error_code renamed;
    std::filesystem::rename(partial, destination, renamed);
    if (renamed) throw BackupError(BackupError::Kind::cannot_create, destination.string() + ": " + renamed.message());
    return pages;
}

BackupCheck check_backup(const std::filesystem::path& file) {
    require_file(file);
    BackupCheck check{0, latest_schema_version(), {}, {}};
    std::string error;
    const auto db = open_existing(file, SQLITE_OPEN_READWRITE, error);
    if (!db) return check.problems.push_back(error), check;
    try {
        Statement(db.get(), "PRAGMA query_only=1").step();
        Statement integrity(db.get(), "PRAGMA integrity_check");
        while (integrity.step())
            if (const auto finding = integrity.column_text(0); finding != "ok") check.problems.push_back(finding);
        Statement version(db.get(), "PRAGMA user_version");
        version.step();
        check.schema_version = static_cast<int>(version.column_int(0));
        if (check.schema_version != check.expected_schema_version)
            check.problems.push_back("schema version " + std::to_string(check.schema_version) + ", this herald's is " +
                                     std::to_string(check.expected_schema_version));
        Statement references(db.get(), "PRAGMA foreign_key_check");
        while (references.step()) check.problems.push_back("broken reference in " + references.column_text(0));
        if (!check.problems.empty()) return check;
        Statement counts(db.get(),
                         "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM nodes WHERE personal = 0), "
                         "(SELECT count(*) FROM subscriptions), (SELECT count(*) FROM items), "
                         "(SELECT count(*) FROM queue), (SELECT count(*) FROM history), "
                         "(SELECT count(*) FROM history WHERE outcome = 'not deliverable')");
        counts.step();
        const char* names[] = {"users", "topics", "subscriptions", "items", "queued", "history", "set aside"};
        for (int column = 0; column < 7; ++column) check.counts.emplace_back(names[column], counts.column_int(column));
    } catch (const StorageError& failure) {
        check.problems.push_back(failure.what());
    }
    return check;
}

}  // namespace herald::storage
