#include <gtest/gtest.h>

#include "tests/unit/backend_fixture.h"

using namespace herald::storage;

namespace {

constexpr std::int64_t kMinute = 60'000;

struct EscalationFixture : fixtures::QueueContract {
    void SetUp() override {
        QueueContract::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
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

    std::vector<EscalationCandidate> due_candidates(std::int64_t now, int min_priority = 0) {
        std::vector<EscalationCandidate> found;
        for (const auto& user : escalations.escalating_users("", 100))
            for (auto& candidate : escalations.due(user.jid, now, kMinute, min_priority, 100))
                found.push_back(std::move(candidate));
        return found;
    }

    std::vector<std::string> due_items(std::int64_t now) {
        std::vector<std::string> found;
        for (const auto& candidate : due_candidates(now))
            found.push_back(candidate.user + ":" + std::to_string(candidate.seq));
        return found;
    }

    void claim_all(std::int64_t now) {
        for (const auto& candidate : due_candidates(now)) escalations.claim(candidate, now);
    }
};

}  // namespace

TEST_P(EscalationFixture, DueOnlyAfterTheDelayWhileAwayAndAtTheThreshold) {
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

TEST_P(EscalationFixture, AwaySinceKeepsTheEarliestAndPresenceClearsIt) {
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

TEST_P(EscalationFixture, ClaimedOnceSentOnceAndRecordedInHistory) {
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

TEST_P(EscalationFixture, ConfirmedOrReturnedFirstCancelsThePendingClaim) {
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

TEST_P(EscalationFixture, FailuresRetryLaterThenFailForGood) {
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

TEST_P(EscalationFixture, WebhookSecretIsMadeOnceAndKept) {
    EXPECT_EQ(escalations.webhook_secret("a@x", "first"), "first");
    EXPECT_EQ(escalations.webhook_secret("a@x", "second"), "first");
}

TEST_P(EscalationFixture, AWebhookSecretIsReplacedOnlyForOneWhoEscalatesByWebhook) {
    escalations.webhook_secret("a@x", "first");
    EXPECT_FALSE(escalations.replace_webhook_secret("a@x", "second")) << "a@x escalates by mail";
    EXPECT_EQ(escalations.webhook_secret("a@x", "unused"), "first");
    EXPECT_FALSE(escalations.replace_webhook_secret("b@x", "second")) << "b@x never chose";

    auto webhook = users.preferences("a@x");
    webhook.escalation_channel = "webhook";
    webhook.escalation_target = "https://example.org/hook";
    users.save_preferences("a@x", webhook);
    EXPECT_TRUE(escalations.replace_webhook_secret("a@x", "second"));
    EXPECT_EQ(escalations.webhook_secret("a@x", "unused"), "second");
}

TEST_P(EscalationFixture, ClaimingGoesRoundUsersAFewItemsEach) {
    auto mail = users.preferences("a@x");
    mail.quiet_start = "22:00";
    mail.quiet_end = "07:00";
    mail.quiet_zone = "UTC";
    users.save_preferences("b@x", mail);
    users.upsert({"c@x", {}, 0});
    users.save_preferences("c@x", mail);
    for (int i = 0; i < 300; ++i) publish("backlog-" + std::to_string(i), i == 299 ? 3 : 1, 0);
    for (const auto* jid : {"a@x", "b@x", "c@x"}) escalations.mark_away(jid, 0);

    std::vector<std::string> who;
    for (const auto& user : escalations.escalating_users("", 2)) who.push_back(user.jid);
    EXPECT_EQ(who, (std::vector<std::string>{"a@x", "b@x"}));
    EXPECT_EQ(escalations.escalating_users("b@x", 2).at(0).jid, "c@x") << "the next round starts after the last";
    EXPECT_EQ(escalations.escalating_users("b@x", 2).at(0).quiet_start, "22:00");
    EXPECT_EQ(escalations.due("a@x", 5 * kMinute, kMinute, 0, 50).size(), 50u) << "a few items per user per round";
    const auto urgent = escalations.due("b@x", 5 * kMinute, kMinute, 3, 50);
    ASSERT_EQ(urgent.size(), 1u) << "in quiet hours only what is urgent";
    EXPECT_EQ(urgent[0].priority, 3);
}

TEST_P(EscalationFixture, OneUsersBacklogDoesNotFillTheReadyBatches) {
    users.save_preferences("b@x", users.preferences("a@x"));
    for (int i = 0; i < 300; ++i) publish("backlog-" + std::to_string(i), 1, 0);
    escalations.mark_away("a@x", 0);
    escalations.mark_away("b@x", 0);
    claim_all(5 * kMinute);  // 100 each
    const auto batches = escalations.ready(5 * kMinute, {}, 20);
    ASSERT_EQ(batches.size(), 2u);
    EXPECT_EQ(batches[0].items.size(), 20u);
    EXPECT_EQ(batches[1].user, "b@x");
    EXPECT_EQ(batches[1].items.size(), 20u);
}

TEST_P(EscalationFixture, SendingIsNeitherReadyNorDueAgainAndShowsInHistory) {
    publish("i1", 1, 0);
    escalations.mark_away("a@x", 0);
    claim_all(5 * kMinute);
    const auto batch = escalations.ready(5 * kMinute, {}, 50).at(0);
    EXPECT_EQ(escalations.sending("a@x", batch.seqs, 5 * kMinute), batch.seqs);
    EXPECT_TRUE(escalations.sending("a@x", batch.seqs, 5 * kMinute).empty())
        << "a writer that read the same batch before the first one moved it gets nothing to send";
    EXPECT_TRUE(escalations.ready(60 * kMinute, {}, 50).empty()) << "never handed to an agent twice";
    EXPECT_TRUE(due_items(60 * kMinute).empty());
    EXPECT_EQ(escalations.cancel_stale(), 0) << "only pending claims are canceled";
    EXPECT_EQ(queue.history("a@x", 10).at(0).outcome, "escalation by mail started, outcome unknown");
    escalations.sent("a@x", batch.seqs, 6 * kMinute);
    EXPECT_EQ(queue.history("a@x", 10).at(0).outcome, "escalated by mail");
}

INSTANTIATE_TEST_SUITE_P(Backends, EscalationFixture, fixtures::kBackends, fixtures::backend_name);
