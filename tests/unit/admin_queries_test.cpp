// `herald admin`'s queries on every backend (tests/unit/backend_fixture.h).

#include <gtest/gtest.h>

#include <map>

#include "tests/unit/backend_fixture.h"

namespace herald::storage {
namespace {

using fixtures::make_item;

struct AdminQueriesTest : fixtures::QueueContract {
    std::int64_t publish(const std::string& id, int priority = 1) { return queue.publish(make_item(id, priority)).seq; }

    std::vector<std::int64_t> queued_for(const std::string& user) {
        std::vector<std::int64_t> seqs;
        for (const auto& entry : admin.queue(user)) seqs.push_back(entry.seq);
        return seqs;
    }
};

TEST_P(AdminQueriesTest, UsersShowSubscriptionsQueueDepthAndSetAside) {
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

TEST_P(AdminQueriesTest, AUserShowsTheTopicsTheyFollowAndOwn) {
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

TEST_P(AdminQueriesTest, TopicsCountSubscribersQueuedAndItems) {
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

TEST_P(AdminQueriesTest, AQueueListsItsItemsOldestFirst) {
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

TEST_P(AdminQueriesTest, RequeuePutsOneSetAsideDeliveryBackInItsUsersQueue) {
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

TEST_P(AdminQueriesTest, RequeueAllSkipsUsersWhoAreGone) {
    const auto seq = publish("one");
    queue.set_aside("a@x", seq, 10);
    queue.set_aside("b@x", seq, 10);
    users.remove("b@x");
    EXPECT_EQ(admin.requeue(std::nullopt), 1);
    EXPECT_EQ(queued_for("a@x"), std::vector<std::int64_t>{seq});
    EXPECT_TRUE(queued_for("b@x").empty());
}

TEST_P(AdminQueriesTest, DropRecordsSetAsideDeliveriesAsDropped) {
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

TEST_P(AdminQueriesTest, StatsCountWhatIsQueuedAndSetAside) {
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

INSTANTIATE_TEST_SUITE_P(Backends, AdminQueriesTest, fixtures::kBackends, fixtures::backend_name);

}  // namespace
}  // namespace herald::storage
