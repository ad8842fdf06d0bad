// `herald admin`'s queries (storage/sqlite/sqlite_admin_queries.*) on
// :memory:, and the online backup and its check (storage/sqlite/sqlite_backup.*)
// on real files.

#include <gtest/gtest.h>

#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_admin_queries.h"
#include "storage/sqlite/sqlite_backup.h"
#include "storage/storage_error.h"
#include "tests/unit/queue_fixture.h"

namespace herald::storage {
namespace {

using fixtures::make_item;

struct AdminQueriesTest : fixtures::QueueFixture {
    SqliteAdminQueries admin{db};

    std::int64_t publish(const std::string& id, int priority = 1) { return queue.publish(make_item(id, priority)).seq; }

    std::vector<std::int64_t> queued_for(const std::string& user) {
        std::vector<std::int64_t> seqs;
        for (const auto& entry : admin.queue(user)) seqs.push_back(entry.seq);
        return seqs;
    }
};

TEST_F(AdminQueriesTest, UsersShowSubscriptionsQueueDepthAndSetAside) {
    const auto first = publish("one");
    publish("two");
    queue.set_aside("a@x", first, 10);
    const auto users = admin.users();
    ASSERT_EQ(users.size(), 2u);
    EXPECT_EQ(users[0].jid, "a@x");
    EXPECT_EQ(users[0].subscriptions, 1);
    EXPECT_EQ(users[0].queued, 1);
    EXPECT_EQ(users[0].set_aside, 1);
    EXPECT_EQ(users[1].jid, "b@x");
    EXPECT_EQ(users[1].queued, 2);
    EXPECT_EQ(users[1].set_aside, 0);
}

TEST_F(AdminQueriesTest, AUserShowsTheTopicsTheyFollowAndOwn) {
    EXPECT_FALSE(admin.user("p@x")) << "p@x owns a topic but is not registered";
    users.upsert({"p@x", std::string("p@mail.example"), 5});
    nodes.create({"inbox/p@x", "p@x", "open", true, 0});
    nodes.subscribe("inbox/p@x", "p@x", 0);
    const auto owner = admin.user("p@x");
    ASSERT_TRUE(owner);
    EXPECT_EQ(owner->summary.email, "p@mail.example");
    EXPECT_EQ(owner->owned_topics, std::vector<std::string>{"topic"}) << "personal nodes are no topics";
    EXPECT_TRUE(owner->subscribed.empty());
    EXPECT_EQ(admin.user("a@x")->subscribed, std::vector<std::string>{"topic"});
}

TEST_F(AdminQueriesTest, TopicsCountSubscribersQueuedAndItems) {
    nodes.create({"quiet", "a@x", "publishers", false, 0});
    nodes.create({"inbox/a@x", "a@x", "open", true, 0});
    queue.confirm("b@x", publish("one"), 5);
    publish("two");
    const auto topics = admin.topics();
    ASSERT_EQ(topics.size(), 2u) << "personal nodes are not listed";
    EXPECT_EQ(topics[0].name, "quiet");
    EXPECT_EQ(topics[0].subscribers, 0);
    EXPECT_EQ(topics[1].name, "topic");
    EXPECT_EQ(topics[1].owner, "p@x");
    EXPECT_EQ(topics[1].subscribers, 2);
    EXPECT_EQ(topics[1].queued, 3);
    EXPECT_EQ(topics[1].items, 2);
}

TEST_F(AdminQueriesTest, AQueueListsItsItemsOldestFirst) {
    const auto low = publish("low", 0);
    const auto high = publish("high", 2);
    const auto entries = admin.queue("a@x");
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].seq, low);
    EXPECT_EQ(entries[0].title, "low");
    EXPECT_EQ(entries[1].seq, high);
    EXPECT_EQ(entries[1].priority, 2);
    EXPECT_TRUE(admin.queue("nobody@x").empty());
}

TEST_F(AdminQueriesTest, RequeuePutsOneSetAsideDeliveryBackInItsUsersQueue) {
    const auto first = publish("one", 2);
    const auto second = publish("two");
    queue.set_aside("a@x", first, 10);
    queue.set_aside("a@x", second, 11);
    ASSERT_EQ(admin.set_aside().size(), 2u);
    EXPECT_TRUE(queued_for("a@x").empty());

    EXPECT_EQ(admin.requeue(DeliveryKey{"a@x", first}), 1);
    ASSERT_EQ(queued_for("a@x"), std::vector<std::int64_t>{first});
    EXPECT_EQ(admin.queue("a@x")[0].priority, 2) << "with the item's own priority";
    ASSERT_EQ(queue.next("a@x", 0, 0, 20, 10).size(), 1u) << "the router reads it like any other";
    const auto left = admin.set_aside();
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].seq, second);
    EXPECT_EQ(admin.requeue(DeliveryKey{"a@x", first}), 0) << "no longer set aside";
    EXPECT_EQ(admin.requeue(DeliveryKey{"b@x", second}), 0) << "not b's";
    EXPECT_EQ(queued_for("b@x").size(), 2u);
}

TEST_F(AdminQueriesTest, RequeueAllSkipsUsersWhoAreGone) {
    const auto seq = publish("one");
    queue.set_aside("a@x", seq, 10);
    queue.set_aside("b@x", seq, 10);
    users.remove("b@x");
    EXPECT_EQ(admin.requeue(std::nullopt), 1);
    EXPECT_EQ(queued_for("a@x"), std::vector<std::int64_t>{seq});
    EXPECT_TRUE(queued_for("b@x").empty());
}

TEST_F(AdminQueriesTest, DropRecordsSetAsideDeliveriesAsDropped) {
    const auto first = publish("one");
    const auto second = publish("two");
    queue.set_aside("a@x", first, 10);
    queue.set_aside("b@x", second, 10);
    EXPECT_EQ(admin.drop(DeliveryKey{"a@x", first}, 50), 1);
    EXPECT_EQ(admin.set_aside().size(), 1u);
    const auto history = queue.history("a@x", 10);
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].outcome, "dropped");
    EXPECT_EQ(history[0].at_ms, 50);
    EXPECT_EQ(admin.drop(std::nullopt, 60), 1);
    EXPECT_TRUE(admin.set_aside().empty());
    EXPECT_EQ(admin.requeue(std::nullopt), 0) << "a dropped delivery is not requeued";
}

TEST_F(AdminQueriesTest, StatsCountWhatIsQueuedAndSetAside) {
    const auto seq = publish("one");
    queue.set_aside("a@x", seq, 10);
    std::map<std::string, std::int64_t> stats;
    for (const auto& [name, value] : admin.stats()) stats[name] = value;
    EXPECT_EQ(stats["users"], 2);
    EXPECT_EQ(stats["topics"], 1);
    EXPECT_EQ(stats["queued"], 1);
    EXPECT_EQ(stats["set aside"], 1);
    EXPECT_EQ(stats["items"], 1);
}

class BackupTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("herald-backup-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::filesystem::path dir_;
};

std::map<std::string, std::int64_t> counts_of(const BackupCheck& check) {
    return {check.counts.begin(), check.counts.end()};
}

TEST_F(BackupTest, ACopyTakenWhileAWriterCommitsIsCompleteAndRestorable) {
    const auto source = dir_ / "herald.db";
    Database db(source.string());
    SqliteUserRepository users(db);
    Transaction seeding(db);
    for (int i = 0; i < 20000; ++i) users.upsert({"seed" + std::to_string(i) + "@x", std::string(200, 'e'), i});
    seeding.commit();

    // Another connection commits all along, faster than herald would (no
    // fsync): page-by-page copying alone would start over forever.
    std::atomic<bool> done{false};
    std::atomic<int> written{0};
    std::thread writer([&] {
        Database live(source.string());
        live.execute("PRAGMA synchronous=OFF");
        SqliteUserRepository live_users(live);
        while (!done) live_users.upsert({"live" + std::to_string(written++) + "@x", {}, 0});
    });
    while (written < 10) std::this_thread::yield();
    const auto pages = backup_database(source, dir_ / "copy.db", {1, std::chrono::seconds(5)});
    done = true;
    writer.join();

    EXPECT_GT(pages, 10);
    EXPECT_GT(written.load(), 0);
    EXPECT_EQ(std::filesystem::status(dir_ / "copy.db").permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    EXPECT_FALSE(std::filesystem::exists(dir_ / "copy.db.partial"));
    const auto check = check_backup(dir_ / "copy.db");
    EXPECT_TRUE(check.problems.empty()) << check.problems.front();
    EXPECT_EQ(check.schema_version, latest_schema_version());
    EXPECT_GE(counts_of(check)["users"], 20000);
}

TEST_F(BackupTest, TheCheckFindsDamageAndAWrongSchema) {
    {
        Database db((dir_ / "herald.db").string());
        SqliteUserRepository users(db);
        Transaction seeding(db);
        for (int i = 0; i < 500; ++i) users.upsert({"u" + std::to_string(i) + "@x", std::string(300, 'e'), i});
        seeding.commit();
    }
    backup_database(dir_ / "herald.db", dir_ / "good.db");
    EXPECT_TRUE(check_backup(dir_ / "good.db").problems.empty());
    EXPECT_EQ(counts_of(check_backup(dir_ / "good.db"))["users"], 500);

    std::filesystem::copy_file(dir_ / "good.db", dir_ / "damaged.db");
    {
        std::fstream file(dir_ / "damaged.db", std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(4096 * 3);
        file << std::string(4096, '\x5a');
    }
    EXPECT_FALSE(check_backup(dir_ / "damaged.db").problems.empty());

    auto altered_copy = [&](const std::string& name, const char* sql) {
        std::filesystem::copy_file(dir_ / "good.db", dir_ / name);
        sqlite3* db = nullptr;
        sqlite3_open((dir_ / name).c_str(), &db);
        EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
        sqlite3_close(db);
    };
    // Tables intact, an index's pages lost to the schema: only integrity_check sees it.
    altered_copy("orphan.db",
                 "PRAGMA writable_schema=ON; DELETE FROM sqlite_schema WHERE name = 'subscriptions_by_jid';");
    const auto orphan = check_backup(dir_ / "orphan.db");
    ASSERT_FALSE(orphan.problems.empty());
    EXPECT_NE(orphan.problems[0].find("never used"), std::string::npos) << orphan.problems[0];

    altered_copy("old.db", "PRAGMA user_version=3");
    const auto old = check_backup(dir_ / "old.db");
    ASSERT_EQ(old.problems.size(), 1u);
    EXPECT_NE(old.problems[0].find("schema version 3"), std::string::npos) << old.problems[0];

    std::ofstream(dir_ / "text.db") << "not a database at all, just some text that is long enough";
    EXPECT_FALSE(check_backup(dir_ / "text.db").problems.empty());
}

TEST_F(BackupTest, MissingSourceAndUnwritableDestinationAreTold) {
    try {
        check_backup(dir_ / "absent.db");
        FAIL() << "no error for a missing file";
    } catch (const BackupError& error) {
        EXPECT_EQ(error.kind(), BackupError::Kind::no_input);
    }
    { Database db((dir_ / "herald.db").string()); }
    try {
        backup_database(dir_ / "herald.db", dir_ / "no-such-dir" / "copy.db");
        FAIL() << "no error for an impossible destination";
    } catch (const BackupError& error) {
        EXPECT_EQ(error.kind(), BackupError::Kind::cannot_create);
    }
}

}  // namespace
}  // namespace herald::storage
