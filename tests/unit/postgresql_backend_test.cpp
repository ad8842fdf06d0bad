// What only the PostgreSQL backend has: commit groups as transactions with a
// savepoint per job, migrations under an advisory lock, the refusal of a
// newer schema, and a connection that comes back after the server restarts.

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <latch>
#include <map>
#include <thread>

#include "storage/postgresql/connection.h"
#include "storage/postgresql/migrations.h"
#include "storage/sqlite_to_postgresql.h"
#include "storage/storage_error.h"
#include "tests/support/private_postgresql.h"
#include "tests/unit/backend_fixture.h"

namespace herald::storage {
namespace {

struct PostgresqlBackendTest : ::testing::Test {
    void SetUp() override { HERALD_SKIP_UNLESS_AVAILABLE("postgresql"); }

    std::int64_t users_seen_by_another_connection(const StorageSettings& settings) {
        return open_backend(settings)->repositories().users.count();
    }
};

TEST_F(PostgresqlBackendTest, AJobThatThrowsLeavesTheRestOfItsGroupCommitted) {
    const auto settings = fixtures::fresh_database("postgresql");
    const auto backend = open_backend(settings);
    backend->begin();
    EXPECT_FALSE(backend->run_isolated([](Repositories& r) { r.users.upsert({"a@x", {}, 1}); }));
    const auto thrown = backend->run_isolated([](Repositories& r) {
        r.users.upsert({"b@x", {}, 1});
        throw std::runtime_error("boom");
    });
    ASSERT_TRUE(thrown);
    EXPECT_THROW(std::rethrow_exception(thrown), std::runtime_error) << "the job's own error comes back";
    const auto refused = backend->run_isolated([](Repositories& r) {
        r.users.upsert({"c@x", {}, 1});
        r.nodes.subscribe("no-such-topic", "c@x", 1);  // a failed statement: the transaction needs its savepoint
    });
    ASSERT_TRUE(refused);
    EXPECT_THROW(std::rethrow_exception(refused), StorageError);
    EXPECT_FALSE(backend->run_isolated([](Repositories& r) { r.users.upsert({"d@x", {}, 1}); }))
        << "the group goes on after a failed statement";
    EXPECT_EQ(users_seen_by_another_connection(settings), 0) << "nothing is visible before COMMIT";
    backend->commit();

    EXPECT_EQ(users_seen_by_another_connection(settings), 2);
    auto& users = backend->repositories().users;
    EXPECT_TRUE(users.find("a@x"));
    EXPECT_FALSE(users.find("b@x"));
    EXPECT_FALSE(users.find("c@x"));
    EXPECT_TRUE(users.find("d@x"));
}

TEST_F(PostgresqlBackendTest, AJobThatSwallowsAFailedStatementIsUndoneNotCommittedSilently) {
    const auto settings = fixtures::fresh_database("postgresql");
    const auto backend = open_backend(settings);
    backend->begin();
    const auto error = backend->run_isolated([](Repositories& r) {
        r.users.upsert({"a@x", {}, 1});
        try {
            r.nodes.subscribe("no-such-topic", "a@x", 1);
        } catch (const StorageError&) {
        }
    });
    EXPECT_TRUE(error);
    EXPECT_FALSE(backend->run_isolated([](Repositories& r) { r.users.upsert({"b@x", {}, 1}); }));
    backend->commit();
    EXPECT_FALSE(backend->repositories().users.find("a@x"));
    EXPECT_TRUE(backend->repositories().users.find("b@x"));
}

TEST_F(PostgresqlBackendTest, TwoHeraldsMigratingAtOnceMakeOneSchema) {
    const auto settings = fixtures::empty_postgresql_database();
    {
        pg::Connection connection(settings.postgresql_connection, std::nullopt);
        ASSERT_EQ(pg::postgresql_schema_version(connection), 0) << "a database herald never saw";
    }
    std::latch start(2);
    std::exception_ptr failures[2];
    std::vector<std::thread> heralds;
    for (int i = 0; i < 2; ++i)
        heralds.emplace_back([&, i] {
            start.arrive_and_wait();
            try {
                open_backend(settings);
            } catch (...) {
                failures[i] = std::current_exception();
            }
        });
    for (auto& herald : heralds) herald.join();
    EXPECT_FALSE(failures[0]);
    EXPECT_FALSE(failures[1]);

    pg::Connection connection(settings.postgresql_connection, std::nullopt);
    EXPECT_EQ(pg::postgresql_schema_version(connection), pg::latest_postgresql_schema_version());
    EXPECT_EQ(connection.run_once("SELECT count(*) FROM herald_schema", {}).integer(0, 0), 1);
    EXPECT_EQ(connection.run_once("SELECT count(*) FROM counters", {}).integer(0, 0), 3)
        << "the first migration's rows, once";
    const auto backend = open_backend(settings);
    EXPECT_EQ(backend->admin().schema_version(), pg::latest_postgresql_schema_version());
}

TEST_F(PostgresqlBackendTest, ASecondDaemonOnTheSameDatabaseIsRefusedButAdminMayRead) {
    auto settings = fixtures::fresh_database("postgresql");
    settings.sole_instance = true;
    auto running = open_backend(settings);
    EXPECT_THROW(open_backend(settings), StorageError) << "two daemons would both claim escalations and feeds";
    auto admin = settings;
    admin.sole_instance = false;
    EXPECT_EQ(open_backend(admin)->repositories().users.count(), 0);
    running.reset();
    EXPECT_NO_THROW(open_backend(settings)) << "the database is free once the daemon is gone";
}

TEST_F(PostgresqlBackendTest, RefusesADatabaseFromANewerHerald) {
    const auto settings = fixtures::empty_postgresql_database();
    open_backend(settings);
    {
        pg::Connection connection(settings.postgresql_connection, std::nullopt);
        connection.run_once("UPDATE herald_schema SET version = $1", {pg::parameter(999)});
    }
    try {
        open_backend(settings);
        FAIL() << "opened a database from a newer herald";
    } catch (const StorageError& error) {
        EXPECT_NE(std::string(error.what()).find("newer than this herald"), std::string::npos) << error.what();
    }
}

TEST_F(PostgresqlBackendTest, ABadConnectionStringIsAStorageError) {
    EXPECT_THROW(open_backend({.backend = "postgresql", .path = {}, .postgresql_connection = "postgresql://herald@127.0.0.1:1/none"}),
                 StorageError);
}

// The shared server is stopped and restarted under the backend.
TEST_F(PostgresqlBackendTest, TheNextGroupReconnectsAfterTheServerRestarted) {
    const auto backend = open_backend(fixtures::fresh_database("postgresql"));
    auto& server = fixtures::shared_postgresql_server();
    const auto group = [&](const std::string& jid) {
        backend->begin();
        if (auto error = backend->run_isolated([&](Repositories& r) { r.users.upsert({jid, {}, 1}); }))
            std::rethrow_exception(error);
        backend->commit();
    };
    group("before@x");

    server.restart();
    EXPECT_NO_THROW(group("after-restart@x")) << "begin() connects again; nothing of the group was lost";

    backend->begin();
    EXPECT_FALSE(backend->run_isolated([](Repositories& r) { r.users.upsert({"in-flight@x", {}, 1}); }));
    server.restart();
    try {
        backend->run_isolated([](Repositories& r) { r.users.upsert({"lost@x", {}, 1}); });
        FAIL() << "a group whose server went away carried on";
    } catch (const StorageError& error) {
        EXPECT_TRUE(error.transient()) << error.what();
    }
    backend->rollback();

    server.stop();
    try {
        group("while-down@x");
        FAIL() << "a group without a server";
    } catch (const StorageError& error) {
        EXPECT_TRUE(error.transient()) << error.what();
    }
    backend->rollback();
    server.start();
    EXPECT_NO_THROW(group("back@x"));

    auto& users = backend->repositories().users;
    EXPECT_EQ(users.count(), 3);
    EXPECT_TRUE(users.find("after-restart@x"));
    EXPECT_FALSE(users.find("in-flight@x")) << "the group under way when the server went away is lost, unacknowledged";
    EXPECT_TRUE(users.find("back@x"));
}

// What an operator's SQLite database holds, copied into PostgreSQL: every
// admin count and every user's queue, history and acknowledgements the same;
// new item ids after the old ones.
TEST_F(PostgresqlBackendTest, ASqliteDatabaseIsCopiedWholeIntoAnEmptyOne) {
    const auto dir = std::filesystem::temp_directory_path() / ("herald-copy-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "herald.db";
    std::int64_t last_sqlite_seq = 0;
    {
        const auto sqlite = open_backend({.path = file.string()});
        auto& r = sqlite->repositories();
        r.users.upsert({"a@x", std::string("a@mail.example"), 5});
        r.users.upsert({"b@x", {}, 6});
        Preferences mail;
        mail.escalation_channel = "mail";
        mail.escalation_target = "a@mail.example";
        mail.paused = true;
        r.users.save_preferences("a@x", mail);
        r.nodes.create({"topic", "p@x", "publishers", false, 1});
        r.nodes.create({"inbox/a@x", "a@x", "open", true, 1});
        r.nodes.subscribe("topic", "a@x", 2);
        r.nodes.subscribe("topic", "b@x", 2);
        r.tokens.add("digest", {"topic", "ci", "p@x"}, 3);
        auto page = fixtures::make_item("page", 2);
        page.ack_required = true;
        const auto paged = r.queue.publish(page).seq;
        const auto plain = r.queue.publish(fixtures::make_item("plain", 1)).seq;
        r.queue.confirm("a@x", paged, 10);
        r.queue.set_aside("b@x", plain, 11);
        r.escalations.mark_away("b@x", 12);
        r.escalations.claim({"b@x", paged, 2, "mail"}, 13);
        r.nodes.create({"feed/abc", "notify.x", "publishers", false, 1});
        r.feeds.add({.node = "feed/abc", .url = "https://example.org/feed", .interval_seconds = 900}, 1);
        r.feeds.remember("feed/abc", "k1", 14);
        auto gone = fixtures::make_item("gone", 1);
        gone.node = "feed/abc";
        last_sqlite_seq = r.queue.publish(gone).seq;
        ASSERT_TRUE(r.nodes.remove_if_unsubscribed("feed/abc")) << "its item goes: the largest id is no row now";
    }
    const auto settings = fixtures::empty_postgresql_database();
    const auto copied = copy_sqlite_to_postgresql(file, settings);
    const std::map<std::string, std::int64_t> rows(copied.begin(), copied.end());
    EXPECT_EQ(rows.at("items"), 2);

    const auto sqlite = open_backend({.path = file.string()});
    const auto postgresql = open_backend(settings);
    EXPECT_EQ(postgresql->admin().stats(), sqlite->admin().stats());
    for (const auto* user : {"a@x", "b@x"}) {
        auto seqs = [&](Backend& backend) {
            std::vector<std::pair<std::int64_t, std::string>> queued;
            for (const auto& q : backend.repositories().queue.next(user, 0, 0, 100, 10))
                queued.emplace_back(q.seq, q.item.item_id);
            return queued;
        };
        EXPECT_EQ(seqs(*postgresql), seqs(*sqlite)) << user;
        auto outcomes = [&](Backend& backend) {
            std::vector<std::string> found;
            for (const auto& h : backend.repositories().queue.history(user, 10))
                found.push_back(h.outcome + " " + h.item.item_id + " " + std::to_string(h.at_ms));
            return found;
        };
        EXPECT_EQ(outcomes(*postgresql), outcomes(*sqlite)) << user;
        EXPECT_EQ(postgresql->repositories().acks.waiting(user, 10).size(),
                  sqlite->repositories().acks.waiting(user, 10).size()) << user;
        EXPECT_EQ(postgresql->admin().user(user)->summary.email, sqlite->admin().user(user)->summary.email);
    }
    EXPECT_TRUE(postgresql->repositories().users.preferences("a@x").paused);
    EXPECT_EQ(postgresql->repositories().tokens.find("digest")->label, "ci");
    EXPECT_EQ(postgresql->repositories().queue.counts().queued, sqlite->repositories().queue.counts().queued);
    EXPECT_GT(postgresql->repositories().queue.publish(fixtures::make_item("after", 1)).seq, last_sqlite_seq)
        << "ids are never reused";
    EXPECT_THROW(copy_sqlite_to_postgresql(file, settings), StorageError) << "only into an empty database";
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace herald::storage
