// Commands typed in a chat with herald, through a real ejabberd.

#include <gtest/gtest.h>

#include "tests/e2e/herald_e2e_fixture.h"

using namespace herald::testing;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class ChatCommandsE2E : public HeraldE2E {
protected:
    // The subscriptions part of `list`, before the other public topics.
    static std::string subscriptions_in(const std::string& list) { return list.substr(0, list.find("other topics")); }

    // alice owns "backups"; bob is online, registered, not subscribed.
    void with_unsubscribed_topic() {
        alice_ = online_user("alice");
        create_node(*alice_, "backups");
        bob_ = online_user("bob");
    }
};

TEST_F(ChatCommandsE2E, HelpListsEveryCommand) {
    auto alice = online_user("alice");
    const auto help = command(*alice, "help");
    for (const char* line : {"\nhelp", "\nsub TOPIC", "\nunsub TOPIC", "\nlist", "\nhistory [N]", "\npause",
                             "\nresume", "\nprefs", "\nprefs type chat|headline", "\nprefs dnd",
                             "\nprefs quiet", "\nprefs escalation", "\nfeed add URL", "\nfeed remove URL",
                             "\nunregister"})
        EXPECT_TRUE(contains(help, line)) << "missing '" << line + 1 << "' in:\n" << help;
    EXPECT_EQ(command(*alice, "  HeLp  "), help) << "the command word is trimmed and case-insensitive";
}

TEST_F(ChatCommandsE2E, SubscribeReceiveListUnsubscribe) {
    with_unsubscribed_topic();
    EXPECT_EQ(command(*bob_, "sub backups"), "subscribed to backups");
    publish_ok(*alice_, "backups", notification("Backup failed"));
    auto delivered = next_notification(*bob_);
    ASSERT_TRUE(delivered);
    EXPECT_EQ(delivered->text("notification/notification/title"), "Backup failed");

    const auto listed = command(*bob_, "list");
    EXPECT_TRUE(contains(subscriptions_in(listed), "\nbackups")) << listed;
    EXPECT_TRUE(contains(subscriptions_in(listed), "\ninbox/bob@localhost")) << listed;

    EXPECT_EQ(command(*bob_, "UNSUBSCRIBE backups"), "unsubscribed from backups");
    const auto after = command(*bob_, "list");
    EXPECT_FALSE(contains(subscriptions_in(after), "backups")) << after;
    EXPECT_TRUE(contains(after, "other topics: backups")) << "a public topic bob may join again\n" << after;

    publish_ok(*alice_, "backups", notification("Not for bob"));
    storage_barrier(*bob_);
    EXPECT_FALSE(next_notification(*bob_, 0ms));
    EXPECT_EQ(command(*bob_, "unsub backups"), "you are not subscribed to that topic");
}

TEST_F(ChatCommandsE2E, SubscribeRefusalsAreExplained) {
    auto bob = online_user("bob");
    EXPECT_EQ(command(*bob, "sub nope"), "there is no such topic");
    EXPECT_EQ(command(*bob, "sub"), "usage: sub TOPIC");
    EXPECT_EQ(command(*bob, "sub inbox/someone@localhost"), "there is no such topic");
    auto alice = online_user("alice");
    EXPECT_EQ(command(*bob, "sub inbox/alice@localhost"), "you are not allowed to do that");
}

TEST_F(ChatCommandsE2E, HistoryShowsWhatWasDelivered) {
    with_unsubscribed_topic();
    EXPECT_EQ(command(*bob_, "history"), "no notifications yet");
    command(*bob_, "sub backups");
    for (const char* title : {"Backup failed", "Backup retried"}) {
        publish_ok(*alice_, "backups", notification(title, "db1 nightly"));
        auto delivered = next_notification(*bob_);
        ASSERT_TRUE(delivered);
        send_receipt(*bob_, *delivered);
    }
    storage_barrier(*bob_);

    const auto history = command(*bob_, "history");
    EXPECT_TRUE(contains(history, "[backups] Backup failed: db1 nightly")) << history;
    EXPECT_TRUE(contains(history, "[backups] Backup retried: db1 nightly")) << history;
    EXPECT_GT(history.find("Backup failed"), history.find("Backup retried")) << "newest first, as the form\n" << history;
    EXPECT_TRUE(contains(history, "UTC")) << history;
    EXPECT_TRUE(contains(history, "db1 nightly - delivered")) << "with the outcome, as the form\n" << history;

    const auto last = command(*bob_, "history 1");
    EXPECT_TRUE(contains(last, "Backup retried")) << last;
    EXPECT_FALSE(contains(last, "Backup failed")) << last;
    EXPECT_TRUE(contains(command(*bob_, "history many"), "usage: history")) << "a count must be a number";
}

TEST_F(ChatCommandsE2E, PauseHoldsNotificationsAndResumeFlushesThem) {
    with_unsubscribed_topic();
    command(*bob_, "sub backups");
    EXPECT_TRUE(contains(command(*bob_, "pause"), "paused"));
    publish_ok(*alice_, "backups", notification("While paused"));
    storage_barrier(*bob_);
    EXPECT_FALSE(next_notification(*bob_, 0ms)) << "paused: nothing is delivered";
    EXPECT_EQ(queued_for("bob@localhost"), 1);
    EXPECT_TRUE(contains(command(*bob_, "prefs"), "\npaused"));

    EXPECT_TRUE(contains(command(*bob_, "resume"), "resumed"));
    auto held = next_notification(*bob_);
    ASSERT_TRUE(held) << "resume flushes what waited";
    EXPECT_EQ(held->text("notification/notification/title"), "While paused");
    EXPECT_TRUE(contains(command(*bob_, "prefs"), "\nnot paused"));
}

TEST_F(ChatCommandsE2E, PreferencesShowValidateAndApply) {
    with_unsubscribed_topic();
    command(*bob_, "sub backups");
    const auto shown = command(*bob_, "prefs");
    for (const char* line : {"\ntype chat", "\ndnd normal", "\nquiet off", "\nescalation none", "\nnot paused"})
        EXPECT_TRUE(contains(shown, line)) << "missing '" << line + 1 << "' in:\n" << shown;

    // Every refusal names the value that was wrong.
    const std::vector<std::pair<std::string, std::string>> refusals = {
        {"prefs type loud", "'loud' is not a message type"},
        {"prefs dnd sometimes", "'sometimes' is not what dnd can hold back"},
        {"prefs quiet 25:00-07:00 Mars/Olympus", "'25:00' is not a time of day"},
        {"prefs quiet 22:00-07:00 Mars/Olympus", "'Mars/Olympus' is not a time zone"},
        {"prefs quiet 22:00-7:75", "'7:75' is not a time of day"},
        {"prefs quiet soon", "'soon' is not a span of hours"},
        {"prefs escalation sms 5551234", "'sms' is not an escalation channel"},
        {"prefs escalation mail", "escalation by mail needs your address"},
        {"prefs escalation mail nobody", "'nobody' is not a mail address"},
        {"prefs escalation webhook ftp://x", "'ftp://x' is not an http or https URL"},
        {"prefs escalation mail bob@example.org soon", "'soon' is not a number of minutes"},
        {"prefs escalation mail bob@example.org 30 loud", "'loud' is not a priority"},
        {"prefs colour blue", "no preference 'colour'"},
    };
    for (const auto& [typed, said] : refusals) {
        const auto answer = command(*bob_, typed);
        EXPECT_TRUE(contains(answer, said)) << typed << " -> " << answer;
    }
    EXPECT_TRUE(contains(command(*bob_, "prefs"), "\nquiet off")) << "nothing refused was saved";
    EXPECT_TRUE(contains(command(*bob_, "prefs quiet 7:00-9:00"), "\nquiet 07:00-09:00 UTC")) << "single-digit hours";

    const auto saved = command(*bob_, "prefs quiet 22:00-07:00 Europe/Paris");
    EXPECT_TRUE(contains(saved, "\nquiet 22:00-07:00 Europe/Paris")) << saved;
    EXPECT_TRUE(contains(command(*bob_, "prefs escalation mail bob@example.org 30"),
                         "\nescalation mail bob@example.org 30"));
    EXPECT_TRUE(contains(command(*bob_, "prefs quiet off"), "\nquiet off"));
    EXPECT_TRUE(contains(command(*bob_, "prefs type headline"), "\ntype headline"));
    const auto kept = command(*bob_, "prefs");
    EXPECT_TRUE(contains(kept, "\ntype headline")) << kept;
    EXPECT_TRUE(contains(kept, "\nescalation mail bob@example.org 30")) << kept;

    publish_ok(*alice_, "backups", notification("As a headline"));
    auto delivered = next_notification(*bob_);
    ASSERT_TRUE(delivered);
    EXPECT_EQ(delivered->type(), "headline");
}

TEST_F(ChatCommandsE2E, UnknownOrEmptyTextGetsTheShortHelp) {
    auto bob = online_user("bob");
    EXPECT_EQ(command(*bob, "dance please"),
              "Unknown command 'dance'. Commands: help, sub, unsub, list, history, ack, pause, resume, prefs, feed, "
              "topic, unregister (send help for details)");
    EXPECT_TRUE(contains(command(*bob, "   "), "Commands: help, sub, unsub"));
    EXPECT_TRUE(contains(command(*bob, std::string(5000, 'x')), "message too long"));
}

TEST_F(ChatCommandsE2E, OnlyChatAndNormalMessagesWithABodyAreCommands) {
    auto bob = online_user("bob");
    bob->send(chat(component(), "list", "headline"));
    bob->send(chat(component(), "list", "groupchat"));
    bob->send("<message type='chat' to='" + component() +
              "'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>");
    // Herald answers in order: had it taken any of the above, that answer would come first.
    bob->send(chat(component(), "help", ""));
    auto answer = next_answer(*bob);
    ASSERT_TRUE(answer);
    EXPECT_TRUE(contains(answer->text("body"), "Herald commands:")) << answer->xml();
    EXPECT_EQ(command(*bob, "unsub backups"), "there is no such topic");
    storage_barrier(*bob);
    EXPECT_FALSE(next_answer(*bob, 0ms));
}

TEST_F(ChatCommandsE2E, UnregisterAsksForConfirmationThenRemovesTheUser) {
    with_unsubscribed_topic();
    command(*bob_, "sub backups");
    const auto asked = command(*bob_, "unregister");
    EXPECT_TRUE(contains(asked, "subscriptions")) << "says what goes: " << asked;
    EXPECT_TRUE(contains(asked, "Reply 'unregister yes' to confirm")) << asked;
    EXPECT_TRUE(contains(command(*bob_, "unregister maybe"), "'unregister yes'")) << "only yes confirms";
    EXPECT_TRUE(contains(command(*bob_, "list"), "backups")) << "still registered and subscribed";

    bob_->clear();
    const auto done = command(*bob_, "Unregister YES");
    EXPECT_TRUE(contains(done, "You are unregistered")) << done;
    EXPECT_TRUE(presence_from_herald(*bob_, "unsubscribe")) << "as XEP-0077 <remove/> does";
    EXPECT_TRUE(presence_from_herald(*bob_, "unsubscribed"));
    auto registration = iq(*bob_, "get", "<query xmlns='jabber:iq:register'/>");
    ASSERT_TRUE(registration);
    EXPECT_FALSE(registration->has("query/registered")) << registration->xml();
    EXPECT_EQ(command(*bob_, "list"), "you are not registered: add this contact to your roster first");
    EXPECT_EQ(command(*bob_, "unregister yes"), "you are not registered: add this contact to your roster first");
}

TEST_F(ChatCommandsE2E, UnregisteredUserIsToldToRegisterAndHelpStillWorks) {
    auto carol = login("carol");
    const std::string register_first = "you are not registered: add this contact to your roster first";
    EXPECT_EQ(command(*carol, "sub backups"), register_first);
    EXPECT_EQ(command(*carol, "list"), register_first);
    EXPECT_EQ(command(*carol, "pause"), register_first);
    EXPECT_EQ(command(*carol, "prefs type headline"), register_first);
    EXPECT_TRUE(contains(command(*carol, "help"), "\nsub TOPIC"));
}

}  // namespace

namespace {

// "HH:MM" in UTC, `offset_minutes` from now.
std::string utc_clock(int offset_minutes) {
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    const int minute_of_day = static_cast<int>(((now / 60) + offset_minutes) % 1440 + 1440) % 1440;
    char text[6];
    std::snprintf(text, sizeof text, "%02d:%02d", minute_of_day / 60, minute_of_day % 60);
    return text;
}

TEST_F(ChatCommandsE2E, QuietHoursHoldAllButUrgentUntilTheyEnd) {
    with_unsubscribed_topic();
    command(*bob_, "sub backups");
    const auto saved = command(*bob_, "prefs quiet " + utc_clock(-60) + "-" + utc_clock(60) + " UTC");
    ASSERT_NE(saved.find("saved"), std::string::npos) << saved;
    publish_ok(*alice_, "backups", notification("routine at night", "", " priority='high'"));
    publish_ok(*alice_, "backups", notification("server down", "", " priority='urgent'"));
    auto urgent = next_notification(*bob_);
    ASSERT_TRUE(urgent);
    EXPECT_EQ(urgent->text("notification/notification/title"), "server down");
    storage_barrier(*bob_);
    EXPECT_FALSE(next_notification(*bob_, 0ms)) << "quiet hours hold even high priority";

    const auto ended = command(*bob_, "prefs quiet off");
    ASSERT_NE(ended.find("saved"), std::string::npos) << ended;
    auto held = next_notification(*bob_);
    ASSERT_TRUE(held) << "the end of quiet hours delivers what waited";
    EXPECT_EQ(held->text("notification/notification/title"), "routine at night");
}

}  // namespace
