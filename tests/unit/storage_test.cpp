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

TEST(UserRepository, PausingTouchesNoOtherPreference) {
    Database db(":memory:");
    SqliteUserRepository users(db);
    users.upsert({"a@x", {}, 0});
    users.upsert({"b@x", {}, 0});
    const auto fresh = users.set_paused("a@x", true);
    EXPECT_TRUE(fresh.paused);
    EXPECT_EQ(fresh.dnd_holds, Preferences{}.dnd_holds) << "defaults for one who never chose";
    EXPECT_EQ(fresh.escalation_min_priority, Preferences{}.escalation_min_priority);
    EXPECT_TRUE(users.preferences("a@x").paused);

    Preferences chosen;
    chosen.dnd_holds = "high";
    chosen.escalation_channel = "mail";
    chosen.escalation_target = "b@example.org";
    users.save_preferences("b@x", chosen);
    users.set_paused("b@x", true);
    const auto resumed = users.set_paused("b@x", false);
    EXPECT_FALSE(resumed.paused);
    EXPECT_EQ(resumed.dnd_holds, "high");
    EXPECT_EQ(resumed.escalation_target, "b@example.org");
    EXPECT_EQ(users.preferences("b@x").escalation_channel, "mail");
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
    EXPECT_NE(backend_problem("postgresql").value_or("").find("not built yet"), std::string::npos);
    EXPECT_TRUE(backend_problem("mysql"));
    EXPECT_THROW(open_backend({.backend = "postgresql", .path = ":memory:"}), StorageError);
    EXPECT_EQ(open_backend({.path = ":memory:"})->repositories().users.count(), 0);
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
using herald::storage::fixtures::QueueFixture;

TEST_F(QueueFixture, PublishFansOutOnceAndQueuesAreReadInOrder) {
    EXPECT_EQ(queue.publish(make_item("i1", 1)).users.size(), 2u);
    queue.publish(make_item("i2", 1));
    EXPECT_EQ(queue.queued_count("a@x"), 2);
    const auto first = queue.next("a@x", 0, 0, 10, 1);
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].item.item_id, "i1");
    const auto rest = queue.next("a@x", first[0].seq, 0, 10, 10);
    ASSERT_EQ(rest.size(), 1u);
    EXPECT_EQ(rest[0].item.item_id, "i2");
    EXPECT_THROW(queue.publish(make_item("i1", 1)), StorageError) << "item ids are unique";
}

TEST_F(QueueFixture, ItemIdsAreUniquePerTopicOnly) {
    nodes.create({"other", "q@x", "publishers", false, 0});
    nodes.subscribe("other", "a@x", 0);
    queue.publish(make_item("taken-in-advance", 1));
    auto real = make_item("taken-in-advance", 1);
    real.node = "other";
    EXPECT_NO_THROW(queue.publish(real)) << "an id taken on one topic does not block another";
    EXPECT_THROW(queue.publish(real), StorageError) << "but is unique within its topic";
    std::vector<std::string> nodes_seen;
    for (const auto& queued : queue.next("a@x", 0, 0, 10, 10)) nodes_seen.push_back(queued.item.node);
    EXPECT_EQ(nodes_seen, (std::vector<std::string>{"topic", "other"}));
}

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

TEST_F(QueueFixture, CountsFollowEveryWayRowsComeAndGo) {
    nodes.create({"inbox/a@x", "a@x", "publishers", true, 0});
    nodes.create({"spare", "p@x", "publishers", false, 0});
    queue.publish(make_item("i1", 1));
    queue.publish(make_item("i2", 0));
    queue.publish(make_item("short-lived", 1, 100));
    queue.confirm("a@x", queue.next("a@x", 0, 0, 10, 1)[0].seq, 10);
    queue.trim({"b@x"}, 2, 20);
    queue.expire(150);
    auto counts = queue.counts();
    EXPECT_EQ(counts.users, 2);
    EXPECT_EQ(counts.nodes, 2) << "personal nodes are not topics";
    EXPECT_EQ(counts.queued, 2);
    EXPECT_EQ(counts.delivered, 1);
    EXPECT_EQ(counts.dropped, 1);
    EXPECT_EQ(counts.expired, 2) << "one per subscriber";

    nodes.remove("topic");  // its items go, and their queue rows by cascade
    users.remove("a@x");
    counts = queue.counts();
    EXPECT_EQ(counts.users, 1);
    EXPECT_EQ(counts.nodes, 1);
    EXPECT_EQ(counts.queued, 0);
    EXPECT_EQ(counts.delivered, 1) << "outcomes are totals: removing rows does not lower them";
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

TEST_F(QueueFixture, ConfirmMovesToHistoryOnce) {
    queue.publish(make_item("i1", 1));
    const auto seq = queue.next("a@x", 0, 0, 10, 10)[0].seq;
    queue.confirm("a@x", seq, 5);
    queue.confirm("a@x", seq, 6);
    EXPECT_EQ(queue.queued_count("a@x"), 0);
    EXPECT_EQ(queue.queued_count("b@x"), 1) << "b's copy is untouched";
    auto history = db.prepare("SELECT outcome, at_ms FROM history WHERE user = 'a@x'");
    ASSERT_TRUE(history.step());
    EXPECT_EQ(history.column_text(0), "delivered");
    EXPECT_EQ(history.column_int(1), 5);
    EXPECT_FALSE(history.step());
}

TEST_F(QueueFixture, PriorityFilterAndExpiry) {
    queue.publish(make_item("low", 0));
    queue.publish(make_item("urgent", 3));
    queue.publish(make_item("short-lived", 2, 100));
    const auto high = queue.next("a@x", 0, 2, 50, 10);
    ASSERT_EQ(high.size(), 2u);
    EXPECT_EQ(high[0].item.item_id, "urgent");
    EXPECT_EQ(queue.next("a@x", 0, 0, 150, 10).size(), 2u) << "expired items are not delivered";
    EXPECT_EQ(queue.expire(150), 2) << "one expired row per subscriber";
    EXPECT_EQ(queue.queued_count("a@x"), 2);
}

TEST_F(QueueFixture, TrimDropsOldestLowestAndCountsForTheUser) {
    queue.publish(make_item("urgent-old", 3));
    queue.publish(make_item("normal-1", 1));
    queue.publish(make_item("normal-2", 1));
    queue.publish(make_item("low-3", 0));
    EXPECT_EQ(queue.trim({"a@x"}, 2, 9), 2);
    std::vector<std::string> left;
    for (const auto& queued : queue.next("a@x", 0, 0, 10, 10)) left.push_back(queued.item.item_id);
    EXPECT_EQ(left, (std::vector<std::string>{"urgent-old", "normal-2"}));
    EXPECT_EQ(queue.take_dropped_count("a@x"), 2);
    EXPECT_EQ(queue.take_dropped_count("a@x"), 0);
}

TEST_F(QueueFixture, RemovingUserAndNodeCleansUp) {
    queue.publish(make_item("i1", 1));
    nodes.create({"inbox/a@x", "a@x", "publishers", true, 0});
    nodes.remove_user("a@x");
    EXPECT_EQ(queue.queued_count("a@x"), 0);
    EXPECT_FALSE(nodes.find("inbox/a@x"));
    EXPECT_FALSE(nodes.is_subscribed("topic", "a@x"));
    EXPECT_TRUE(nodes.is_subscribed("topic", "b@x"));
    nodes.remove("topic");
    EXPECT_EQ(queue.queued_count("b@x"), 0);
    EXPECT_TRUE(queue.recent_items("topic", 10).empty());
}

TEST_F(QueueFixture, RemovingANodeReturnsWhoWasSubscribed) {
    auto subscribers = nodes.remove("topic");
    std::sort(subscribers.begin(), subscribers.end());
    EXPECT_EQ(subscribers, (std::vector<std::string>{"a@x", "b@x"}));
    EXPECT_FALSE(nodes.find("topic"));
    EXPECT_TRUE(nodes.subscriptions_of("a@x").empty());
    EXPECT_TRUE(nodes.remove("topic").empty()) << "nothing left to remove";
}

TEST_F(QueueFixture, ANodeIsRemovedIfUnsubscribedOnly) {
    queue.publish(make_item("i1", 1));
    EXPECT_FALSE(nodes.remove_if_unsubscribed("topic"));
    EXPECT_TRUE(nodes.find("topic"));
    EXPECT_EQ(queue.recent_items("topic", 10).size(), 1u);
    nodes.unsubscribe("topic", "a@x");
    EXPECT_FALSE(nodes.remove_if_unsubscribed("topic")) << "b@x is still subscribed";
    nodes.unsubscribe("topic", "b@x");
    EXPECT_TRUE(nodes.remove_if_unsubscribed("topic"));
    EXPECT_FALSE(nodes.find("topic"));
    EXPECT_TRUE(queue.recent_items("topic", 10).empty()) << "its items go with it";
    EXPECT_FALSE(nodes.remove_if_unsubscribed("topic"));
}

TEST_F(QueueFixture, RemovingWhatAUserOwnsReturnsEachTopicWithItsSubscribers) {
    nodes.create({"second", "p@x", "publishers", false, 0});
    nodes.create({"inbox/p@x", "p@x", "publishers", true, 0});
    nodes.create({"elsewhere", "a@x", "publishers", false, 0});
    nodes.subscribe("second", "a@x", 0);
    auto removed = nodes.remove_owned_by("p@x");
    ASSERT_EQ(removed.size(), 2u);
    std::sort(removed[1].subscribers.begin(), removed[1].subscribers.end());
    EXPECT_EQ(removed[0].name, "second");
    EXPECT_EQ(removed[0].subscribers, std::vector<std::string>{"a@x"});
    EXPECT_EQ(removed[1].name, "topic");
    EXPECT_EQ(removed[1].subscribers, (std::vector<std::string>{"a@x", "b@x"}));
    EXPECT_FALSE(nodes.find("topic"));
    EXPECT_FALSE(nodes.find("second"));
    EXPECT_TRUE(nodes.find("inbox/p@x")) << "personal nodes are left to remove_user";
    EXPECT_TRUE(nodes.find("elsewhere"));
    EXPECT_TRUE(nodes.remove_owned_by("p@x").empty());
}
