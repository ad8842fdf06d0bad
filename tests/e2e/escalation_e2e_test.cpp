// Escalation to mail and webhooks when a user stays away: herald against a
// real ejabberd, a real SMTP server (aiosmtpd) and a real HTTP receiver. One
// minute of a user's delay lasts one second here (escalation.delay_unit_seconds).

#include <gtest/gtest.h>

#include <ctime>

#include "agents/webhook_agent.h"
#include "tests/e2e/herald_e2e_fixture.h"
#include "tests/support/http_test_server.h"
#include "tests/support/smtp_sink.h"

using namespace herald::testing;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Long enough for several escalation checks (one a second): what has not
// happened by then is not going to.
constexpr auto kSeveralChecks = 3500ms;

class EscalationE2E : public MailEscalationE2E {
protected:
    // bob leaves: his last resource goes and herald sees him offline.
    void bob_goes_offline() {
        bob_->disconnect();
        ASSERT_TRUE(herald_->wait_log("user " + bob_->bare_jid() + " is now offline"));
    }

    std::unique_ptr<XmppTestClient> bob_back() {
        auto client = ejabberd_.client("bob", "secret-bob", "back");
        EXPECT_TRUE(client->connect(kWait)) << client->last_error();
        client->send("<presence/>");
        return client;
    }

    // The 64 hex digits after the answer's "shown this once" line; "" when none.
    static std::string secret_told(const std::string& answer) {
        const std::string told = "your webhook signing secret, shown this once (keep it): ";
        const auto at = answer.find(told);
        return at == std::string::npos ? std::string() : answer.substr(at + told.size(), 64);
    }

    HttpTestServer webhook_;
};

TEST_F(EscalationE2E, OneDigestMailForWhatWasNotSeenAndNoneForWhatWasConfirmed) {
    with_topic();
    EXPECT_TRUE(contains(command(*bob_, "prefs escalation mail bob@example.org 2"), "saved"));

    publish_ok(*alice_, "backups", notification("Seen on the phone"));
    const auto seen = next_notification(*bob_);
    ASSERT_TRUE(seen);
    send_receipt(*bob_, *seen);
    storage_barrier(*bob_);
    ASSERT_EQ(queued_for(bob_->bare_jid()), 0);

    bob_goes_offline();
    publish_ok(*alice_, "backups", notification("Missed one", "db1 nightly failed"));
    publish_ok(*alice_, "backups", notification("Missed two"));

    ASSERT_TRUE(smtp_->wait_for_messages(1, kWait)) << "no mail after bob stayed away 2 minutes";
    const auto mail = smtp_->messages().front();
    EXPECT_TRUE(contains(mail, "Subject: 2 notifications while you were away")) << mail;
    EXPECT_TRUE(contains(mail, "Missed one")) << mail;
    EXPECT_TRUE(contains(mail, "db1 nightly failed")) << mail;
    EXPECT_TRUE(contains(mail, "Missed two")) << mail;
    EXPECT_FALSE(contains(mail, "Seen on the phone")) << "confirmed by the client, not escalated";
    EXPECT_TRUE(contains(mail, "To: <bob@example.org>")) << mail;
    EXPECT_FALSE(smtp_->wait_for_messages(2, kSeveralChecks)) << "escalated twice";

    // XMPP still delivers what waited, and history says it was escalated.
    auto back = bob_back();
    ASSERT_TRUE(next_notification(*back));
    ASSERT_TRUE(next_notification(*back));
    EXPECT_TRUE(contains(command(*back, "history 5"), "escalated by mail"));
}

class TracedEscalationE2E : public EscalationE2E {
protected:
    std::string log_level() const override { return "trace"; }
};

// Told once in chat, in an answer the trace log skips and the server is asked
// not to archive; never again, never in the log.
TEST_F(TracedEscalationE2E, TheWebhookSecretIsToldOnceInChatAndNeverLogged) {
    with_topic();
    const auto change = "prefs escalation webhook " + webhook_.url("/hook") + " 1 high";
    bob_->send(chat(component(), change));
    auto told = next_answer(*bob_);
    ASSERT_TRUE(told);
    EXPECT_TRUE(told->has("no-permanent-store")) << told->xml();
    const std::string intro = "your webhook signing secret, shown this once (keep it): ";
    const auto body = told->text("body");
    const auto at = body.find(intro);
    ASSERT_NE(at, std::string::npos) << body;
    const auto secret = body.substr(at + intro.size(), 64);
    ASSERT_EQ(secret.size(), 64u) << body;
    EXPECT_FALSE(contains(command(*bob_, "prefs"), secret));
    EXPECT_FALSE(contains(command(*bob_, change), secret)) << "saving again does not tell it again";
    herald_->stop();
    EXPECT_FALSE(contains(herald_->log().contents(), secret)) << "the secret is in herald's log";
    EXPECT_TRUE(contains(herald_->log().contents(), "out: ")) << "trace logging is on";
}

TEST_F(EscalationE2E, WebhookIsSignedCarriesOnlyWhatIsAboveTheThresholdAndIsRetried) {
    int calls = 0;
    webhook_.handle("/hook", [&calls](const HttpTestRequest&) {
        return HttpTestResponse{++calls == 1 ? 503 : 204, {}, "", 0ms};
    });
    with_topic();
    const auto saved = command(*bob_, "prefs escalation webhook " + webhook_.url("/hook") + " 1 high");
    const auto secret = secret_told(saved);
    ASSERT_EQ(secret.size(), 64u) << saved;
    EXPECT_FALSE(contains(command(*bob_, "prefs"), secret)) << "shown once, never again";

    bob_goes_offline();
    publish_ok(*alice_, "backups", notification("Routine", "", " priority='normal'"));
    publish_ok(*alice_, "backups", notification("Disk full", "", " priority='high'"));

    ASSERT_TRUE(webhook_.wait_for_requests("/hook", 2, kWait)) << "the 503 answer is retried";
    const auto requests = webhook_.requests("/hook");
    for (const auto& request : requests) {
        EXPECT_EQ(request.method, "POST");
        EXPECT_EQ(request.header("content-type"), "application/json");
        EXPECT_EQ(request.header("x-herald-signature"), herald::agents::webhook_signature(secret, request.body));
        EXPECT_TRUE(contains(request.body, "\"title\":\"Disk full\"")) << request.body;
        EXPECT_FALSE(contains(request.body, "Routine")) << "normal is below bob's threshold";
    }
    EXPECT_FALSE(webhook_.wait_for_requests("/hook", 3, kSeveralChecks)) << "accepted, so not sent again";
}

// A secret that leaked is replaced: the new one is shown once and signs from
// then on; the old one signs nothing more.
TEST_F(EscalationE2E, ANewWebhookSecretReplacesTheOldOne) {
    with_topic();
    EXPECT_TRUE(contains(command(*bob_, "prefs webhook-secret new"), "you do not escalate by webhook"));
    const auto first = secret_told(command(*bob_, "prefs escalation webhook " + webhook_.url("/hook") + " 1 high"));
    ASSERT_EQ(first.size(), 64u);
    const auto second = secret_told(command(*bob_, "prefs webhook-secret new"));
    ASSERT_EQ(second.size(), 64u);
    EXPECT_NE(second, first);
    EXPECT_FALSE(contains(command(*bob_, "prefs"), second)) << "shown once, never again";

    bob_goes_offline();
    publish_ok(*alice_, "backups", notification("Disk full", "", " priority='high'"));
    ASSERT_TRUE(webhook_.wait_for_requests("/hook", 1, kWait));
    const auto request = webhook_.requests("/hook").front();
    EXPECT_EQ(request.header("x-herald-signature"), herald::agents::webhook_signature(second, request.body));
    EXPECT_NE(request.header("x-herald-signature"), herald::agents::webhook_signature(first, request.body));
}

TEST_F(EscalationE2E, QuietHoursHoldBackAllButUrgent) {
    with_topic();
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char quiet[32];
    std::snprintf(quiet, sizeof quiet, "%02d:00-%02d:00", (utc.tm_hour + 23) % 24, (utc.tm_hour + 2) % 24);
    EXPECT_TRUE(contains(command(*bob_, std::string("prefs quiet ") + quiet + " UTC"), "saved"));
    EXPECT_TRUE(contains(command(*bob_, "prefs escalation mail bob@example.org 1 low"), "saved"));

    bob_goes_offline();
    publish_ok(*alice_, "backups", notification("Can wait", "", " priority='high'"));
    publish_ok(*alice_, "backups", notification("Server down", "", " priority='urgent'"));

    ASSERT_TRUE(smtp_->wait_for_messages(1, kWait));
    const auto mail = smtp_->messages().front();
    EXPECT_TRUE(contains(mail, "Server down")) << mail;
    EXPECT_FALSE(contains(mail, "Can wait")) << mail;
    EXPECT_FALSE(smtp_->wait_for_messages(2, kSeveralChecks)) << "quiet hours hold the rest";
}

// Checks only at start-up (and then hourly): what fell due while herald was
// down goes out when it is back, once.
class EscalationAcrossRestartE2E : public EscalationE2E {
protected:
    int check_seconds() const override { return 3600; }
};

TEST_F(EscalationAcrossRestartE2E, DueWhileDownGoesOutOnceAfterStart) {
    with_topic();
    EXPECT_TRUE(contains(command(*bob_, "prefs escalation mail bob@example.org 0"), "saved"));
    bob_goes_offline();
    publish_ok(*alice_, "backups", notification("While herald was down"));
    ASSERT_TRUE(herald_->stop());
    EXPECT_TRUE(smtp_->messages().empty()) << "nothing was checked while herald ran";

    start_herald();
    ASSERT_TRUE(smtp_->wait_for_messages(1, kWait)) << "due while down, sent after start";
    EXPECT_TRUE(contains(smtp_->messages().front(), "While herald was down"));

    ASSERT_TRUE(herald_->stop());
    start_herald();
    EXPECT_FALSE(smtp_->wait_for_messages(2, kSeveralChecks)) << "sent once, not at every start";
}

}  // namespace
