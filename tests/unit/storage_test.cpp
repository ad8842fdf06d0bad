#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <mutex>
#include <queue>

#include "storage/backend_factory.h"
#include "storage/sqlite/database.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_user_repository.h"
#include "storage/storage_error.h"
#include "storage/storage_worker.h"
#include "tests/unit/queue_fixture.h"

using namespace herald::storage;

TEST(Storage, MigratesFreshDatabaseToLatestVersion) {
    Database db(":memory:");
    EXPECT_EQ(db.schema_version(), latest_schema_version());
    migrate(db);  // idempotent
    EXPECT_EQ(db.schema_version(), latest_schema_version());
}

TEST(Storage, RefusesDatabaseFromNewerHerald) {
    const auto path = std::filesystem::temp_directory_path() / "herald-newer.db";
    std::filesystem::remove(path);
    {
        Database db(path.string());
        db.execute("PRAGMA user_version=999");
    }
    EXPECT_THROW(Database{path.string()}, StorageError);
    std::filesystem::remove(path);
}

TEST(Storage, FileIsPrivateAndInWalMode) {
    const auto dir = std::filesystem::temp_directory_path() / "herald-storage-test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto path = (dir / "h.db").string();
    Database db(path);
    struct stat info {};
    ASSERT_EQ(::stat(path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600);
    auto mode = db.prepare("PRAGMA journal_mode");
    ASSERT_TRUE(mode.step());
    EXPECT_EQ(mode.column_text(0), "wal");
    std::filesystem::remove_all(dir);
}

namespace {

// Stands in for the io_context: completions are queued and run by the test.
class CompletionQueue {
public:
    void post(std::function<void()> f) {
        std::lock_guard lock(mutex_);
        queue_.push(std::move(f));
        ready_.notify_one();
    }
    void run_one() {
        std::unique_lock lock(mutex_);
        ASSERT_TRUE(ready_.wait_for(lock, std::chrono::seconds(10), [&] { return !queue_.empty(); }));
        auto f = std::move(queue_.front());
        queue_.pop();
        lock.unlock();
        f();
    }

private:
    std::mutex mutex_;
    std::condition_variable ready_;
    std::queue<std::function<void()>> queue_;
};

}  // namespace

TEST(BackendFactory, OpensSqliteAndRefusesBackendsThisBuildLacks) {
    EXPECT_FALSE(backend_problem("sqlite"));
    EXPECT_FALSE(backend_problem("postgresql"));
    EXPECT_NE(backend_problem("mysql").value_or("").find("not one of sqlite, postgresql"), std::string::npos);
    EXPECT_THROW(open_backend({.backend = "mysql", .path = ":memory:"}), StorageError);
    EXPECT_EQ(open_backend({.path = ":memory:"})->repositories().users.count(), 0);
}

TEST(BackendFactory, PostgresqlNeedsAConnectionAndBacksUpWithPgDump) {
    try {
        open_backend({.backend = "postgresql", .path = ":memory:"});
        FAIL() << "opened PostgreSQL without a connection";
    } catch (const StorageError& error) {
        EXPECT_NE(std::string(error.what()).find("storage.postgresql.connection"), std::string::npos) << error.what();
    }
    const auto backup = backup_for({.backend = "postgresql", .path = {}, .postgresql_connection = "dbname=herald"});
    for (const auto& attempt : {std::function<void()>([&] { backup->copy_to("copy.db"); }),
                                std::function<void()>([&] { backup->check("copy.db"); })}) {
        try {
            attempt();
            FAIL() << "a PostgreSQL backup through herald admin";
        } catch (const StorageError& error) {
            EXPECT_NE(std::string(error.what()).find("pg_dump"), std::string::npos) << error.what();
        }
    }
}

TEST(StorageWorker, CompletesAfterCommitAndIsolatesFailingJobs) {
    CompletionQueue completions;
    StorageWorker worker(open_backend({.path = ":memory:"}), [&](std::function<void()> f) { completions.post(std::move(f)); });
    std::vector<std::string> events;
    worker.submit([](Repositories& r) { r.users.upsert({"a@x", {}, 1}); },
                  [&](std::exception_ptr e) { events.push_back(e ? "a failed" : "a ok"); });
    worker.submit([](Repositories& r) {
        r.users.upsert({"b@x", {}, 1});
        throw std::runtime_error("boom");
    },
                  [&](std::exception_ptr e) { events.push_back(e ? "b failed" : "b ok"); });
    worker.submit<std::int64_t>([](Repositories& r) { return r.users.count(); },
                                [&](std::optional<std::int64_t> n, std::exception_ptr) {
                                    events.push_back("count " + std::to_string(n.value_or(-1)));
                                });
    for (int i = 0; i < 3; ++i) completions.run_one();
    // b's insert was rolled back to its savepoint; a's survived.
    EXPECT_EQ(events, (std::vector<std::string>{"a ok", "b failed", "count 1"}));
    worker.stop();
    bool refused = false;
    worker.submit([](Repositories&) {}, [&](std::exception_ptr e) { refused = e != nullptr; });
    completions.run_one();
    EXPECT_TRUE(refused);
}

// Publishes are refused while the queue is full, never queued without bound;
// the worker's own jobs (confirmations...) are always taken.
TEST(StorageWorker, RefusesPublishesPastTheQueueBoundAndTakesThemAgainOnceItDrains) {
    CompletionQueue completions;
    StorageWorker worker(open_backend({.path = ":memory:"}), [&](std::function<void()> f) { completions.post(std::move(f)); },
                         3);
    std::promise<void> release;
    auto held = release.get_future().share();
    std::promise<void> started;
    worker.submit([&started, held](Repositories&) { started.set_value(); held.wait(); }, [](std::exception_ptr) {});
    ASSERT_EQ(started.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
    std::vector<std::string> events;
    const auto record = [&](std::string name) {
        return [&events, name](std::exception_ptr e) { events.push_back(name + (e ? " refused" : " ok")); };
    };
    for (int i = 0; i < 3; ++i)
        worker.submit([](Repositories&) {}, record("job"), StorageWorker::Admission::if_room);
    std::exception_ptr refusal;
    worker.submit([](Repositories&) {}, [&](std::exception_ptr e) { refusal = e; }, StorageWorker::Admission::if_room);
    completions.run_one();
    ASSERT_TRUE(refusal) << "the fourth publish found the queue full";
    try {
        std::rethrow_exception(refusal);
    } catch (const StorageError& error) {
        EXPECT_TRUE(error.transient());
        EXPECT_EQ(error.kind(), StorageError::Kind::busy);
    }
    worker.submit([](Repositories&) {}, record("internal"));
    release.set_value();
    for (int i = 0; i < 5; ++i) completions.run_one();
    EXPECT_EQ(events, (std::vector<std::string>{"job ok", "job ok", "job ok", "internal ok"}));
    worker.submit([](Repositories&) {}, record("later"), StorageWorker::Admission::if_room);
    completions.run_one();
    EXPECT_EQ(events.back(), "later ok");
}

TEST(StorageWorker, StopFinishesQueuedJobs) {
    const auto path = std::filesystem::temp_directory_path() / "herald-worker.db";
    std::filesystem::remove(path);
    {
        CompletionQueue completions;
        StorageWorker worker(open_backend({.path = path.string()}),
                             [&](std::function<void()> f) { completions.post(std::move(f)); });
        for (int i = 0; i < 200; ++i)
            worker.submit([i](Repositories& r) { r.users.upsert({"u" + std::to_string(i) + "@x", {}, 0}); },
                          [](std::exception_ptr) {});
        worker.stop();
    }
    Database db(path.string());
    SqliteUserRepository users(db);
    EXPECT_EQ(users.count(), 200);
    std::filesystem::remove(path);
}

using herald::storage::fixtures::make_item;

// A database left by the herald before a migration, with rows in it.
struct OlderDatabase {
    // One file per test: ctest runs them in parallel.
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 (std::string("herald-older-") +
                                  ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");

    explicit OlderDatabase(int version, const char* rows) {
        std::filesystem::remove(path);
        sqlite3* raw = nullptr;
        sqlite3_open(path.c_str(), &raw);
        for (int v = 0; v < version; ++v)
            EXPECT_EQ(sqlite3_exec(raw, std::string(migration_sql(v)).c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
        EXPECT_EQ(sqlite3_exec(raw, rows, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(raw);
        sqlite3_exec(raw, ("PRAGMA user_version=" + std::to_string(version)).c_str(), nullptr, nullptr, nullptr);
        sqlite3_close(raw);
    }
    ~OlderDatabase() { std::filesystem::remove(path); }
};

TEST(Storage, ItemIdMigrationKeepsItemsTheirIdsAndWhatRefersToThem) {
    OlderDatabase older(6, R"sql(
        INSERT INTO users (jid, registered_at) VALUES ('a@x', 0);
        INSERT INTO nodes VALUES ('topic', 'p@x', 'publishers', 0, 0), ('other', 'p@x', 'publishers', 0, 0);
        INSERT INTO subscriptions VALUES ('other', 'a@x', 0);
        INSERT INTO items (id, item_id, node, publisher, payload, title, body, link, priority, published_ms)
            VALUES (7, 'i1', 'topic', 'p@x', '<n/>', 't', '', '', 1, 1), (9, 'gone', 'topic', 'p@x', '<n/>', 't', '', '', 1, 1);
        DELETE FROM items WHERE id = 9;
        INSERT INTO queue VALUES ('a@x', 7, 1, NULL);
        INSERT INTO history VALUES ('a@x', 7, 'delivered', 5);
    )sql");
    Database db(older.path.string());
    SqliteDeliveryQueue queue(db);
    const auto queued = queue.next("a@x", 0, 0, 10, 10);
    ASSERT_EQ(queued.size(), 1u) << "the queue row survived the table rebuild";
    EXPECT_EQ(queued[0].seq, 7);
    EXPECT_EQ(queue.history("a@x", 10).size(), 1u);
    auto item = make_item("i1", 1);
    item.node = "other";
    const auto fan_out = queue.publish(item);
    EXPECT_EQ(fan_out.seq, 10) << "ids are never reused";
    auto foreign_keys = db.prepare("PRAGMA foreign_keys");
    ASSERT_TRUE(foreign_keys.step());
    EXPECT_EQ(foreign_keys.column_int(0), 1) << "enforced again after migrating";
}

TEST(Storage, CountsMigrationStartsFromTheRowsThere) {
    OlderDatabase older(7, R"sql(
        INSERT INTO users (jid, registered_at) VALUES ('a@x', 0), ('b@x', 0);
        INSERT INTO nodes VALUES ('topic', 'p@x', 'publishers', 0, 0), ('inbox/a@x', 'a@x', 'publishers', 1, 0);
        INSERT INTO items (id, item_id, node, publisher, payload, title, body, link, priority, published_ms)
            VALUES (1, 'i1', 'topic', 'p@x', '<n/>', 't', '', '', 1, 1), (2, 'i2', 'topic', 'p@x', '<n/>', 't', '', '', 1, 1);
        INSERT INTO queue VALUES ('a@x', 2, 1, NULL);
        INSERT INTO history VALUES ('a@x', 1, 'delivered', 5), ('b@x', 1, 'delivered', 5), ('b@x', 2, 'expired', 6);
    )sql");
    Database db(older.path.string());
    const auto counts = SqliteDeliveryQueue(db).counts();
    EXPECT_EQ(counts.users, 2);
    EXPECT_EQ(counts.nodes, 1);
    EXPECT_EQ(counts.queued, 1);
    EXPECT_EQ(counts.delivered, 2);
    EXPECT_EQ(counts.dropped, 0);
    EXPECT_EQ(counts.expired, 1);
}

