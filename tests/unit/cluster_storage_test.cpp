// What several instances sharing one PostgreSQL database rely on (issue 17):
// who serves and who stands by, the one leader, users of a silent instance
// counted away, a silent instance's place taken once, and the notice each
// commit that queued items sends the others, heard on the io_context.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <optional>
#include <vector>

#include "storage/postgresql/connection.h"
#include "storage/postgresql/queue_notice.h"
#include "tests/unit/backend_fixture.h"

namespace herald::storage {
namespace {

using namespace std::chrono_literals;
using fixtures::make_item;

constexpr std::int64_t kDeadAfter = 10'000;

struct PostgresqlClusterTest : ::testing::Test {
    void SetUp() override { HERALD_SKIP_UNLESS_AVAILABLE("postgresql"); }

    StorageSettings database = fixtures::fresh_database("postgresql");

    std::unique_ptr<Backend> instance(const std::string& name) {
        auto settings = database;
        settings.instance = name;
        settings.dead_after_ms = kDeadAfter;
        return open_backend(settings);
    }

    // A committed group of one job.
    template <typename Job>
    void commit(Backend& backend, Job job) {
        backend.begin();
        ASSERT_FALSE(backend.run_isolated([&job](Repositories& repos) { job(repos); }));
        backend.commit();
    }

    struct Presence {
        std::optional<std::int64_t> away_since;
        std::optional<std::string> present_on;
    };
    Presence presence_of(const std::string& jid) {
        pg::Connection connection(database.postgresql_connection, std::nullopt);
        const auto row = connection.run_once("SELECT away_since_ms, present_on FROM users WHERE jid = $1",
                                             {pg::parameter(jid)});
        return {row.optional_integer(0, 0), row.optional_text(0, 1)};
    }
};

TEST_F(PostgresqlClusterTest, AnInstanceServesUnlessItStandsByOrWasReplacedByOneStillAlive) {
    auto a = instance("a");
    auto b = instance("b");
    bool a_serves = false, b_serves = true;
    commit(*a, [&](Repositories& r) { a_serves = r.instances.join(false, 1'000); });
    commit(*b, [&](Repositories& r) { b_serves = r.instances.join(true, 1'000); });
    EXPECT_TRUE(a_serves);
    EXPECT_FALSE(b_serves) << "asked to stand by";

    std::optional<SilentInstance> taken;
    commit(*b, [&](Repositories& r) { taken = r.instances.take_over(1'000 + kDeadAfter / 2); });
    EXPECT_FALSE(taken) << "a is not silent long enough";
    commit(*b, [&](Repositories& r) {
        r.instances.heartbeat(false, 20'000);
        taken = r.instances.take_over(20'000);
    });
    ASSERT_TRUE(taken);
    EXPECT_EQ(taken->name, "a");
    EXPECT_EQ(taken->last_seen_ms, 1'000);

    auto c = instance("c");
    commit(*c, [&](Repositories& r) {
        r.instances.join(true, 20'000);
        EXPECT_FALSE(r.instances.take_over(20'000)) << "a's place is taken once";
    });

    commit(*a, [&](Repositories& r) { a_serves = r.instances.join(false, 21'000); });
    EXPECT_FALSE(a_serves) << "b, alive, serves in its place";
    std::vector<InstanceRecord> seen;
    commit(*a, [&](Repositories& r) { seen = r.instances.instances(); });
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0].replaced_by, std::optional<std::string>("b"));
    EXPECT_TRUE(seen[1].serving);

    commit(*a, [&](Repositories& r) { a_serves = r.instances.join(false, 20'000 + 2 * kDeadAfter); });
    EXPECT_TRUE(a_serves) << "b is silent too: a serves again";
}

TEST_F(PostgresqlClusterTest, OneInstanceLeadsAtATimeAndAnotherTakesOverWhenItsSessionEnds) {
    auto a = instance("a");
    auto b = instance("b");
    bool a_leads = false, b_leads = true;
    commit(*a, [&](Repositories& r) { a_leads = r.instances.lead(); });
    commit(*b, [&](Repositories& r) { b_leads = r.instances.lead(); });
    EXPECT_TRUE(a_leads);
    EXPECT_FALSE(b_leads);
    commit(*a, [&](Repositories& r) { a_leads = r.instances.lead() && r.instances.lead(); });
    EXPECT_TRUE(a_leads) << "asking again keeps the lead";

    a.reset();  // its session ends, as when the process dies
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    do commit(*b, [&](Repositories& r) { b_leads = r.instances.lead(); });
    while (!b_leads && std::chrono::steady_clock::now() < deadline);
    EXPECT_TRUE(b_leads);
}

TEST_F(PostgresqlClusterTest, UsersPresentOnASilentInstanceAreAwaySinceItWasLastSeen) {
    auto a = instance("a");
    auto b = instance("b");
    commit(*a, [](Repositories& r) {
        r.users.upsert({"u@x", {}, 1});
        r.users.upsert({"v@x", {}, 1});
        r.instances.join(false, 1'000);
        r.escalations.mark_present("u@x");
    });
    commit(*b, [](Repositories& r) {
        r.instances.join(false, 1'000);
        r.escalations.mark_present("v@x");
    });
    EXPECT_EQ(presence_of("u@x").present_on, std::optional<std::string>("a"));

    commit(*b, [](Repositories& r) { r.escalations.mark_unknown_away(2'000); });
    EXPECT_FALSE(presence_of("u@x").away_since) << "b does not undo what a, alive, saw";
    EXPECT_TRUE(presence_of("v@x").away_since) << "b's own users are unknown again after it connects";

    std::int64_t released = -1;
    commit(*b, [&](Repositories& r) { released = r.instances.release_silent(1'000 + kDeadAfter / 2); });
    EXPECT_EQ(released, 0) << "a is not silent long enough";
    commit(*b, [&](Repositories& r) { released = r.instances.release_silent(30'000); });
    EXPECT_EQ(released, 1);
    const auto u = presence_of("u@x");
    EXPECT_EQ(u.away_since, std::optional<std::int64_t>(1'000));
    EXPECT_FALSE(u.present_on);
}

TEST_F(PostgresqlClusterTest, ACommitThatQueuedItemsIsHeardByTheOtherInstancesOnly) {
    auto a = instance("a");
    commit(*a, [](Repositories& r) { fixtures::subscribe_two_users(r.users, r.nodes); });
    boost::asio::io_context io;
    std::vector<QueueChange> heard_by_b, heard_by_a;
    auto settings = database;
    settings.instance = "b";
    const auto b_listens = watch_queue_changes(io, settings, [&](const QueueChange& c) { heard_by_b.push_back(c); });
    settings.instance = "a";
    const auto a_listens = watch_queue_changes(io, settings, [&](const QueueChange& c) { heard_by_a.push_back(c); });
    ASSERT_TRUE(b_listens);
    const auto run_until = [&io](auto done) {
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (!done() && std::chrono::steady_clock::now() < deadline) io.run_one_for(50ms);
        return done();
    };
    ASSERT_TRUE(run_until([&] { return heard_by_b.size() == 1 && heard_by_a.size() == 1; }));
    EXPECT_TRUE(heard_by_b[0].everything) << "once listening, anything may have changed before";

    std::vector<std::int64_t> published;
    a->begin();
    for (const auto* id : {"i1", "i2"})
        ASSERT_FALSE(a->run_isolated([&](Repositories& r) { published.push_back(r.queue.publish(make_item(id, 1)).seq); }));
    io.poll();
    EXPECT_EQ(heard_by_b.size(), 1u) << "nothing before COMMIT";
    a->commit();
    ASSERT_TRUE(run_until([&] { return heard_by_b.size() == 2; }));
    EXPECT_FALSE(heard_by_b[1].everything);
    EXPECT_EQ(heard_by_b[1].items, published) << "one notice for the group, naming its items";
    io.poll();
    EXPECT_EQ(heard_by_a.size(), 1u) << "an instance does not hear itself";

    std::vector<std::string> users;
    commit(*a, [&](Repositories& r) { users = r.queue.users_queued_for(published); });
    EXPECT_EQ(users, (std::vector<std::string>{"a@x", "b@x"}));
}

TEST(QueueNotice, NamesTheItemsOrEverythingWhenTheyDoNotFit) {
    EXPECT_EQ(pg::queue_notice("a", {1, 22}), "a 1 22");
    const auto read = pg::read_queue_notice("a 1 22", "b");
    ASSERT_TRUE(read);
    EXPECT_EQ(read->items, (std::vector<std::int64_t>{1, 22}));
    EXPECT_FALSE(read->everything);
    EXPECT_FALSE(pg::read_queue_notice("a 1 22", "a")) << "its own";

    std::vector<std::int64_t> many(2000, 123456789);
    const auto notice = pg::queue_notice("a", many);
    EXPECT_LT(notice.size(), 8000u);
    const auto everything = pg::read_queue_notice(notice, "b");
    ASSERT_TRUE(everything);
    EXPECT_TRUE(everything->everything);
    EXPECT_TRUE(pg::read_queue_notice("a 12 x", "b")->everything) << "what cannot be read may be anything";
}

}  // namespace
}  // namespace herald::storage
