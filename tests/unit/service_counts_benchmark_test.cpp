// Publish acknowledgement time does not grow with history: /metrics and the
// admin statistics run counts() on the writer, between publishes, so counts()
// must read maintained counters, never scan history.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/unit/queue_fixture.h"

using namespace herald::storage;

namespace {

// A file database (as in production) with the queue fixture's users and topic.
struct CountsBenchmark : ::testing::Test {
    // One folder per test: ctest runs them in parallel.
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                (std::string("herald-counts-benchmark-") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::unique_ptr<Database> db;
    std::unique_ptr<SqliteDeliveryQueue> queue;
    int published = 0;

    void SetUp() override {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        db = std::make_unique<Database>((dir / "h.db").string());
        // The fsync is the same with or without history; leave it out of the timing.
        db->execute("PRAGMA synchronous=OFF");
        SqliteUserRepository users(*db);
        SqliteNodeRepository nodes(*db);
        users.upsert({"a@x", {}, 0});
        nodes.create({"topic", "p@x", "publishers", false, 0});
        nodes.subscribe("topic", "a@x", 0);
        queue = std::make_unique<SqliteDeliveryQueue>(*db);
    }
    void TearDown() override {
        queue.reset();
        db.reset();
        std::filesystem::remove_all(dir);
    }

    // What the storage worker does for a publisher, a confirming client and a
    // metrics scrape, committed in groups of ten.
    std::chrono::duration<double> publish_confirm_and_count(int rounds) {
        const auto start = std::chrono::steady_clock::now();
        for (int group = 0; group < rounds / 10; ++group) {
            Transaction transaction(*db);
            for (int i = 0; i < 10; ++i) {
                const auto seq = queue->publish(fixtures::make_item("bench-" + std::to_string(++published), 1)).seq;
                queue->confirm("a@x", seq, 2);
                queue->counts();
            }
            transaction.commit();
        }
        return std::chrono::steady_clock::now() - start;
    }

    // 1,000 items, each delivered to 1,000 users: 1,000,000 history rows.
    void fill_history() {
        db->execute(R"sql(
            BEGIN;
            WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000)
            INSERT INTO items (item_id, node, publisher, payload, title, body, link, priority, published_ms)
                SELECT 'old-' || x, 'topic', 'p@x', '<n/>', 'old', '', '', 1, 1 FROM n;
            WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000)
            INSERT INTO history (user, item, outcome, at_ms)
                SELECT 'u' || n.x || '@x', items.id, 'delivered', 1 FROM n, items WHERE items.item_id LIKE 'old-%';
            COMMIT;
        )sql");
    }

    // The query plans of every statement counts() runs.
    std::vector<std::string> plans_of_counts() {
        std::vector<std::string> statements;
        sqlite3_trace_v2(
            db->handle(), SQLITE_TRACE_STMT,
            [](unsigned, void* context, void* statement, void*) {
                static_cast<std::vector<std::string>*>(context)->push_back(
                    sqlite3_sql(static_cast<sqlite3_stmt*>(statement)));
                return 0;
            },
            &statements);
        queue->counts();
        sqlite3_trace_v2(db->handle(), 0, nullptr, nullptr);
        std::vector<std::string> plans;
        for (const auto& sql : statements) {
            auto plan = db->prepare(("EXPLAIN QUERY PLAN " + sql).c_str());
            while (plan.step()) plans.push_back(plan.column_text(3));
        }
        return plans;
    }
};

}  // namespace

TEST_F(CountsBenchmark, CountsNeverScanHistoryOrQueues) {
    const auto plans = plans_of_counts();
    ASSERT_FALSE(plans.empty());
    for (const auto& step : plans) {
        EXPECT_EQ(step.find("history"), std::string::npos) << step;
        EXPECT_EQ(step.find("queue"), std::string::npos) << step;
        EXPECT_EQ(step.find("users"), std::string::npos) << step;
    }
}

TEST_F(CountsBenchmark, PublishAcknowledgementTimeDoesNotGrowWithAMillionHistoryRows) {
    constexpr int kRounds = 1000;
    publish_confirm_and_count(kRounds);  // warm the caches
    const auto empty = publish_confirm_and_count(kRounds);
    fill_history();
    EXPECT_GE(queue->counts().delivered, 1'000'000);
    const auto full = publish_confirm_and_count(kRounds);
    const double ratio = full / empty;
    std::printf("publish+confirm+counts x%d: %.1f ms with an empty history, %.1f ms with 1,000,000 rows: ratio %.2f\n",
                kRounds, empty.count() * 1000, full.count() * 1000, ratio);
    // Growing with history would be hundreds of times slower (a scan of a
    // million rows per counts()); a B-tree a thousand times deeper in rows
    // costs a few more page reads.
    EXPECT_LT(ratio, 5.0);
}
