#include <gtest/gtest.h>

#include "storage/sqlite_escalation_repository.h"
#include "tests/unit/queue_fixture.h"

using namespace herald::storage;

namespace {

constexpr std::int64_t kMinute = 60'000;

struct EscalationFixture : fixtures::QueueFixture {
    SqliteEscalationRepository escalations{db};

    void SetUp() override {
        QueueFixture::SetUp();
        Preferences mail;
        mail.escalation_channel = "mail";
        mail.escalation_target = "a@example.org";
        mail.escalation_minutes = 5;
        users.save_preferences("a@x", mail);
    }

    std::int64_t publish(const std::string& id, int priority, std::int64_t at_ms) {
        queue.publish(fixtures::make_item(id, priority, std::nullopt, at_ms));
        return queue.next("a@x", 0, 0, at_ms, 1000).back().seq;
    }

    std::vector<std::string> due_items(std::int64_t now) {
        std::vector<std::string> found;
        for (const auto& candidate : escalations.due(now, kMinute, 100))
            found.push_back(candidate.user + ":" + std::to_string(candidate.seq));
        return found;
    }

    void claim_all(std::int64_t now) {
        for (const auto& candidate : escalations.due(now, kMinute, 100)) escalations.claim(candidate, now);
    }
};

}  // namespace

TEST_F(EscalationFixture, DueOnlyAfterTheDelayWhileAwayAndAtTheThreshold) {
    const auto seq = publish("i1", 1, 0);
    EXPECT_TRUE(due_items(10 * kMinute).empty()) << "a@x is not away";
    escalations.mark_away("a@x", 2 * kMinute);
    escalations.mark_away("b@x", 0);
    EXPECT_TRUE(due_items(6 * kMinute).empty()) << "the delay counts from when the user went away";
    EXPECT_EQ(due_items(7 * kMinute), std::vector<std::string>{"a@x:" + std::to_string(seq)})
        << "b@x has no escalation channel";

    auto prefs = users.preferences("a@x");
    prefs.escalation_min_priority = 2;
    users.save_preferences("a@x", prefs);
    EXPECT_TRUE(due_items(7 * kMinute).empty()) << "below the priority threshold";
    prefs.escalation_min_priority = 1;
    prefs.paused = true;
    users.save_preferences("a@x", prefs);
    EXPECT_TRUE(due_items(7 * kMinute).empty()) << "paused users get nothing";
}

TEST_F(EscalationFixture, AwaySinceKeepsTheEarliestAndPresenceClearsIt) {
    publish("i1", 1, 0);
    escalations.mark_away("a@x", 1 * kMinute);
    escalations.mark_away("a@x", 4 * kMinute);
    escalations.mark_unknown_away(5 * kMinute);
    EXPECT_EQ(due_items(6 * kMinute).size(), 1u);
    escalations.mark_present("a@x");
    EXPECT_TRUE(due_items(60 * kMinute).empty());
    escalations.mark_unknown_away(10 * kMinute);
    EXPECT_TRUE(due_items(14 * kMinute).empty());
    EXPECT_EQ(due_items(15 * kMinute).size(), 1u);
}

TEST_F(EscalationFixture, ClaimedOnceSentOnceAndRecordedInHistory) {
    publish("i1", 1, 0);
    publish("i2", 3, 0);
    escalations.mark_away("a@x", 0);
    claim_all(5 * kMinute);
    EXPECT_TRUE(due_items(6 * kMinute).empty()) << "claimed items are not due again";
    const auto batches = escalations.ready(5 * kMinute, {}, 50);
    ASSERT_EQ(batches.size(), 1u);
    EXPECT_EQ(batches[0].user, "a@x");
    EXPECT_EQ(batches[0].channel, "mail");
    EXPECT_EQ(batches[0].target, "a@example.org");
    ASSERT_EQ(batches[0].items.size(), 2u);
    EXPECT_EQ(batches[0].items[1].item_id, "i2");
    EXPECT_TRUE(escalations.ready(5 * kMinute, {"a@x"}, 50).empty()) << "users in flight are left out";

    escalations.sent("a@x", batches[0].seqs, 6 * kMinute);
    EXPECT_TRUE(escalations.ready(7 * kMinute, {}, 50).empty());
    EXPECT_TRUE(due_items(7 * kMinute).empty()) << "never escalated twice";
    const auto history = queue.history("a@x", 10);
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].outcome, "escalated by mail");
}

TEST_F(EscalationFixture, ConfirmedOrReturnedFirstCancelsThePendingClaim) {
    const auto seq = publish("i1", 1, 0);
    publish("i2", 1, 0);
    escalations.mark_away("a@x", 0);
    claim_all(5 * kMinute);
    queue.confirm("a@x", seq, 5 * kMinute);
    EXPECT_EQ(escalations.cancel_stale(), 1);
    ASSERT_EQ(escalations.ready(5 * kMinute, {}, 50).at(0).items.size(), 1u);
    escalations.mark_present("a@x");
    EXPECT_EQ(escalations.cancel_stale(), 1);
    EXPECT_TRUE(escalations.ready(5 * kMinute, {}, 50).empty());
}

TEST_F(EscalationFixture, FailuresRetryLaterThenFailForGood) {
    publish("i1", 1, 0);
    escalations.mark_away("a@x", 0);
    claim_all(5 * kMinute);
    auto batch = escalations.ready(5 * kMinute, {}, 50).at(0);
    escalations.failed("a@x", batch.seqs, 5 * kMinute, 7 * kMinute);
    EXPECT_TRUE(escalations.ready(6 * kMinute, {}, 50).empty()) << "not before the retry time";
    batch = escalations.ready(7 * kMinute, {}, 50).at(0);
    EXPECT_EQ(batch.attempts, 1);
    escalations.failed("a@x", batch.seqs, 7 * kMinute, std::nullopt);
    EXPECT_TRUE(escalations.ready(60 * kMinute, {}, 50).empty());
    EXPECT_EQ(queue.history("a@x", 10).at(0).outcome, "escalation by mail failed");
}

TEST_F(EscalationFixture, WebhookSecretIsMadeOnceAndKept) {
    EXPECT_EQ(escalations.webhook_secret("a@x", "first"), "first");
    EXPECT_EQ(escalations.webhook_secret("a@x", "second"), "first");
}
