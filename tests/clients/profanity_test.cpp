// Profanity (Debian's package, 0.13.1) in tmux, used as a person would:
// log in, add the service, approve it, subscribe by typing in the chat with
// it, and read on the screen the notifications herald-send publishes (live
// and flushed after being offline, with their times), the Preferences
// form's validation error, and acknowledging a page by typing "ack".

#include "tests/clients/client_fixture.h"

namespace herald::testing {
namespace {

std::string quote(const std::string& text) { return std::regex_replace(text, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)"); }

class ProfanityTest : public ClientE2E {
protected:
    void SetUp() override {
        ClientE2E::SetUp();
        if (HasFatalFailure()) return;
        require_programs("profanity tmux");
        if (HasFatalFailure()) return;
        ejabberd_.register_user("alice", "secret-alice");
        const auto home = ejabberd_.dir() / "profanity";
        std::filesystem::create_directories(home);
        profanity_ = &start_client(home, {"profanity"}, home);
        expect_screen(*profanity_, R"(Type '/help' to show complete help)", "Profanity's welcome");
    }

    // /connect, as for a server without TLS (the private ejabberd offers
    // none), answering the password prompt.
    void log_in() {
        auto& screen = *profanity_;
        screen.enter("/connect alice@" + ejabberd_.domain() + " server 127.0.0.1 port " +
                     std::to_string(ejabberd_.c2s_port()) + " tls disable");
        expect_screen(screen, "Enter password:", "the password prompt");
        screen.enter("secret-alice");
        expect_screen(screen, R"(alice@localhost/\S+ logged in successfully)", "logged in");
    }

    // What a person types to add the service and approve it. `/roster add`
    // alone sends nothing to the service (a roster set only): the
    // subscription request is what makes herald register the user and ask
    // for their presence in return.
    void add_herald() {
        auto& screen = *profanity_;
        const auto jid = quote(component());
        screen.enter("/roster add " + component());
        expect_screen(screen, "Roster item added: " + jid, "/roster add");
        screen.enter("/sub request " + component());
        expect_screen(screen, "Received authorization request from " + jid, "herald asking for our presence");
        screen.enter("/sub allow " + component());
        expect_screen(screen, "Accepted subscription for " + jid, "/sub allow");
        ASSERT_TRUE(herald_->wait_log("user alice@localhost is now available")) << "herald never saw alice online";
    }

    // Types "sub TOPIC" in the chat window with the service.
    void subscribe_in_chat(const std::string& topic) {
        profanity_->enter("/msg " + component() + " sub " + topic);
        expect_screen(*profanity_, quote(component()) + ": [^\n]*subscribed to " + quote(topic),
                      "herald's answer to 'sub " + topic + "'");
    }

    // The time Profanity shows on the line of a notification with `title`
    // from the service, "" (and a test failure) when none shows.
    std::string notification_time(const std::string& title) {
        auto groups = expect_screen(*profanity_,
                                    R"((\d\d:\d\d:\d\d) - )" + quote(component()) + R"(: \[backups\] )" + quote(title),
                                    "the notification '" + title + "'");
        return groups.empty() ? "" : groups[1];
    }

    TmuxTerminal* profanity_ = nullptr;
};

TEST_F(ProfanityTest, ShowsANotificationPublishedWithHeraldSend) {
    log_in();
    add_herald();
    subscribe_in_chat("backups");

    auto published = herald_send("Backup failed on db1", "nightly backup exited with status 1");
    const auto shown = notification_time("Backup failed on db1: nightly backup exited with status 1");
    EXPECT_TRUE(seconds_of({published.before, published.after + 2}).count(shown))
        << "shown at " << shown << ", published at " << utc_clock(published.before);
}

TEST_F(ProfanityTest, ShowsWhatWasPublishedWhileOfflineWithItsTimesAfterReconnecting) {
    log_in();
    add_herald();
    subscribe_in_chat("backups");

    auto& screen = *profanity_;
    screen.enter("/win 1");
    screen.enter("/clear");
    screen.enter("/disconnect");
    expect_screen(screen, "alice@localhost logged out successfully", "/disconnect");
    ASSERT_TRUE(herald_->wait_log("user alice@localhost is now offline"));

    const auto first = herald_send("Disk almost full", "db1 /var at 91%");
    const auto second = herald_send("Backup ok", "db1 retried and succeeded");
    // A time shown from now on is not one of the publishes' seconds.
    let_a_second_pass(second.after);

    screen.enter("/clear");
    log_in();
    screen.enter("/msg " + component());
    auto groups = expect_screen(
        screen,
        R"((\d\d:\d\d:\d\d) - )" + quote(component()) + R"(: \[backups\] Disk almost full: db1 /var at 91%[\s\S]*)"
        R"((\d\d:\d\d:\d\d) - )" + quote(component()) + R"(: \[backups\] Backup ok: db1 retried and succeeded)",
        "both flushed notifications, oldest first");
    ASSERT_EQ(groups.size(), 3u);
    EXPECT_TRUE(seconds_of(first).count(groups[1]))
        << "'Disk almost full' shows " << groups[1] << ", not the time it was published, "
        << utc_clock(first.before) << "; the screen:\n" << screen.last_screen();
    EXPECT_TRUE(seconds_of(second).count(groups[2]))
        << "'Backup ok' shows " << groups[2] << ", not the time it was published, " << utc_clock(second.before)
        << "; the screen:\n" << screen.last_screen();
}

TEST_F(ProfanityTest, PreferencesFormShowsWhatToFixForABadValue) {
    log_in();
    add_herald();

    auto& screen = *profanity_;
    screen.enter("/cmd exec preferences " + component());
    expect_screen(screen, "Form title: Preferences", "the Preferences form");
    auto start = expect_screen(screen, R"(\[(field\d+)\] Quiet hours start)", "the quiet hours start field");
    ASSERT_EQ(start.size(), 2u);
    // Quiet hours switched on, when the form has a switch for them.
    std::smatch on;
    const auto form = screen.last_screen();
    if (std::regex_search(form, on, std::regex(R"(\[(field\d+)\] Quiet hours:)"))) screen.enter("/" + on[1].str() + " on");
    screen.enter("/" + start[1] + " 25:00");
    screen.enter("/form submit");

    // The form comes back with a line saying what is wrong with 25:00
    // (not the field's own line, which shows the value as typed).
    auto error = expect_screen(screen, R"(\d\d:\d\d:\d\d - (?!\s*\[field\d+\])[^\n]*25:00[^\n]*)",
                               "the form's error about 25:00");
    ASSERT_FALSE(error.empty());
    EXPECT_TRUE(screen.last_screen().find("Form title: Preferences") != std::string::npos)
        << "the error shows, but not in the Preferences form:\n" << screen.last_screen();
    std::cout << "Profanity shows: " << error[0] << "\n";
}

// A page that needs acknowledging (PROTOCOL.md, "Acknowledgements"): the
// line saying how shows on Profanity's screen; typing "ack" in the chat
// with the service is answered there, and the publisher is told who.
TEST_F(ProfanityTest, TypingAckAcknowledgesAPageAndThePublisherIsTold) {
    log_in();
    add_herald();
    subscribe_in_chat("backups");

    const std::string ack_required =
        "<publish-options><x xmlns='jabber:x:data' type='submit'>"
        "<field var='FORM_TYPE' type='hidden'><value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
        "<field var='herald#ack'><value>required</value></field></x></publish-options>";
    auto published = ops_->request(
        publish_iq(component(), "backups", notification("Disk full on db1", "/var at 97%"), ack_required), kWait);
    ASSERT_TRUE(published && published->type() == "result") << (published ? published->xml() : "no reply");
    const auto item = published->find("pubsub/publish/item")->attr("id");

    auto& screen = *profanity_;
    expect_screen(screen,
                  quote(component()) + R"(: \[backups\] Disk full on db1: /var at 97%\s+Reply "ack" to acknowledge)"
                                       R"( \(or "ack [^"]+"\)\.)",
                  "the notification with how to acknowledge it");
    screen.enter("/msg " + component());
    screen.enter("ack");
    expect_screen(screen, quote(component()) + R"(: Acknowledged: \[backups\] Disk full on db1)",
                  "herald's answer to 'ack'");

    const auto told = ops_->wait_for(
        [&](const ReceivedStanza& s) {
            return s.name() == "message" && s.has("acknowledged[@xmlns='urn:herald:0'][@item='" + item + "']");
        },
        kWait);
    ASSERT_TRUE(told) << "the publisher was not told";
    EXPECT_EQ(told->find("acknowledged")->attr("by"), "alice@localhost") << told->xml();
}

}  // namespace
}  // namespace herald::testing
