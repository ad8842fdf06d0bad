// UserRepository, NodeRepository and DeliveryQueue on every backend
// (tests/unit/backend_fixture.h).

#include <gtest/gtest.h>

#include <algorithm>

#include "storage/storage_error.h"
#include "tests/unit/backend_fixture.h"

namespace herald::storage {
namespace {

using fixtures::BackendTest;
using fixtures::make_item;
using fixtures::QueueContract;

using UserRepositoryContract = BackendTest;

TEST_P(UserRepositoryContract, RegistersIdempotentlyUpdatesEmailAndRemoves) {
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

TEST_P(UserRepositoryContract, PagesThroughUsersInOrder) {
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

TEST_P(UserRepositoryContract, PausingTouchesNoOtherPreference) {
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

TEST_P(QueueContract, PublishFansOutOnceAndQueuesAreReadInOrder) {
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

TEST_P(QueueContract, TheUsersAnItemIsQueuedForAreFoundOnceEach) {
    const auto first = queue.publish(make_item("i1", 1)).seq;
    const auto second = queue.publish(make_item("i2", 1)).seq;
    queue.confirm("a@x", first, 10);
    queue.confirm("a@x", second, 10);
    EXPECT_EQ(queue.users_queued_for({first, second}), (std::vector<std::string>{"b@x"}));
    EXPECT_TRUE(queue.users_queued_for({second + 100}).empty());
}

TEST_P(QueueContract, ItemIdsAreUniquePerTopicOnly) {
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

TEST_P(QueueContract, CountsFollowEveryWayRowsComeAndGo) {
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

TEST_P(QueueContract, ConfirmMovesToHistoryOnce) {
    queue.publish(make_item("i1", 1));
    const auto seq = queue.next("a@x", 0, 0, 10, 10)[0].seq;
    queue.confirm("a@x", seq, 5);
    queue.confirm("a@x", seq, 6);
    EXPECT_EQ(queue.queued_count("a@x"), 0);
    EXPECT_EQ(queue.queued_count("b@x"), 1) << "b's copy is untouched";
    const auto history = queue.history("a@x", 10);
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].outcome, "delivered");
    EXPECT_EQ(history[0].at_ms, 5);
}

TEST_P(QueueContract, PriorityFilterAndExpiry) {
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

TEST_P(QueueContract, TrimDropsOldestLowestAndCountsForTheUser) {
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

TEST_P(QueueContract, RemovingUserAndNodeCleansUp) {
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

TEST_P(QueueContract, RemovingANodeReturnsWhoWasSubscribed) {
    auto subscribers = nodes.remove("topic");
    std::sort(subscribers.begin(), subscribers.end());
    EXPECT_EQ(subscribers, (std::vector<std::string>{"a@x", "b@x"}));
    EXPECT_FALSE(nodes.find("topic"));
    EXPECT_TRUE(nodes.subscriptions_of("a@x").empty());
    EXPECT_TRUE(nodes.remove("topic").empty()) << "nothing left to remove";
}

TEST_P(QueueContract, ANodeIsRemovedIfUnsubscribedOnly) {
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

TEST_P(QueueContract, RemovingWhatAUserOwnsReturnsEachTopicWithItsSubscribers) {
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

INSTANTIATE_TEST_SUITE_P(Backends, UserRepositoryContract, fixtures::kBackends, fixtures::backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, QueueContract, fixtures::kBackends, fixtures::backend_name);

}  // namespace
}  // namespace herald::storage
