#pragma once

// The fixture of every end-to-end test: a private ejabberd, herald attached
// to it, and helpers that act as a user in a client would.

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <memory>
#include <regex>
#include <string>

#include "tests/e2e/herald_under_test.h"
#include "tests/support/private_ejabberd.h"
#include "tests/support/received_stanza.h"
#include "tests/support/smtp_sink.h"
#include "tests/support/xmpp_test_client.h"

namespace herald::testing {

using namespace std::chrono_literals;

constexpr auto kWait = 15s;

// Runs a counting query with one text parameter on a SQLite file, read-only.
std::int64_t count_rows(const std::filesystem::path& database, const char* sql, const std::string& parameter);

inline bool from_herald(const ReceivedStanza& stanza, const std::string& component) {
    return stanza.from() == component || stanza.from().rfind(component + "/", 0) == 0;
}

class HeraldE2E : public ::testing::Test {
protected:
    void SetUp() override {
        // A client writing to a socket the server closed (ejabberd stopped,
        // a connection cut) must get EPIPE, not kill the test binary.
        ::signal(SIGPIPE, SIG_IGN);
        start_herald(log_level());
    }

    virtual std::string log_level() const { return "debug"; }

    // Further herald configuration for a fixture that needs it.
    virtual std::string extra_config() const { return {}; }
    // Where herald.db lives, when not next to herald's log and config.
    virtual std::filesystem::path database_dir() const { return {}; }

    void start_herald(const std::string& log_level = "debug") {
        if (!herald_)
            herald_ = std::make_unique<HeraldUnderTest>(ejabberd_, ejabberd_.dir() / "herald", log_level,
                                                        extra_config(), database_dir());
        herald_->start();
    }

    const std::string& component() const { return ejabberd_.component_host(); }

    // An ejabberd account, logged in and available, as a client is after
    // login (subscription requests reach only available resources).
    std::unique_ptr<XmppTestClient> login(const std::string& user, const std::string& resource = "test") {
        ejabberd_.register_user(user, "secret-" + user);
        auto client = ejabberd_.client(user, "secret-" + user, resource);
        EXPECT_TRUE(client->connect(kWait)) << client->last_error();
        client->send("<presence/>");
        return client;
    }

    std::optional<ReceivedStanza> iq(XmppTestClient& client, const std::string& type,
                                     const std::string& payload) {
        return client.request("<iq type='" + type + "' to='" + component() + "'>" + payload + "</iq>", kWait);
    }

    std::optional<ReceivedStanza> presence_from_herald(XmppTestClient& client, const std::string& type) {
        return client.wait_for(
            [&](const ReceivedStanza& s) {
                return s.name() == "presence" && s.type() == type && from_herald(s, component());
            },
            kWait);
    }

    // XEP-0077 registration, then approving herald's presence subscription as
    // a client would when the user says yes.
    void register_and_approve(XmppTestClient& client) {
        auto reply = iq(client, "set", "<query xmlns='jabber:iq:register'/>");
        ASSERT_TRUE(reply);
        ASSERT_EQ(reply->type(), "result") << reply->xml();
        ASSERT_TRUE(presence_from_herald(client, "subscribe"));
        client.send("<presence type='subscribed' to='" + component() + "'/>");
        ASSERT_TRUE(herald_->wait_log(client.bare_jid() + " approved herald's presence subscription"));
        // Clients offer to add the contact back; herald approves registered users.
        client.send("<presence type='subscribe' to='" + component() + "'/>");
        ASSERT_TRUE(presence_from_herald(client, "subscribed"));
    }

    void send_presence(XmppTestClient& client, const std::string& show, int priority = 0) {
        client.send("<presence>" + (show.empty() ? "" : "<show>" + show + "</show>") + "<priority>" +
                    std::to_string(priority) + "</priority></presence>");
    }

    std::optional<std::string> state_logged(XmppTestClient& client, const std::string& state) {
        return herald_->wait_log("user " + client.bare_jid() + " is now " + state);
    }

    // A user logged in, registered with herald, subscription approved and
    // herald seeing them available.
    std::unique_ptr<XmppTestClient> online_user(const std::string& user, const std::string& resource = "test") {
        auto client = login(user, resource);
        register_and_approve(*client);
        EXPECT_TRUE(state_logged(*client, "available"));
        return client;
    }

    static std::string notification(const std::string& title, const std::string& body = {},
                                    const std::string& attributes = {}) {
        return "<notification xmlns='urn:herald:0'" + attributes + "><title>" + xml_escape(title) +
               "</title>" + (body.empty() ? "" : "<body>" + xml_escape(body) + "</body>") + "</notification>";
    }

    static std::string publish_iq(const std::string& component, const std::string& node,
                                  const std::string& payload, const std::string& options = {},
                                  const std::string& item_id = {}) {
        return "<iq type='set' to='" + component + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
               "<publish node='" + xml_escape(node) + "'><item" +
               (item_id.empty() ? "" : " id='" + item_id + "'") + ">" + payload + "</item></publish>" + options +
               "</pubsub></iq>";
    }

    std::optional<ReceivedStanza> publish(XmppTestClient& client, const std::string& node,
                                          const std::string& payload, const std::string& options = {}) {
        return client.request(publish_iq(component(), node, payload, options), kWait);
    }

    // The published item's id, or "" (with a test failure) when refused.
    std::string publish_ok(XmppTestClient& client, const std::string& node, const std::string& payload,
                           const std::string& options = {}) {
        auto reply = publish(client, node, payload, options);
        EXPECT_TRUE(reply) << "no reply to a publish on " << node;
        if (!reply) return "";
        EXPECT_EQ(reply->type(), "result") << reply->xml();
        return reply->find("pubsub/publish/item") ? reply->find("pubsub/publish/item")->attr("id") : "";
    }

    std::optional<ReceivedStanza> pubsub(XmppTestClient& client, const std::string& type,
                                         const std::string& inner, bool owner = false) {
        return iq(client, type,
                  std::string("<pubsub xmlns='http://jabber.org/protocol/pubsub") + (owner ? "#owner" : "") +
                      "'>" + inner + "</pubsub>");
    }

    void create_node(XmppTestClient& client, const std::string& node, const std::string& model = "publishers") {
        auto reply = pubsub(client, "set",
                            "<create node='" + node + "'/><configure><x xmlns='jabber:x:data' type='submit'>"
                            "<field var='pubsub#publish_model'><value>" + model + "</value></field></x></configure>");
        ASSERT_TRUE(reply);
        ASSERT_EQ(reply->type(), "result") << reply->xml();
    }

    void subscribe(XmppTestClient& client, const std::string& node) {
        auto reply = pubsub(client, "set", "<subscribe node='" + node + "' jid='" + client.bare_jid() + "'/>");
        ASSERT_TRUE(reply);
        ASSERT_EQ(reply->type(), "result") << reply->xml();
    }

    // The next notification herald delivered to this client.
    std::optional<ReceivedStanza> next_notification(XmppTestClient& client,
                                                    std::chrono::milliseconds deadline = kWait) {
        return client.wait_for(
            [&](const ReceivedStanza& s) {
                return s.name() == "message" && from_herald(s, component()) && s.has("notification[@xmlns='urn:herald:0']");
            },
            deadline);
    }

    static void send_receipt(XmppTestClient& client, const ReceivedStanza& message) {
        client.send("<message to='" + message.from() + "'><received xmlns='urn:xmpp:receipts' id='" +
                    xml_escape(message.id()) + "'/></message>");
    }

    static std::string chat(const std::string& to, const std::string& body, const std::string& type = "chat") {
        return "<message" + (type.empty() ? "" : " type='" + type + "'") + " to='" + to + "'><body>" +
               xml_escape(body) + "</body></message>";
    }

    // herald's answer in chat: a message from the component with a body that
    // is not a notification.
    std::optional<ReceivedStanza> next_answer(XmppTestClient& client, std::chrono::milliseconds deadline = kWait) {
        return client.wait_for(
            [&](const ReceivedStanza& s) {
                return s.name() == "message" && s.from() == component() && s.has("body") &&
                       !s.has("notification") && !s.has("node-deleted");
            },
            deadline);
    }

    // Types `body` in the chat with herald and returns the body of its answer.
    std::string command(XmppTestClient& client, const std::string& body) {
        client.send(chat(component(), body));
        auto answer = next_answer(client);
        EXPECT_TRUE(answer) << "no answer to '" << body << "'";
        if (!answer) return "";
        EXPECT_EQ(answer->type(), "chat") << answer->xml();
        EXPECT_EQ(answer->to(), client.jid()) << "answers go to the resource that asked";
        return answer->text("body");
    }

    // Once this returns, herald has finished every storage job it queued
    // before (jobs run in order), and sent what those jobs produced.
    void storage_barrier(XmppTestClient& client) {
        auto reply = pubsub(client, "get", "<subscriptions/>");
        ASSERT_TRUE(reply);
    }

    // Rows in the user's queue, read from herald's database file.
    std::int64_t queued_for(const std::string& bare_jid) {
        return count_rows(herald_->database_path(), "SELECT count(*) FROM queue WHERE user = ?1", bare_jid);
    }

    // The "HTTP tokens" ad-hoc command, as a client runs it: the final reply.
    std::optional<ReceivedStanza> token_command(XmppTestClient& user, const std::string& topic,
                                                const std::string& action, const std::string& label) {
        const std::string commands = "http://jabber.org/protocol/commands";
        auto form = iq(user, "set", "<command xmlns='" + commands + "' node='http-tokens' action='execute'/>");
        EXPECT_TRUE(form && form->has("command/x[@type='form']")) << (form ? form->xml() : "no reply");
        if (!form || !form->has("command/x[@type='form']")) return std::nullopt;
        return iq(user, "set",
                  "<command xmlns='" + commands + "' node='http-tokens' action='complete' sessionid='" +
                      form->find("command")->attr("sessionid") +
                      "'><x xmlns='jabber:x:data' type='submit'>"
                      "<field var='topic'><value>" + topic + "</value></field>"
                      "<field var='action'><value>" + action + "</value></field>"
                      "<field var='label'><value>" + label + "</value></field></x></command>");
    }

    // The owner's new token for `topic`.
    std::string make_token(XmppTestClient& owner, const std::string& topic, const std::string& label) {
        auto done = token_command(owner, topic, "create", label);
        EXPECT_TRUE(done);
        if (!done) return "";
        EXPECT_EQ(done->find("command")->attr("status"), "completed") << done->xml();
        return done->text("command/x/field[@var='token']/value");
    }

    // The HTTP publish API's port (configured as 0: any free port), from the
    // log line that announces it; 0 when it never came.
    int http_api_port() {
        const auto line = herald_->log().wait_for("HTTP publish API listening on", kWait, 0);
        std::smatch port;
        if (!line || !std::regex_search(*line, port, std::regex(R"(:(\d+)$)"))) return 0;
        return std::stoi(port[1].str());
    }

    // alice owns "backups"; bob is online and subscribed to it.
    void with_topic() {
        alice_ = online_user("alice");
        create_node(*alice_, "backups");
        bob_ = online_user("bob");
        subscribe(*bob_, "backups");
    }

    PrivateEjabberd ejabberd_;
    std::unique_ptr<HeraldUnderTest> herald_;
    std::unique_ptr<XmppTestClient> alice_, bob_;
};

// Escalation by mail to a test's SMTP sink, checked every `check_seconds`,
// with one-second delay units and no grace after connecting.
inline std::string mail_escalation_config(int smtp_port, int check_seconds) {
    return "smtp:\n  host: 127.0.0.1\n  port: " + std::to_string(smtp_port) +
           "\n  security: none\n  from: herald@localhost\n"
           "escalation:\n  check_seconds: " + std::to_string(check_seconds) +
           "\n  delay_unit_seconds: 1\n  startup_grace_seconds: 0\n  retry_seconds: 1\n"
           "  allow_private_addresses: true\n";
}

// Herald escalating by mail to a real SMTP sink the test starts.
class MailEscalationE2E : public HeraldE2E {
protected:
    void SetUp() override {
        smtp_ = std::make_unique<SmtpSink>(ejabberd_.dir() / "smtp");
        HeraldE2E::SetUp();
    }

    virtual int check_seconds() const { return 1; }

    std::string extra_config() const override { return mail_escalation_config(smtp_->port(), check_seconds()); }

    std::unique_ptr<SmtpSink> smtp_;
};

inline std::string error_condition(const ReceivedStanza& reply) {
    for (const auto& child : reply.find_all("error/*"))
        if (child.ns() == "urn:ietf:params:xml:ns:xmpp-stanzas") return child.name();
    return "";
}

// A request that must be refused, with the stanza error condition and the
// XEP-0060 application condition expected.
struct Refusal {
    std::string name;
    std::optional<ReceivedStanza> reply;
    std::string condition;
    std::string pubsub_condition = {};
};

inline void expect_refused(const std::vector<Refusal>& refusals) {
    for (const auto& r : refusals) {
        ASSERT_TRUE(r.reply) << r.name;
        EXPECT_EQ(r.reply->type(), "error") << r.name << ": " << r.reply->xml();
        EXPECT_EQ(error_condition(*r.reply), r.condition) << r.name << ": " << r.reply->xml();
        if (!r.pubsub_condition.empty()) {
            EXPECT_TRUE(r.reply->has("error/" + r.pubsub_condition + "[@xmlns='http://jabber.org/protocol/pubsub#errors']"))
                << r.name << ": " << r.reply->xml();
        }
    }
}

}  // namespace herald::testing
