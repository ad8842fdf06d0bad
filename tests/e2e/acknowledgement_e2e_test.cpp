// Acknowledgements (issue 18; PROTOCOL.md, "Acknowledgements") through a
// real ejabberd: every way a person acknowledges from an ordinary client,
// what the other recipients, the XMPP publisher and an HTTP publisher learn,
// escalation by a real SMTP server (aiosmtpd) while nobody acknowledged and
// never after, across a restart, and reminders. One minute of a user's
// escalation delay lasts one second here.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <functional>
#include <regex>
#include <thread>

#include "agents/webhook_agent.h"
#include "routing/secret_token.h"
#include "tests/e2e/herald_e2e_fixture.h"
#include "tests/support/http_test_server.h"
#include "tests/support/process.h"
#include "tests/support/smtp_sink.h"

using namespace herald::testing;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const std::string kThumbsUp = "\xF0\x9F\x91\x8D";  // U+1F44D
const std::string kCheckMark = "\xE2\x9C\x85";     // U+2705

// Long enough for several escalation checks (one a second): what has not
// happened by then is not going to.
constexpr auto kSeveralChecks = 3500ms;

// publish-options asking for an acknowledgement (and reminders every
// `renotify` seconds).
std::string ack_options(int renotify = 0) {
    return "<publish-options><x xmlns='jabber:x:data' type='submit'>"
           "<field var='FORM_TYPE' type='hidden'><value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
           "<field var='herald#ack'><value>required</value></field>" +
           (renotify ? "<field var='herald#renotify'><value>" + std::to_string(renotify) + "</value></field>" : "") +
           "</x></publish-options>";
}

std::string item_of(const ReceivedStanza& delivered) {
    return delivered.find("notification") ? delivered.find("notification")->attr("item") : "";
}

// What clients send to acknowledge a message they show: a XEP-0461 reply and
// a XEP-0444 reaction, naming the message by its id.
std::string reply_to(const std::string& component, const ReceivedStanza& message, const std::string& body) {
    return "<message type='chat' to='" + component + "'><body>" + xml_escape(body) +
           "</body><reply xmlns='urn:xmpp:reply:0' to='" + component + "' id='" + xml_escape(message.id()) +
           "'/></message>";
}

std::string reaction_to(const std::string& component, const ReceivedStanza& message, const std::string& emoji) {
    return "<message type='chat' to='" + component + "'><reactions xmlns='urn:xmpp:reactions:0' id='" +
           xml_escape(message.id()) + "'><reaction>" + emoji + "</reaction></reactions>"
           "<store xmlns='urn:xmpp:hints'/></message>";
}

class AcknowledgementE2E : public MailEscalationE2E {
protected:
    std::string extra_config() const override {
        return MailEscalationE2E::extra_config() +
               "delivery:\n  expiry_check_seconds: 1\n"
               "http:\n  enabled: true\n  port: 0\n";
    }

    // carol is online and subscribed to "backups" too.
    void with_carol() {
        carol_ = online_user("carol");
        subscribe(*carol_, "backups");
    }

    // alice publishes an item needing acknowledgement; each of `recipients`
    // gets it, with <ack-request/>, and sends its receipt, which herald has
    // stored on return. The deliveries, in the order of `recipients`.
    std::vector<ReceivedStanza> page(const std::string& title, const std::vector<XmppTestClient*>& recipients,
                                     const std::string& options = ack_options(), const std::string& node = "backups",
                                     const std::string& item_id = {}) {
        auto reply = alice_->request(publish_iq(component(), node, notification(title), options, item_id), kWait);
        EXPECT_TRUE(reply && reply->type() == "result") << "publishing '" << title << "': "
                                                        << (reply ? reply->xml() : "no reply");
        std::vector<ReceivedStanza> deliveries;
        for (auto* recipient : recipients) {
            auto delivered = next_notification(*recipient);
            EXPECT_TRUE(delivered) << recipient->bare_jid() << " never got '" << title << "'";
            if (!delivered) return {};
            EXPECT_EQ(delivered->text("notification/notification/title"), title) << delivered->xml();
            send_receipt(*recipient, *delivered);
            storage_barrier(*recipient);
            deliveries.push_back(*delivered);
        }
        return deliveries;
    }

    // The message with <acknowledged/> for `item` that `client` got from herald.
    std::optional<ReceivedStanza> told_acknowledged(XmppTestClient& client, const std::string& item,
                                                    std::chrono::milliseconds deadline = kWait) {
        return client.wait_for(
            [&](const ReceivedStanza& s) {
                return s.name() == "message" && from_herald(s, component()) &&
                       s.has("acknowledged[@xmlns='urn:herald:0'][@item='" + item + "']");
            },
            deadline);
    }

    // `client` (the publisher or another recipient) is told that `by`
    // acknowledged `item`, with the text and element of PROTOCOL.md.
    void expect_told(XmppTestClient& client, const std::string& item, const std::string& by,
                     const std::string& text, const std::string& type) {
        const auto told = told_acknowledged(client, item);
        ASSERT_TRUE(told) << client.bare_jid() << " was not told that " << by << " acknowledged " << item;
        EXPECT_EQ(told->type().empty() ? "normal" : told->type(), type) << told->xml();
        EXPECT_EQ(told->text("body"), "Acknowledged by " + by + ": " + text) << told->xml();
        const auto element = told->find("acknowledged");
        EXPECT_EQ(element->attr("node"), "backups") << told->xml();
        EXPECT_EQ(element->attr("by"), by) << told->xml();
        EXPECT_TRUE(std::regex_match(element->attr("stamp"), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)")))
            << told->xml();
    }

    // Sends raw XML in the chat with herald; the body of herald's answer.
    std::string answer(XmppTestClient& client, const std::string& xml) {
        client.send(xml);
        const auto answered = next_answer(client);
        EXPECT_TRUE(answered) << "no answer to " << xml;
        return answered ? answered->text("body") : "";
    }

    // The mail escalation of every user in `users`, after `units` delay units.
    void escalate_by_mail(const std::vector<XmppTestClient*>& users, int units) {
        for (auto* user : users)
            EXPECT_TRUE(contains(command(*user, "prefs escalation mail " + user->bare_jid() + " " +
                                                    std::to_string(units)),
                                 "saved"));
    }

    // Escalations herald stored for the item `item_id`, any state.
    std::int64_t escalations_of(const std::string& item_id) {
        return count_rows(herald_->database_path(),
                          "SELECT count(*) FROM escalations e JOIN items i ON i.id = e.item WHERE i.item_id = ?1",
                          item_id);
    }

    // The ad-hoc command `node` (XEP-0050) run by `client`: executed, and
    // when it shows a form, that form submitted with `field` set to `value`.
    std::optional<ReceivedStanza> adhoc(XmppTestClient& client, const std::string& node, const std::string& field = {},
                                        const std::function<std::string(const ReceivedStanza&)>& value = {}) {
        const std::string commands = "http://jabber.org/protocol/commands";
        auto stage = iq(client, "set", "<command xmlns='" + commands + "' node='" + node + "' action='execute'/>");
        if (!stage || !stage->has("command/x[@type='form']") || field.empty()) return stage;
        return iq(client, "set",
                  "<command xmlns='" + commands + "' node='" + node + "' action='complete' sessionid='" +
                      xml_escape(stage->find("command")->attr("sessionid")) +
                      "'><x xmlns='jabber:x:data' type='submit'><field var='" + field + "'><value>" +
                      xml_escape(value(*stage)) + "</value></field></x></command>");
    }

    std::unique_ptr<XmppTestClient> carol_;
};

// Each way of acknowledging names one item. Those that name it (an id
// prefix, a quote, a reply, a reaction) are tried on an older item while a
// newer one waits too, so that falling back to "the latest" fails the test.
TEST_F(AcknowledgementE2E, EveryWayOfAcknowledgingIsAnsweredAndThePublisherIsTold) {
    with_topic();
    struct Way {
        std::string name;
        bool names_the_item;
        std::function<std::string(const ReceivedStanza& delivered)> stanza;
    };
    const auto typed = [this](const std::string& body) {
        return [this, body](const ReceivedStanza&) { return chat(component(), body); };
    };
    const std::vector<Way> ways = {
        {"ack", false, typed("ack")},
        {"OK", false, typed("OK")},
        {"thumbs up typed", false, typed(kThumbsUp)},
        {"check mark typed", false, typed(kCheckMark)},
        {"ack ID-PREFIX", true,
         [this](const ReceivedStanza& delivered) { return chat(component(), "ack " + item_of(delivered).substr(0, 8)); }},
        {"quote then ack", true,
         [this](const ReceivedStanza& delivered) {
             const auto body = delivered.text("body");
             return chat(component(), "> " + body.substr(0, body.find('\n')) + "\nack");
         }},
        {"XEP-0461 reply", true, [this](const ReceivedStanza& delivered) { return reply_to(component(), delivered, "ack"); }},
        {"XEP-0444 reaction check mark", true,
         [this](const ReceivedStanza& delivered) { return reaction_to(component(), delivered, kCheckMark); }},
        {"XEP-0444 reaction thumbs up", true,
         [this](const ReceivedStanza& delivered) { return reaction_to(component(), delivered, kThumbsUp); }},
    };
    for (const auto& way : ways) {
        SCOPED_TRACE(way.name);
        const auto title = "Paged by " + way.name;
        const auto delivered = page(title, {bob_.get()});
        ASSERT_EQ(delivered.size(), 1u);
        const auto item = item_of(delivered[0]);
        EXPECT_TRUE(delivered[0].has("ack-request[@xmlns='urn:herald:0'][@item='" + item + "']")) << delivered[0].xml();
        EXPECT_TRUE(std::regex_search(delivered[0].text("body"),
                                      std::regex(R"(\nReply "ack" to acknowledge \(or "ack [^"]{4,}"\)\.$)")))
            << delivered[0].text("body");
        if (way.names_the_item) {
            ASSERT_EQ(page("Newer than " + way.name, {bob_.get()}).size(), 1u);
        }

        EXPECT_EQ(answer(*bob_, way.stanza(delivered[0])), "Acknowledged: [backups] " + title);
        expect_told(*alice_, item, bob_->bare_jid(), "[backups] " + title, "normal");
    }
}

TEST_F(AcknowledgementE2E, TheOtherRecipientIsToldAndOneOfflineNeverGetsIt) {
    with_topic();
    with_carol();
    auto dave = online_user("dave");
    subscribe(*dave, "backups");
    dave->disconnect();
    ASSERT_TRUE(state_logged(*dave, "offline"));

    const auto delivered = page("db1 down", {bob_.get(), carol_.get()});
    ASSERT_EQ(delivered.size(), 2u);
    const auto item = item_of(delivered[0]);
    EXPECT_EQ(command(*bob_, "ack"), "Acknowledged: [backups] db1 down");
    expect_told(*carol_, item, bob_->bare_jid(), "[backups] db1 down", "chat");
    expect_told(*alice_, item, bob_->bare_jid(), "[backups] db1 down", "normal");
    storage_barrier(*bob_);
    for (const auto& stanza : bob_->received())
        EXPECT_FALSE(stanza.has("acknowledged")) << "the acknowledger is not told: " << stanza.xml();

    // Acknowledging again, from the message itself: who did, and when.
    EXPECT_TRUE(std::regex_match(answer(*carol_, reply_to(component(), delivered[1], "ack")),
                                 std::regex(R"(Already acknowledged by bob@localhost at [-0-9]+ \d\d:\d\d UTC: \[backups\] db1 down)")));
    EXPECT_TRUE(std::regex_match(answer(*bob_, reaction_to(component(), delivered[0], kThumbsUp)),
                                 std::regex(R"(You acknowledged it at [-0-9]+ \d\d:\d\d UTC: \[backups\] db1 down)")));
    EXPECT_TRUE(contains(command(*bob_, "history 5"), "acknowledged by you"));
    EXPECT_TRUE(contains(command(*carol_, "history 5"), "acknowledged by bob@localhost"));

    // dave comes back: what was published after the acknowledgement comes
    // first, since the acknowledged item (older) left his queue.
    publish_ok(*alice_, "backups", notification("Published after the acknowledgement"));
    auto back = ejabberd_.client("dave", "secret-dave", "back");
    ASSERT_TRUE(back->connect(kWait)) << back->last_error();
    back->send("<presence/>");
    const auto first = next_notification(*back);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->text("notification/notification/title"), "Published after the acknowledgement") << first->xml();
    storage_barrier(*back);
    for (const auto& stanza : back->received())
        EXPECT_NE(item_of(stanza), item) << "dave got the acknowledged item: " << stanza.xml();
}

TEST_F(AcknowledgementE2E, UnacknowledgedEscalatesDespiteTheReceiptAndAcknowledgedToNoOne) {
    with_topic();
    with_carol();
    escalate_by_mail({bob_.get(), carol_.get()}, 3);

    const auto acknowledged = page("Acknowledged in time", {bob_.get(), carol_.get()});
    ASSERT_EQ(acknowledged.size(), 2u);
    const auto unanswered = page("Nobody answered", {bob_.get(), carol_.get()});
    ASSERT_EQ(unanswered.size(), 2u);
    const auto item = item_of(acknowledged[0]);
    EXPECT_EQ(command(*bob_, "ack " + item.substr(0, 8)), "Acknowledged: [backups] Acknowledged in time");
    expect_told(*carol_, item, bob_->bare_jid(), "[backups] Acknowledged in time", "chat");

    // Both online and both sent receipts: still one mail each, for the
    // unacknowledged item only.
    ASSERT_TRUE(smtp_->wait_for_messages(2, kWait)) << "the unacknowledged item did not escalate";
    std::set<std::string> to;
    for (const auto& mail : smtp_->messages()) {
        EXPECT_TRUE(contains(mail, "Nobody answered")) << mail;
        EXPECT_TRUE(contains(mail, "send \"ack " + item_of(unanswered[0]) + "\"")) << "how to acknowledge: " << mail;
        EXPECT_FALSE(contains(mail, "Acknowledged in time")) << mail;
        for (const auto* user : {"bob", "carol"})
            if (contains(mail, std::string("To: <") + user + "@localhost>")) to.insert(user);
    }
    EXPECT_EQ(to, (std::set<std::string>{"bob", "carol"}));
    EXPECT_FALSE(smtp_->wait_for_messages(3, kSeveralChecks)) << "escalated again";
    EXPECT_EQ(escalations_of(item), 0);
}

TEST_F(AcknowledgementE2E, HttpPublisherReadsTheStatusAndGetsASignedCallback) {
    HttpTestServer callback;
    callback.serve("/acked", {204, {}, "", 0ms});
    with_topic();
    create_node(*alice_, "other");
    const auto token = make_token(*alice_, "backups", "pager");
    const auto other_token = make_token(*alice_, "other", "other");
    const auto base = "http://127.0.0.1:" + std::to_string(http_api_port());

    struct Reply {
        int status = 0;
        std::string body;
    };
    const auto curl = [](std::vector<std::string> arguments) {
        std::vector<std::string> argv = {"curl", "-sS", "-w", "\n%{http_code}"};
        argv.insert(argv.end(), arguments.begin(), arguments.end());
        const auto result = run_command(argv, 30s);
        EXPECT_EQ(result.exit_code, 0) << result.output;
        const auto split = result.output.rfind('\n');
        if (split == std::string::npos) return Reply{};
        return Reply{std::stoi(result.output.substr(split + 1)), result.output.substr(0, split)};
    };
    const auto get = [&](const std::string& bearer, const std::string& path) {
        return curl({"-H", "Authorization: Bearer " + bearer, base + path});
    };

    const auto published = curl({"-H", "Authorization: Bearer " + token, "-H", "Content-Type: application/json", "--data",
                                 nlohmann::json{{"title", "Disk full"}, {"ack", true}, {"callback", callback.url("/acked")}}.dump(),
                                 base + "/v1/nodes/backups"});
    ASSERT_EQ(published.status, 202) << published.body;
    const auto item = nlohmann::json::parse(published.body).at("id").get<std::string>();
    const auto delivered = next_notification(*bob_);
    ASSERT_TRUE(delivered);
    EXPECT_TRUE(delivered->has("ack-request[@item='" + item + "']")) << delivered->xml();
    send_receipt(*bob_, *delivered);
    storage_barrier(*bob_);

    const auto path = "/v1/nodes/backups/items/" + item;
    const auto before = get(token, path);
    ASSERT_EQ(before.status, 200) << before.body;
    auto status = nlohmann::json::parse(before.body);
    EXPECT_EQ(status.at("id"), item);
    EXPECT_EQ(status.at("node"), "backups");
    EXPECT_EQ(status.at("ack_required"), true);
    EXPECT_EQ(status.at("delivered"), 1);
    EXPECT_TRUE(status.at("acknowledged_by").is_null()) << before.body;
    EXPECT_TRUE(status.at("acknowledged_ms").is_null()) << before.body;
    EXPECT_EQ(callback.request_count("/acked"), 0u);

    EXPECT_EQ(command(*bob_, "ack"), "Acknowledged: [backups] Disk full");
    ASSERT_TRUE(callback.wait_for_requests("/acked", 1, kWait)) << "the callback got no POST";
    const auto posted = callback.requests("/acked").front();
    EXPECT_EQ(posted.method, "POST");
    EXPECT_EQ(posted.header("content-type"), "application/json");
    EXPECT_EQ(posted.header("x-herald-signature"),
              herald::agents::webhook_signature(herald::routing::token_digest(token), posted.body))
        << "signed with the digest of the publishing token";
    const auto told = nlohmann::json::parse(posted.body);
    EXPECT_EQ(told.at("id"), item);
    EXPECT_EQ(told.at("node"), "backups");
    EXPECT_EQ(told.at("acknowledged_by"), "bob@localhost");
    EXPECT_TRUE(told.at("acknowledged_ms").is_number_integer()) << posted.body;
    EXPECT_TRUE(told.at("published_ms").is_number_integer()) << posted.body;

    const auto after = get(token, path);
    ASSERT_EQ(after.status, 200) << after.body;
    status = nlohmann::json::parse(after.body);
    EXPECT_EQ(status.at("acknowledged_by"), "bob@localhost");
    EXPECT_EQ(status.at("acknowledged_ms"), told.at("acknowledged_ms"));

    EXPECT_EQ(get(std::string(64, 'a'), path).status, 404) << "a token nobody made";
    EXPECT_EQ(get(other_token, path).status, 404) << "a token for another topic";
    EXPECT_EQ(get(token, "/v1/nodes/backups/items/no-such-item").status, 404);
    EXPECT_EQ(get(token, "/v1/nodes/nowhere/items/" + item).status, 404);

    const auto metrics = curl({base + "/metrics"});
    EXPECT_TRUE(contains(metrics.body, "\nherald_acknowledgements_total 1\n")) << metrics.body;
    EXPECT_TRUE(contains(metrics.body, "\nherald_time_to_acknowledge_seconds_count 1\n")) << metrics.body;
    EXPECT_EQ(callback.request_count("/acked"), 1u) << "posted once";
}

TEST_F(AcknowledgementE2E, WhatCannotBeAcknowledgedGetsAClearAnswer) {
    with_topic();
    EXPECT_EQ(command(*bob_, "ack"), "Nothing waits for your acknowledgement.");
    EXPECT_TRUE(contains(command(*bob_, "ack abc"), "Give at least 4 characters")) << "a prefix too short";

    // Someone else's item: carol's, on a topic bob does not take.
    carol_ = online_user("carol");
    create_node(*alice_, "other");
    subscribe(*carol_, "other");
    ASSERT_EQ(page("Carol's own", {carol_.get()}, ack_options(), "other", "carols-1234").size(), 1u);
    EXPECT_EQ(command(*bob_, "ack carols-1234"),
              "None of your notifications waiting for acknowledgement has an id starting with 'carols-1234'.");

    ASSERT_EQ(page("Deploy one", {bob_.get()}, ack_options(), "backups", "deploy-1111").size(), 1u);
    ASSERT_EQ(page("Deploy two", {bob_.get()}, ack_options(), "backups", "deploy-2222").size(), 1u);
    const auto ambiguous = command(*bob_, "ack deploy");
    EXPECT_TRUE(ambiguous.starts_with("'deploy' matches several; give more of the id:")) << ambiguous;
    EXPECT_TRUE(contains(ambiguous, "deploy-1111 [backups] Deploy one")) << ambiguous;
    EXPECT_TRUE(contains(ambiguous, "deploy-2222 [backups] Deploy two")) << ambiguous;
    EXPECT_EQ(command(*bob_, "ack deploy-1"), "Acknowledged: [backups] Deploy one");

    // A notification that needs none: a reply says so, a reaction is just a
    // reaction (the next answer is to what follows it).
    const auto plain = page("Just news", {bob_.get()}, "");
    ASSERT_EQ(plain.size(), 1u);
    EXPECT_FALSE(plain[0].has("ack-request")) << plain[0].xml();
    EXPECT_EQ(answer(*bob_, reply_to(component(), plain[0], "ack")), "That notification needs no acknowledgement.");
    bob_->send(reaction_to(component(), plain[0], kThumbsUp));
    EXPECT_EQ(command(*bob_, "ack deploy-2"), "Acknowledged: [backups] Deploy two");

    EXPECT_EQ(command(*carol_, "ack"), "Acknowledged: [other] Carol's own") << "bob's attempt did not take it";

    // Anything else in a reply is answered, and acknowledges nothing.
    const auto pending = page("Still pending", {bob_.get()});
    ASSERT_EQ(pending.size(), 1u);
    const auto other = answer(*bob_, reply_to(component(), pending[0], "looking into it"));
    EXPECT_FALSE(other.empty());
    EXPECT_FALSE(other.starts_with("Acknowledged")) << other;
    EXPECT_EQ(command(*bob_, "ack"), "Acknowledged: [backups] Still pending");
}

TEST_F(AcknowledgementE2E, RemindersComeUntilAcknowledged) {
    with_topic();
    const auto options = ack_options(10);
    // The acknowledged one is received first, so its reminder would be due
    // before the other's.
    const auto acknowledged = page("Acknowledged at once", {bob_.get()}, options);
    ASSERT_EQ(acknowledged.size(), 1u);
    const auto waiting = page("Still waiting", {bob_.get()}, options);
    ASSERT_EQ(waiting.size(), 1u);
    const auto received = std::chrono::steady_clock::now();
    EXPECT_EQ(command(*bob_, "ack " + item_of(acknowledged[0]).substr(0, 8)),
              "Acknowledged: [backups] Acknowledged at once");

    const auto reminder = next_notification(*bob_, 25s);
    ASSERT_TRUE(reminder) << "no reminder 25 s after the receipt";
    EXPECT_GE(std::chrono::steady_clock::now() - received, 9s) << "reminded before herald#renotify";
    EXPECT_EQ(item_of(*reminder), item_of(waiting[0])) << "the acknowledged item came again: " << reminder->xml();
    EXPECT_TRUE(reminder->has("ack-request")) << reminder->xml();
    EXPECT_NE(reminder->id(), waiting[0].id()) << "a new delivery";
    send_receipt(*bob_, *reminder);

    EXPECT_EQ(answer(*bob_, reply_to(component(), *reminder, "ack")), "Acknowledged: [backups] Still waiting");
    EXPECT_EQ(queued_for(bob_->bare_jid()), 0);
    EXPECT_EQ(count_rows(herald_->database_path(),
                         "SELECT count(*) FROM ack_recipients WHERE user = ?1 AND remind_at_ms IS NOT NULL",
                         bob_->bare_jid()),
              0)
        << "a reminder is still due";
}

// Clients without a chat-friendly way (or people who prefer forms): the
// ad-hoc command lists what waits, newest first, and acknowledges the one chosen.
TEST_F(AcknowledgementE2E, AdhocCommandAcknowledgesTheChosenItem) {
    with_topic();
    const auto nothing = adhoc(*bob_, "acknowledge");
    ASSERT_TRUE(nothing);
    EXPECT_EQ(nothing->text("command/note"), "Nothing waits for your acknowledgement.") << nothing->xml();

    const auto older = page("Older page", {bob_.get()});
    ASSERT_EQ(older.size(), 1u);
    ASSERT_EQ(page("Newer page", {bob_.get()}).size(), 1u);
    const auto done = adhoc(*bob_, "acknowledge", "item", [](const ReceivedStanza& form) {
        const auto options = form.find_all("command/x/field[@var='item']/option");
        EXPECT_EQ(options.size(), 2u) << form.xml();
        EXPECT_TRUE(!options.empty() && contains(options.front().attr("label"), "Newer page")) << "newest first";
        for (const auto& option : options)
            if (contains(option.attr("label"), "Older page")) return option.text("value");
        return std::string("not offered");
    });
    ASSERT_TRUE(done);
    EXPECT_EQ(done->find("command")->attr("status"), "completed") << done->xml();
    EXPECT_EQ(done->text("command/note"), "Acknowledged: [backups] Older page") << done->xml();
    expect_told(*alice_, item_of(older[0]), bob_->bare_jid(), "[backups] Older page", "normal");
    EXPECT_EQ(command(*bob_, "ack"), "Acknowledged: [backups] Newer page") << "the other one still waited";
}

// The owner's default for a topic: its notifications ask for an
// acknowledgement unless their publisher says none (IQ or HTTP).
TEST_F(AcknowledgementE2E, TopicDefaultAsksForAcknowledgementUnlessThePublisherSaysNone) {
    with_topic();
    EXPECT_TRUE(contains(command(*bob_, "topic backups ack required"), "not allowed")) << "bob does not own it";
    EXPECT_EQ(command(*alice_, "topic backups ack required"),
              "topic backups: notifications ask for an acknowledgement unless their publisher says none");
    const auto token = make_token(*alice_, "backups", "cron");
    const auto base = "http://127.0.0.1:" + std::to_string(http_api_port());

    const auto asks = [this](const std::string& title) {
        const auto delivered = next_notification(*bob_);
        EXPECT_TRUE(delivered) << "no '" << title << "'";
        if (!delivered) return false;
        EXPECT_EQ(delivered->text("notification/notification/title"), title) << delivered->xml();
        send_receipt(*bob_, *delivered);
        return delivered->has("ack-request") && contains(delivered->text("body"), "Reply \"ack\"");
    };
    const auto post = [&](const std::string& json) {
        const auto result = run_command({"curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H",
                                         "Authorization: Bearer " + token, "-H", "Content-Type: application/json",
                                         "--data", json, base + "/v1/nodes/backups"},
                                        30s);
        EXPECT_EQ(result.output, "202") << json;
    };
    publish_ok(*alice_, "backups", notification("Plain IQ"));
    EXPECT_TRUE(asks("Plain IQ"));
    post(R"({"title":"Plain HTTP"})");
    EXPECT_TRUE(asks("Plain HTTP"));
    publish_ok(*alice_, "backups", notification("IQ saying none"),
               "<publish-options><x xmlns='jabber:x:data' type='submit'>"
               "<field var='FORM_TYPE' type='hidden'><value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
               "<field var='herald#ack'><value>none</value></field></x></publish-options>");
    EXPECT_FALSE(asks("IQ saying none"));
    post(R"({"title":"HTTP saying none","ack":false})");
    EXPECT_FALSE(asks("HTTP saying none"));

    EXPECT_EQ(command(*alice_, "topic backups ack optional"),
              "topic backups: notifications ask for an acknowledgement only when their publisher says so");
    publish_ok(*alice_, "backups", notification("Plain again"));
    EXPECT_FALSE(asks("Plain again"));
}

// Checks only at start-up (and then hourly): the acknowledgement must come
// back from storage for the check after the restart.
class AcknowledgementAcrossRestartE2E : public AcknowledgementE2E {
protected:
    int check_seconds() const override { return 3600; }
};

TEST_F(AcknowledgementAcrossRestartE2E, AcknowledgedBeforeARestartIsNotEscalatedAfterIt) {
    with_topic();
    escalate_by_mail({bob_.get()}, 1);
    const auto acknowledged = page("Acknowledged before the restart", {bob_.get()});
    ASSERT_EQ(acknowledged.size(), 1u);
    ASSERT_EQ(page("Not acknowledged", {bob_.get()}).size(), 1u);
    const auto due = std::chrono::steady_clock::now() + 1s;
    const auto item = item_of(acknowledged[0]);
    EXPECT_EQ(command(*bob_, "ack " + item.substr(0, 8)), "Acknowledged: [backups] Acknowledged before the restart");
    ASSERT_TRUE(herald_->stop()) << "herald did not exit on SIGTERM; its log ends:\n" << herald_->log().tail();
    EXPECT_TRUE(smtp_->messages().empty()) << "nothing was checked while herald ran";

    // Both are due (one delay unit) by the check at start-up.
    std::this_thread::sleep_until(due);
    start_herald();
    ASSERT_TRUE(smtp_->wait_for_messages(1, kWait)) << "the unacknowledged item did not escalate after the restart";
    const auto mail = smtp_->messages().front();
    EXPECT_TRUE(contains(mail, "Not acknowledged")) << mail;
    EXPECT_FALSE(contains(mail, "Acknowledged before the restart")) << mail;
    EXPECT_EQ(escalations_of(item), 0);
}

}  // namespace
