#include <gtest/gtest.h>
#include <sys/stat.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <queue>

#include "storage/database.h"
#include "storage/migrations.h"
#include "storage/sqlite_user_repository.h"
#include "storage/storage_error.h"
#include "storage/storage_worker.h"

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

TEST(UserRepository, RegistersIdempotentlyUpdatesEmailAndRemoves) {
    Database db(":memory:");
    SqliteUserRepository users(db);
    EXPECT_TRUE(users.upsert({"alice@localhost", std::nullopt, 100}));
    EXPECT_FALSE(users.upsert({"alice@localhost", "alice@example.org", 200}));
    const auto alice = users.find("alice@localhost");
    ASSERT_TRUE(alice);
    EXPECT_EQ(alice->email, "alice@example.org");
    EXPECT_EQ(alice->registered_at, 100);  // the first registration's time stays
    EXPECT_FALSE(users.find("bob@localhost"));
    EXPECT_EQ(users.count(), 1);
    EXPECT_TRUE(users.remove("alice@localhost"));
    EXPECT_FALSE(users.remove("alice@localhost"));
    EXPECT_EQ(users.count(), 0);
}

TEST(UserRepository, PagesThroughUsersInOrder) {
    Database db(":memory:");
    SqliteUserRepository users(db);
    for (int i = 0; i < 25; ++i) users.upsert({"u" + std::to_string(100 + i) + "@localhost", {}, 0});
    std::vector<std::string> all;
    std::string after;
    for (;;) {
        auto page = users.jids_after(after, 10);
        if (page.empty()) break;
        after = page.back();
        all.insert(all.end(), page.begin(), page.end());
    }
    ASSERT_EQ(all.size(), 25u);
    EXPECT_EQ(all.front(), "u100@localhost");
    EXPECT_EQ(all.back(), "u124@localhost");
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

TEST(StorageWorker, CompletesAfterCommitAndIsolatesFailingJobs) {
    CompletionQueue completions;
    StorageWorker worker(":memory:", [&](std::function<void()> f) { completions.post(std::move(f)); });
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

TEST(StorageWorker, StopFinishesQueuedJobs) {
    const auto path = std::filesystem::temp_directory_path() / "herald-worker.db";
    std::filesystem::remove(path);
    {
        CompletionQueue completions;
        StorageWorker worker(path.string(), [&](std::function<void()> f) { completions.post(std::move(f)); });
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
