// Retention: history, settled escalations and unneeded items are pruned by
// age and count, in batches; what queues, history, escalations and items
// retrieval need is kept.

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <filesystem>

#include "routing/retention.h"
#include "storage/backend_factory.h"
#include "storage/sqlite/sqlite_escalation_repository.h"
#include "storage/storage_worker.h"
#include "tests/unit/queue_fixture.h"
#include "text/clock.h"

using namespace herald;
using namespace herald::storage;

namespace {

constexpr std::int64_t kDay = 24 * 3600 * 1000LL;

struct RetentionFixture : fixtures::QueueFixture {
    SqliteEscalationRepository escalations{db};

    std::int64_t rows(const char* sql) {
        auto query = db.prepare(sql);
        query.step();
        return query.column_int(0);
    }
    // Published and confirmed by both users at `at_ms`.
    void delivered(const std::string& id, std::int64_t at_ms) {
        const auto seq = queue.publish(fixtures::make_item(id, 1)).seq;
        queue.confirm("a@x", seq, at_ms);
        queue.confirm("b@x", seq, at_ms);
    }
};

}  // namespace

TEST_F(RetentionFixture, HistoryGoesByAgeInBatches) {
    for (int i = 0; i < 5; ++i) delivered("old-" + std::to_string(i), 1 * kDay);
    delivered("recent", 40 * kDay);
    EXPECT_EQ(queue.prune_history(31 * kDay, 4), 4) << "a batch at a time";
    EXPECT_EQ(queue.prune_history(31 * kDay, 4), 4);
    EXPECT_EQ(queue.prune_history(31 * kDay, 4), 2);
    EXPECT_EQ(queue.prune_history(31 * kDay, 4), 0);
    EXPECT_EQ(queue.history("a@x", 10).size(), 1u);
    EXPECT_EQ(queue.counts().delivered, 12) << "totals stay";
}

TEST_F(RetentionFixture, EachUserKeepsTheirNewestOutcomes) {
    for (int i = 0; i < 6; ++i) delivered("i" + std::to_string(i), i);
    EXPECT_EQ(queue.trim_history("a@x", 2, 3), 3);
    EXPECT_EQ(queue.trim_history("a@x", 2, 3), 1);
    EXPECT_EQ(queue.trim_history("a@x", 2, 3), 0);
    const auto left = queue.history("a@x", 10);
    ASSERT_EQ(left.size(), 2u);
    EXPECT_EQ(left[0].item.item_id, "i5");
    EXPECT_EQ(left[1].item.item_id, "i4");
    EXPECT_EQ(queue.history("b@x", 10).size(), 6u);
}

TEST_F(RetentionFixture, ItemsGoOnlyWhenNothingNeedsThem) {
    for (int i = 0; i < 5; ++i) delivered("done-" + std::to_string(i), 1 * kDay);
    queue.publish(fixtures::make_item("still-queued", 1));
    queue.prune_history(31 * kDay, 100);
    const auto last = queue.last_seq();
    EXPECT_EQ(queue.prune_items(0, 2, 3), 3) << "ids 1..3 looked at";
    EXPECT_EQ(queue.prune_items(3, 2, 3), 1) << "ids 4..6: the topic's last two (5, 6) stay";
    EXPECT_EQ(last, 6);
    std::vector<std::string> kept;
    for (const auto& item : queue.recent_items("topic", 10)) kept.push_back(item.item_id);
    EXPECT_EQ(kept, (std::vector<std::string>{"still-queued", "done-4"}));

    delivered("escalated", 2 * kDay);
    delivered("newer-1", 2 * kDay);
    delivered("newer-2", 2 * kDay);
    db.execute("INSERT INTO escalations SELECT 'a@x', id, 'mail', 'sent', 1, 0, 0 FROM items WHERE item_id = 'escalated'");
    queue.prune_history(31 * kDay, 100);
    queue.prune_items(0, 2, 100);
    EXPECT_EQ(rows("SELECT count(*) FROM items WHERE item_id = 'escalated'"), 1) << "an escalation refers to it";
    EXPECT_EQ(escalations.prune_settled(31 * kDay, 100), 1);
    queue.prune_items(0, 2, 100);
    EXPECT_EQ(rows("SELECT count(*) FROM items"), 3) << "still-queued, newer-1, newer-2";
}

TEST_F(RetentionFixture, PendingEscalationsStay) {
    const auto seq = queue.publish(fixtures::make_item("i1", 1)).seq;
    db.execute("INSERT INTO escalations VALUES ('a@x', 1, 'mail', 'pending', 0, 0, 0)");
    EXPECT_EQ(seq, 1);
    EXPECT_EQ(escalations.prune_settled(31 * kDay, 100), 0);
}

TEST(Retention, APassPrunesEverythingInSmallJobs) {
    const auto dir = std::filesystem::temp_directory_path() / "herald-retention-test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    boost::asio::io_context io;
    auto guard = boost::asio::make_work_guard(io);
    StorageWorker storage(open_backend({.path = (dir / "h.db").string()}), [&io](std::function<void()> f) { boost::asio::post(io, f); });
    bool ready = false;
    storage.submit(
        [](Repositories& repos) {
            repos.users.upsert({"a@x", {}, 0});
            repos.nodes.create({"topic", "p@x", "publishers", false, 0});
            repos.nodes.subscribe("topic", "a@x", 0);
            for (int i = 0; i < 40; ++i) {
                const auto seq = repos.queue.publish(fixtures::make_item("i" + std::to_string(i), 1)).seq;
                repos.queue.confirm("a@x", seq, i < 20 ? 0 : text::now_ms());
            }
        },
        [&ready](std::exception_ptr error) { ready = !error; });
    while (!ready) io.run_one();

    routing::RetentionSettings settings;
    settings.history_per_user = 10;
    settings.items_per_topic = 5;
    settings.batch_rows = 3;
    routing::SharedWork alone;
    routing::Retention retention(io, storage, settings, alone);
    std::optional<std::int64_t> removed;
    retention.on_pass([&removed](std::int64_t rows) { removed = rows; });
    retention.start();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!removed && std::chrono::steady_clock::now() < deadline) io.run_one_for(std::chrono::milliseconds(50));
    retention.stop();
    ASSERT_TRUE(removed);
    EXPECT_EQ(*removed, 20 + 10 + 30) << "20 too old, 10 past the count, then 30 items (5 of the last 10 stay)";
    std::optional<std::int64_t> history, items;
    storage.submit<std::pair<std::int64_t, std::int64_t>>(
        [](Repositories& repos) {
            return std::pair<std::int64_t, std::int64_t>{static_cast<std::int64_t>(repos.queue.history("a@x", 100).size()),
                                                         static_cast<std::int64_t>(repos.queue.recent_items("topic", 100).size())};
        },
        [&](std::optional<std::pair<std::int64_t, std::int64_t>> found, std::exception_ptr) {
            history = found->first;
            items = found->second;
        });
    while (!history) io.run_one();
    EXPECT_EQ(*history, 10);
    EXPECT_EQ(*items, 10) << "the items the kept history shows stay too";
    storage.stop();
    std::filesystem::remove_all(dir);
}
