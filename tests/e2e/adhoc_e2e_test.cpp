// Ad-hoc commands (XEP-0050) through a real ejabberd, driven as a client
// does: list the commands, execute one, read its form, submit it.

#include <gtest/gtest.h>

#include <cctype>
#include <ctime>
#include <map>

#include "tests/e2e/herald_e2e_fixture.h"

using namespace herald::testing;
using namespace std::chrono_literals;

namespace {

const std::string kCommands = "http://jabber.org/protocol/commands";

using Values = std::map<std::string, std::vector<std::string>>;

class AdhocE2E : public HeraldE2E {
protected:
    std::optional<ReceivedStanza> send_command(XmppTestClient& client, const std::string& node,
                                               const std::string& attributes, const std::string& inner = {}) {
        return iq(client, "set",
                  "<command xmlns='" + kCommands + "' node='" + node + "'" + attributes + ">" + inner + "</command>");
    }

    std::optional<ReceivedStanza> execute(XmppTestClient& client, const std::string& node) {
        return send_command(client, node, " action='execute'");
    }

    // Submits the form of `stage` as a client would: every field it showed,
    // with `changes` typed over them.
    std::optional<ReceivedStanza> submit(XmppTestClient& client, const ReceivedStanza& stage,
                                         const Values& changes = {}, const std::string& action = "complete") {
        Values values;
        for (const auto& field : stage.find_all("command/x/field")) {
            if (field.attr("var").empty()) continue;
            auto& typed = values[field.attr("var")];
            for (const auto& value : field.find_all("value")) typed.push_back(value.text());
        }
        for (const auto& [var, typed] : changes) values[var] = typed;
        std::string form = "<x xmlns='jabber:x:data' type='submit'>";
        for (const auto& [var, typed] : values) {
            form += "<field var='" + xml_escape(var) + "'>";
            for (const auto& value : typed) form += "<value>" + xml_escape(value) + "</value>";
            form += "</field>";
        }
        form += "</x>";
        const auto command = stage.find("command");
        return send_command(client, command->attr("node"),
                            " action='" + action + "' sessionid='" + xml_escape(command->attr("sessionid")) + "'",
                            form);
    }

    // Executes `node`, expects a form, submits it with `changes`.
    std::optional<ReceivedStanza> run_command(XmppTestClient& client, const std::string& node,
                                              const Values& changes) {
        auto stage = execute(client, node);
        EXPECT_TRUE(stage);
        if (!stage) return std::nullopt;
        EXPECT_EQ(status(*stage), "executing") << stage->xml();
        EXPECT_TRUE(stage->has("command/x[@type='form']")) << stage->xml();
        if (status(*stage) != "executing") return std::nullopt;
        return submit(client, *stage, changes);
    }

    std::vector<std::string> listed_commands(XmppTestClient& client) {
        auto reply = iq(client, "get",
                        "<query xmlns='http://jabber.org/protocol/disco#items' node='" + kCommands + "'/>");
        EXPECT_TRUE(reply);
        std::vector<std::string> nodes;
        if (!reply) return nodes;
        EXPECT_EQ(reply->type(), "result") << reply->xml();
        for (const auto& item : reply->find_all("query/item")) {
            EXPECT_EQ(item.attr("jid"), component());
            EXPECT_FALSE(item.attr("name").empty());
            nodes.push_back(item.attr("node"));
        }
        return nodes;
    }

    static std::string status(const ReceivedStanza& reply) {
        const auto command = reply.find("command[@xmlns='" + kCommands + "']");
        return command ? command->attr("status") : "(no command: " + reply.xml() + ")";
    }

    static std::string value(const ReceivedStanza& reply, const std::string& var) {
        return reply.text("command/x/field[@var='" + var + "']/value");
    }

    static std::vector<std::string> options(const ReceivedStanza& reply, const std::string& var) {
        std::vector<std::string> values;
        for (const auto& option : reply.find_all("command/x/field[@var='" + var + "']/option/value"))
            values.push_back(option.text());
        return values;
    }

    // Every value of a field: the lines of a text-multi result.
    static std::vector<std::string> lines(const ReceivedStanza& reply, const std::string& var) {
        std::vector<std::string> values;
        for (const auto& line : reply.find_all("command/x/field[@var='" + var + "']/value")) values.push_back(line.text());
        return values;
    }

    // What the form shown again says to fix: a fixed field above all others.
    static std::string problem(const ReceivedStanza& reply) {
        const auto fields = reply.find_all("command/x/field");
        if (fields.empty() || fields.front().attr("type") != "fixed") return "(no fixed field first: " + reply.xml() + ")";
        return fields.front().text("value");
    }

    // A form shown again after a mistake: the problem at its top, no note,
    // one instructions element, the same session.
    static void expect_shown_again(const ReceivedStanza& again, const std::string& session) {
        EXPECT_EQ(status(again), "executing") << again.xml();
        EXPECT_FALSE(again.has("command/note")) << "clients show no note while a command goes on: " << again.xml();
        EXPECT_EQ(again.find_all("command/x/instructions").size(), 1u) << again.xml();
        EXPECT_EQ(again.find("command")->attr("sessionid"), session);
    }

    static bool has_command_condition(const ReceivedStanza& reply, const std::string& condition) {
        return reply.has("error/" + condition + "[@xmlns='" + kCommands + "']");
    }

    static bool contains(const std::vector<std::string>& values, const std::string& wanted) {
        return std::find(values.begin(), values.end(), wanted) != values.end();
    }

};

::testing::AssertionResult mentions(const std::string& text, const std::string& part) {
    if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "'" << text << "' does not mention '" << part << "'";
}

TEST_F(AdhocE2E, DiscoListsOnlyTheCommandsTheAskerMayRun) {
    auto bob = online_user("bob");
    const auto for_bob = listed_commands(*bob);
    for (const auto* node : {"subscribe", "unsubscribe", "subscriptions", "create-topic", "delete-topic", "publishers",
                             "preferences", "history", "pause", "resume", "add-feed", "remove-feed", "unregister",
                             "jabber:iq:register"})
        EXPECT_TRUE(contains(for_bob, node)) << node;
    EXPECT_FALSE(contains(for_bob, "http-tokens")) << "the HTTP API is off in this herald";
    EXPECT_FALSE(contains(for_bob, "stats"));
    EXPECT_FALSE(contains(for_bob, "broadcast"));

    auto admin = online_user("admin");
    const auto for_admin = listed_commands(*admin);
    EXPECT_TRUE(contains(for_admin, "stats"));
    EXPECT_TRUE(contains(for_admin, "broadcast"));
    EXPECT_TRUE(contains(for_admin, "remove-user"));
    EXPECT_EQ(for_admin.size(), for_bob.size() + 3);

    auto stranger = login("stranger");
    EXPECT_TRUE(listed_commands(*stranger).empty()) << "an unregistered user may run nothing";

    auto info = iq(*bob, "get", "<query xmlns='http://jabber.org/protocol/disco#info'/>");
    ASSERT_TRUE(info);
    EXPECT_TRUE(info->has("query/feature[@var='" + kCommands + "']")) << info->xml();
    auto command_info = iq(*bob, "get", "<query xmlns='http://jabber.org/protocol/disco#info' node='preferences'/>");
    ASSERT_TRUE(command_info);
    EXPECT_TRUE(command_info->has("query/identity[@category='automation'][@type='command-node']")) << command_info->xml();
    EXPECT_TRUE(command_info->has("query/feature[@var='" + kCommands + "']"));
    EXPECT_TRUE(command_info->has("query/feature[@var='jabber:x:data']"));
    auto unknown = iq(*bob, "get", "<query xmlns='http://jabber.org/protocol/disco#info' node='no-such-command'/>");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(error_condition(*unknown), "item-not-found");
}

TEST_F(AdhocE2E, SubscribeThroughTheFormThenAPublishArrives) {
    alice_ = online_user("alice");
    create_node(*alice_, "backups");
    bob_ = online_user("bob");

    auto form = execute(*bob_, "subscribe");
    ASSERT_TRUE(form);
    ASSERT_EQ(status(*form), "executing") << form->xml();
    EXPECT_FALSE(form->find("command")->attr("sessionid").empty());
    EXPECT_TRUE(form->has("command/actions/complete"));
    EXPECT_EQ(value(*form, "topic"), "backups") << "public topics only: " << form->xml();

    auto done = submit(*bob_, *form, {{"topic", {"backups"}}});
    ASSERT_TRUE(done);
    EXPECT_EQ(status(*done), "completed") << done->xml();
    EXPECT_TRUE(mentions(done->text("command/note"), "backups"));

    publish_ok(*alice_, "backups", notification("after subscribing"));
    auto message = next_notification(*bob_);
    ASSERT_TRUE(message);
    EXPECT_EQ(message->text("notification/notification/title"), "after subscribing");

    auto again = execute(*bob_, "subscribe");
    ASSERT_TRUE(again);
    EXPECT_EQ(status(*again), "completed") << "nothing left to subscribe to: " << again->xml();
    EXPECT_FALSE(again->has("command/x"));
}

TEST_F(AdhocE2E, UnsubscribeAndListSubscriptions) {
    with_topic();
    auto listed = execute(*bob_, "subscriptions");
    ASSERT_TRUE(listed);
    ASSERT_EQ(status(*listed), "completed") << listed->xml();
    EXPECT_FALSE(listed->has("command/x/reported")) << "most clients draw no table";
    EXPECT_TRUE(contains(lines(*listed, "topics"), "backups")) << listed->xml();
    EXPECT_TRUE(contains(lines(*listed, "topics"), "inbox/bob@localhost")) << listed->xml();

    auto form = execute(*bob_, "unsubscribe");
    ASSERT_TRUE(form);
    ASSERT_EQ(status(*form), "executing") << form->xml();
    EXPECT_EQ(options(*form, "topics"), std::vector<std::string>{"backups"}) << "the inbox is not offered";
    auto done = submit(*bob_, *form, {{"topics", {"backups"}}});
    ASSERT_TRUE(done);
    EXPECT_EQ(status(*done), "completed") << done->xml();

    listed = execute(*bob_, "subscriptions");
    ASSERT_TRUE(listed);
    EXPECT_FALSE(contains(lines(*listed, "topics"), "backups")) << listed->xml();
    publish_ok(*alice_, "backups", notification("after unsubscribing"));
    storage_barrier(*bob_);
    EXPECT_FALSE(next_notification(*bob_, 0ms));
}

TEST_F(AdhocE2E, CreateThenDeleteATopic) {
    alice_ = online_user("alice");
    auto created = run_command(*alice_, "create-topic", {{"topic", {"alerts"}}, {"publish_model", {"open"}}});
    ASSERT_TRUE(created);
    EXPECT_EQ(status(*created), "completed") << created->xml();
    auto disco = iq(*alice_, "get", "<query xmlns='http://jabber.org/protocol/disco#items'/>");
    ASSERT_TRUE(disco);
    EXPECT_TRUE(disco->has("query/item[@node='alerts']")) << disco->xml();
    bob_ = online_user("bob");
    subscribe(*bob_, "alerts");
    EXPECT_FALSE(publish_ok(*bob_, "alerts", notification("open topic: any registered user publishes")).empty());
    ASSERT_TRUE(next_notification(*bob_));

    auto taken = run_command(*alice_, "create-topic", {{"topic", {"alerts"}}});
    ASSERT_TRUE(taken);
    expect_shown_again(*taken, taken->find("command")->attr("sessionid"));
    EXPECT_TRUE(mentions(problem(*taken), "already exists"));
    EXPECT_EQ(value(*taken, "topic"), "alerts");

    auto nothing_owned = execute(*bob_, "delete-topic");
    ASSERT_TRUE(nothing_owned);
    EXPECT_EQ(status(*nothing_owned), "completed") << "bob owns no topic: " << nothing_owned->xml();

    auto form = execute(*alice_, "delete-topic");
    ASSERT_TRUE(form);
    ASSERT_EQ(status(*form), "executing") << form->xml();
    EXPECT_EQ(value(*form, "topic"), "alerts") << "the inbox cannot be deleted";
    auto deleted = submit(*alice_, *form, {{"topic", {"alerts"}}});
    ASSERT_TRUE(deleted);
    EXPECT_EQ(status(*deleted), "completed") << deleted->xml();
    EXPECT_TRUE(bob_->wait_for([](const ReceivedStanza& s) { return s.has("node-deleted[@node='alerts']"); }, kWait))
        << "subscribers are told";
    EXPECT_EQ(error_condition(*publish(*alice_, "alerts", notification("x"))), "item-not-found");
}

TEST_F(AdhocE2E, AllowAndRemoveAPublisherOnTheInbox) {
    bob_ = online_user("bob");
    alice_ = online_user("alice");
    const std::string inbox = "inbox/bob@localhost";
    EXPECT_EQ(error_condition(*publish(*alice_, inbox, notification("x"))), "forbidden");

    auto form = execute(*bob_, "publishers");
    ASSERT_TRUE(form);
    ASSERT_EQ(status(*form), "executing") << form->xml();
    EXPECT_EQ(value(*form, "topic"), inbox) << "the inbox is the default";
    auto refused = submit(*bob_, *form, {{"jid", {"not an address"}}});
    ASSERT_TRUE(refused);
    expect_shown_again(*refused, form->find("command")->attr("sessionid"));
    EXPECT_TRUE(mentions(problem(*refused), "address"));

    auto allowed = submit(*bob_, *refused, {{"jid", {"alice@localhost"}}, {"action", {"allow"}}});
    ASSERT_TRUE(allowed);
    EXPECT_EQ(status(*allowed), "completed") << allowed->xml();
    publish_ok(*alice_, inbox, notification("alice may write"));
    auto message = next_notification(*bob_);
    ASSERT_TRUE(message);
    EXPECT_EQ(message->text("notification/notification/title"), "alice may write");

    auto current = execute(*bob_, "publishers");
    ASSERT_TRUE(current);
    EXPECT_TRUE(mentions(current->text("command/x/field[@type='fixed']/value"), "alice@localhost publishes to " + inbox));
    auto removed = submit(*bob_, *current, {{"jid", {"alice@localhost"}}, {"action", {"remove"}}});
    ASSERT_TRUE(removed);
    EXPECT_EQ(status(*removed), "completed") << removed->xml();
    EXPECT_EQ(error_condition(*publish(*alice_, inbox, notification("x"))), "forbidden");
}

// Stanzas are traced; the webhook secret is shown once, as a field of the
// answer, and never written to the log.
class TracedAdhocE2E : public AdhocE2E {
protected:
    std::string log_level() const override { return "trace"; }
};

TEST_F(TracedAdhocE2E, TheWebhookSecretIsShownOnceInAFieldAndNeverLogged) {
    with_topic();
    const Values webhook = {{"escalation_channel", {"webhook"}}, {"escalation_minutes", {"5"}},
                            {"escalation_target", {"https://hooks.example.org/herald"}}};
    auto saved = submit(*bob_, *execute(*bob_, "preferences"), webhook);
    ASSERT_TRUE(saved);
    ASSERT_EQ(status(*saved), "completed") << saved->xml();
    const auto secret = value(*saved, "webhook_secret");
    ASSERT_EQ(secret.size(), 64u) << saved->xml();
    EXPECT_EQ(saved->text("command/note").find(secret), std::string::npos) << "in the field, not the note";
    auto again = submit(*bob_, *execute(*bob_, "preferences"), webhook);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->xml().find(secret), std::string::npos) << "shown once: " << again->xml();
    EXPECT_EQ(execute(*bob_, "preferences")->xml().find(secret), std::string::npos);

    // A leaked secret is replaced the same way: shown once, never logged.
    auto renewed = submit(*bob_, *execute(*bob_, "preferences"), {{"new_webhook_secret", {"true"}}});
    ASSERT_TRUE(renewed);
    ASSERT_EQ(status(*renewed), "completed") << renewed->xml();
    const auto replacement = value(*renewed, "webhook_secret");
    ASSERT_EQ(replacement.size(), 64u) << renewed->xml();
    EXPECT_NE(replacement, secret);
    EXPECT_EQ(count_rows(herald_->database_path(), "SELECT count(*) FROM users WHERE webhook_secret = ?1", replacement), 1);
    herald_->stop();
    for (const auto& told : {secret, replacement})
        EXPECT_EQ(herald_->log().contents().find(told), std::string::npos) << "a secret is in herald's log";
    EXPECT_NE(herald_->log().contents().find("out: "), std::string::npos) << "trace logging is on";
}

TEST_F(AdhocE2E, PreferencesShowTheirErrorsInTheFormThenSave) {
    with_topic();
    auto form = execute(*bob_, "preferences");
    ASSERT_TRUE(form);
    ASSERT_EQ(status(*form), "executing") << form->xml();
    EXPECT_EQ(value(*form, "message_type"), "chat");
    EXPECT_EQ(value(*form, "dnd_holds"), "normal");
    EXPECT_EQ(value(*form, "escalation_channel"), "none");
    EXPECT_EQ(value(*form, "paused"), "0");
    EXPECT_EQ(value(*form, "quiet"), "0") << "quiet hours switch on and off with a boolean";
    EXPECT_TRUE(form->has("command/x/field[@var='quiet'][@type='boolean']")) << form->xml();
    EXPECT_TRUE(mentions(form->text("command/x/instructions"), "only urgent")) << "what the router does";
    const auto session = form->find("command")->attr("sessionid");

    struct Mistake {
        Values typed;
        std::string said;
    };
    const std::vector<Mistake> mistakes = {
        {{{"quiet", {"1"}}, {"quiet_start", {"22:00"}}, {"quiet_end", {"07:00"}}, {"quiet_zone", {"Mars/Olympus"}}},
         "'Mars/Olympus' is not a time zone"},
        {{{"quiet", {"1"}}, {"quiet_start", {"25:00"}}, {"quiet_end", {"07:00"}}, {"quiet_zone", {"UTC"}}},
         "'25:00' is not a time of day"},
        {{{"message_type", {"loud"}}}, "chat, headline or pubsub"},
        {{{"escalation_minutes", {"soon"}}}, "'soon' is not a number of minutes"},
        {{{"escalation_channel", {"mail"}}, {"escalation_target", {"nobody"}}}, "'nobody' is not a mail address"},
    };
    // Each mistake alone: the rest as the form first showed it.
    const Values as_shown = {{"message_type", {"chat"}},      {"quiet", {"0"}},
                             {"escalation_channel", {"none"}}, {"escalation_minutes", {"0"}},
                             {"escalation_target", {""}}};
    auto current = *form;
    for (const auto& mistake : mistakes) {
        auto typed = as_shown;
        for (const auto& [var, values] : mistake.typed) typed[var] = values;
        auto again = submit(*bob_, current, typed);
        ASSERT_TRUE(again);
        ASSERT_EQ(status(*again), "executing") << mistake.said << ": " << again->xml();
        expect_shown_again(*again, session);
        EXPECT_TRUE(mentions(problem(*again), mistake.said));
        for (const auto& [var, values] : mistake.typed)
            EXPECT_EQ(value(*again, var), values.front()) << "what was typed is kept: " << var;
        current = *again;
    }
    auto off = submit(*bob_, current, {{"quiet", {"0"}}, {"quiet_start", {"25:00"}}, {"escalation_channel", {"none"}}});
    ASSERT_TRUE(off);
    EXPECT_EQ(status(*off), "completed") << "switched off, quiet hours are not read: " << off->xml();
    current = *execute(*bob_, "preferences");

    // Quiet hours that start in two hours, so they hold nothing back now.
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    auto clock_hour = [](int hour) { return (hour < 10 ? "0" : "") + std::to_string(hour) + ":00"; };
    const auto start = clock_hour((utc.tm_hour + 2) % 24), end = clock_hour((utc.tm_hour + 3) % 24);
    const Values valid = {{"message_type", {"headline"}},      {"dnd_holds", {"low"}},
                          {"quiet", {"1"}},
                          {"quiet_start", {start}},            {"quiet_end", {end}},
                          {"quiet_zone", {"UTC"}},             {"escalation_channel", {"mail"}},
                          {"escalation_minutes", {"30"}},      {"escalation_target", {"bob@example.org"}}};
    auto saved = submit(*bob_, current, valid);
    ASSERT_TRUE(saved);
    EXPECT_EQ(status(*saved), "completed") << saved->xml();

    auto read_back = execute(*bob_, "preferences");
    ASSERT_TRUE(read_back);
    for (const auto& [var, typed] : valid) EXPECT_EQ(value(*read_back, var), typed.front()) << var;
    EXPECT_EQ(value(*read_back, "paused"), "0");

    publish_ok(*alice_, "backups", notification("as a headline"));
    auto message = next_notification(*bob_);
    ASSERT_TRUE(message);
    EXPECT_EQ(message->type(), "headline");
}

TEST_F(AdhocE2E, PauseHoldsNotificationsAndResumeDeliversThem) {
    with_topic();
    auto paused = execute(*bob_, "pause");
    ASSERT_TRUE(paused);
    EXPECT_EQ(status(*paused), "completed") << paused->xml();
    EXPECT_FALSE(paused->text("command/note").empty());

    publish_ok(*alice_, "backups", notification("while paused"));
    storage_barrier(*bob_);
    EXPECT_FALSE(next_notification(*bob_, 0ms)) << "paused: nothing is delivered";
    EXPECT_EQ(queued_for("bob@localhost"), 1);
    auto preferences = execute(*bob_, "preferences");
    ASSERT_TRUE(preferences);
    EXPECT_EQ(value(*preferences, "paused"), "1");

    auto resumed = execute(*bob_, "resume");
    ASSERT_TRUE(resumed);
    EXPECT_EQ(status(*resumed), "completed") << resumed->xml();
    auto message = next_notification(*bob_);
    ASSERT_TRUE(message) << "resumed: the queue is delivered";
    EXPECT_EQ(message->text("notification/notification/title"), "while paused");
}

TEST_F(AdhocE2E, HistoryListsDeliveredNotifications) {
    with_topic();
    for (const auto* title : {"first", "second"}) {
        publish_ok(*alice_, "backups", notification(title));
        auto message = next_notification(*bob_);
        ASSERT_TRUE(message);
        send_receipt(*bob_, *message);
    }
    storage_barrier(*bob_);
    storage_barrier(*bob_);
    ASSERT_EQ(queued_for("bob@localhost"), 0);

    auto refused = run_command(*bob_, "history", {{"count", {"lots"}}});
    ASSERT_TRUE(refused);
    expect_shown_again(*refused, refused->find("command")->attr("sessionid"));
    EXPECT_TRUE(mentions(problem(*refused), "number from 1"));

    auto listed = submit(*bob_, *refused, {{"count", {"10"}}});
    ASSERT_TRUE(listed);
    ASSERT_EQ(status(*listed), "completed") << listed->xml();
    EXPECT_FALSE(listed->has("command/x/item")) << "most clients draw no table";
    const auto history = lines(*listed, "history");
    ASSERT_EQ(history.size(), 2u) << listed->xml();
    EXPECT_TRUE(mentions(history[0], "[backups] second")) << "newest first";
    EXPECT_TRUE(mentions(history[0], "delivered")) << "with the outcome";
    EXPECT_TRUE(mentions(history[1], "[backups] first"));
    EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(history[0].front()))) << "with the time: " << history[0];

    auto one = run_command(*bob_, "history", {{"count", {"1"}}});
    ASSERT_TRUE(one);
    EXPECT_EQ(lines(*one, "history").size(), 1u);
}

TEST_F(AdhocE2E, StatsAreForAdminsOnly) {
    with_topic();
    for (const auto* node : {"stats", "broadcast", "remove-user"}) {
        auto refused = execute(*bob_, node);
        ASSERT_TRUE(refused);
        EXPECT_EQ(error_condition(*refused), "forbidden") << node << ": " << refused->xml();
    }

    publish_ok(*alice_, "backups", notification("counted"));
    auto message = next_notification(*bob_);
    ASSERT_TRUE(message);
    send_receipt(*bob_, *message);
    storage_barrier(*bob_);
    storage_barrier(*bob_);

    auto admin = login("admin");  // admins need not register
    auto stats = execute(*admin, "stats");
    ASSERT_TRUE(stats);
    ASSERT_EQ(status(*stats), "completed") << stats->xml();
    EXPECT_EQ(value(*stats, "users"), "2");
    EXPECT_EQ(value(*stats, "online_users"), "2");
    EXPECT_EQ(value(*stats, "topics"), "1");
    EXPECT_EQ(value(*stats, "queued"), "0");
    EXPECT_EQ(value(*stats, "delivered"), "1");
    EXPECT_EQ(value(*stats, "dropped"), "0");
    EXPECT_EQ(value(*stats, "expired"), "0");
    EXPECT_FALSE(value(*stats, "uptime_seconds").empty());
    EXPECT_NO_THROW(std::stoll(value(*stats, "uptime_seconds")));
}

// An admin removes alice as her own unregistering would: her topic goes and
// its subscriber is told.
TEST_F(AdhocE2E, AnAdminRemovesAUserAndTheirTopics) {
    with_topic();  // alice owns backups, bob subscribes
    auto admin = login("admin");
    auto unconfirmed = run_command(*admin, "remove-user", {{"jid", {"alice@localhost"}}});
    ASSERT_TRUE(unconfirmed);
    expect_shown_again(*unconfirmed, unconfirmed->find("command")->attr("sessionid"));
    auto removed = submit(*admin, *unconfirmed, {{"jid", {"alice@localhost"}}, {"confirm", {"1"}}});
    ASSERT_TRUE(removed);
    EXPECT_EQ(status(*removed), "completed") << removed->xml();
    EXPECT_TRUE(mentions(removed->text("command/note"), "1 topic"));
    EXPECT_TRUE(bob_->wait_for([](const ReceivedStanza& s) { return s.has("node-deleted[@node='backups']"); }, kWait));
    EXPECT_TRUE(herald_->wait_log("unregistered alice@localhost"));
    auto again = run_command(*admin, "remove-user", {{"jid", {"alice@localhost"}}, {"confirm", {"1"}}});
    ASSERT_TRUE(again);
    EXPECT_TRUE(mentions(problem(*again), "not registered")) << again->xml();
}

TEST_F(AdhocE2E, BroadcastReachesEveryUser) {
    bob_ = online_user("bob");
    auto carol = online_user("carol");
    auto admin = login("admin");

    auto empty = run_command(*admin, "broadcast", {});
    ASSERT_TRUE(empty);
    expect_shown_again(*empty, empty->find("command")->attr("sessionid"));
    EXPECT_NE(problem(*empty).rfind("(no fixed", 0), 0u) << "a broadcast needs words";

    auto sent = submit(*admin, *empty, {{"title", {"Maintenance"}}, {"text", {"tonight", "22:00 UTC"}}});
    ASSERT_TRUE(sent);
    EXPECT_EQ(status(*sent), "completed") << sent->xml();
    EXPECT_TRUE(mentions(sent->text("command/note"), "2 users"));
    for (auto* user : {bob_.get(), carol.get()}) {
        auto message = next_notification(*user);
        ASSERT_TRUE(message) << user->bare_jid();
        EXPECT_EQ(message->text("notification/notification/title"), "Maintenance");
        EXPECT_EQ(message->text("notification/notification/body"), "tonight\n22:00 UTC");
    }
}

// What renders in Gajim, Psi, Profanity, poezio and Movim, checked on the
// first answer of every command a user may run.
TEST_F(AdhocE2E, EveryCommandAnswersInAShapeEveryClientRenders) {
    auto admin = online_user("admin");
    for (const auto* topic : {"alpha", "beta", "gamma"}) create_node(*admin, topic);
    subscribe(*admin, "alpha");
    subscribe(*admin, "beta");
    auto bob = online_user("bob");
    const auto nodes = listed_commands(*admin);
    ASSERT_GT(nodes.size(), 10u);
    int forms = 0;
    for (const auto& node : nodes) {
        if (node == "pause" || node == "resume") continue;  // they act at once; checked elsewhere
        auto reply = execute(*admin, node);
        ASSERT_TRUE(reply) << node;
        ASSERT_EQ(reply->type(), "result") << node << ": " << reply->xml();
        SCOPED_TRACE(node + ": " + reply->xml());
        EXPECT_FALSE(reply->find("command")->attr("sessionid").empty());
        const auto notes = reply->find_all("command/note");
        EXPECT_LE(notes.size(), 1u);
        if (!notes.empty()) {
            EXPECT_EQ(status(*reply), "completed") << "a note only on the final answer";
            if (notes.front().attr("type") == "error") {
                EXPECT_EQ(notes.front().text().rfind("Error:", 0), 0u);
            }
        }
        EXPECT_FALSE(reply->has("command/x/reported"));
        EXPECT_FALSE(reply->has("command/x/item"));
        if (status(*reply) != "executing") continue;
        ++forms;
        EXPECT_EQ(reply->find_all("command/x/instructions").size(), 1u);
        for (const auto& field : reply->find_all("command/x/field")) {
            if (field.attr("type") == "hidden") continue;
            EXPECT_FALSE(field.attr("label").empty()) << "field " << field.xml();
            for (const auto& option : field.find_all("option"))
                EXPECT_FALSE(option.attr("label").empty()) << "option " << option.xml();
            if (field.attr("type") != "list-single") continue;
            EXPECT_GT(field.find_all("option").size(), 1u) << "a list of one is no choice: " << field.xml();
            EXPECT_FALSE(field.text("value").empty()) << "a list-single needs a default: " << field.xml();
        }
        const auto cancel = send_command(*admin, node, " action='cancel' sessionid='" +
                                                           reply->find("command")->attr("sessionid") + "'");
        ASSERT_TRUE(cancel);
        EXPECT_EQ(status(*cancel), "canceled");
    }
    EXPECT_GE(forms, 10) << "most commands ask something first";
}

TEST_F(AdhocE2E, UnregisterAsksForConfirmationThenRemovesTheUser) {
    with_topic();
    publish_ok(*alice_, "backups", notification("waiting"));
    auto form = execute(*bob_, "unregister");
    ASSERT_TRUE(form);
    ASSERT_EQ(status(*form), "executing") << form->xml();
    EXPECT_TRUE(mentions(form->text("command/x/instructions"), "subscriptions"));
    EXPECT_EQ(value(*form, "confirm"), "0") << "nothing is deleted unless the person says so";

    auto unconfirmed = submit(*bob_, *form);
    ASSERT_TRUE(unconfirmed);
    expect_shown_again(*unconfirmed, form->find("command")->attr("sessionid"));
    EXPECT_TRUE(mentions(problem(*unconfirmed), "confirm"));
    storage_barrier(*bob_);
    EXPECT_FALSE(listed_commands(*bob_).empty()) << "still registered";

    bob_->clear();
    auto done = submit(*bob_, *unconfirmed, {{"confirm", {"1"}}});
    ASSERT_TRUE(done);
    EXPECT_EQ(status(*done), "completed") << done->xml();
    EXPECT_TRUE(mentions(done->text("command/note"), "unregistered"));
    EXPECT_TRUE(presence_from_herald(*bob_, "unsubscribe")) << "as XEP-0077 <remove/> does";
    EXPECT_TRUE(presence_from_herald(*bob_, "unsubscribed"));
    EXPECT_TRUE(listed_commands(*bob_).empty());
    EXPECT_EQ(queued_for("bob@localhost"), 0);
    auto again = execute(*bob_, "preferences");
    ASSERT_TRUE(again);
    EXPECT_EQ(error_condition(*again), "registration-required");
    auto registration = iq(*bob_, "get", "<query xmlns='jabber:iq:register'/>");
    ASSERT_TRUE(registration);
    EXPECT_FALSE(registration->has("query/registered")) << registration->xml();
}

TEST_F(AdhocE2E, TheRegistrationNodeUnregistersToo) {
    bob_ = online_user("bob");
    auto done = run_command(*bob_, "jabber:iq:register", {{"confirm", {"1"}}});
    ASSERT_TRUE(done);
    EXPECT_EQ(status(*done), "completed") << done->xml();
    EXPECT_TRUE(presence_from_herald(*bob_, "unsubscribed"));
    auto registration = iq(*bob_, "get", "<query xmlns='jabber:iq:register'/>");
    ASSERT_TRUE(registration);
    EXPECT_FALSE(registration->has("query/registered")) << registration->xml();
}

TEST_F(AdhocE2E, UnregisteredUsersAreAskedToRegister) {
    auto stranger = login("stranger");
    for (const auto* node : {"subscribe", "unsubscribe", "subscriptions", "create-topic", "delete-topic", "publishers",
                             "preferences", "history", "pause", "resume", "add-feed", "remove-feed", "unregister"}) {
        auto reply = execute(*stranger, node);
        ASSERT_TRUE(reply);
        EXPECT_EQ(reply->type(), "error") << node;
        EXPECT_EQ(error_condition(*reply), "registration-required") << node << ": " << reply->xml();
    }
    auto stats = execute(*stranger, "stats");
    ASSERT_TRUE(stats);
    EXPECT_EQ(error_condition(*stats), "forbidden");

    register_and_approve(*stranger);
    auto registered = execute(*stranger, "preferences");
    ASSERT_TRUE(registered);
    EXPECT_EQ(status(*registered), "executing") << registered->xml();
}

TEST_F(AdhocE2E, CancelEndsAMultiStageCommand) {
    bob_ = online_user("bob");
    auto form = execute(*bob_, "preferences");
    ASSERT_TRUE(form);
    ASSERT_EQ(status(*form), "executing");
    const auto session = form->find("command")->attr("sessionid");

    auto canceled = send_command(*bob_, "preferences", " action='cancel' sessionid='" + session + "'");
    ASSERT_TRUE(canceled);
    EXPECT_EQ(canceled->type(), "result") << canceled->xml();
    EXPECT_EQ(status(*canceled), "canceled");
    EXPECT_EQ(canceled->find("command")->attr("sessionid"), session);

    auto late = submit(*bob_, *form, {{"message_type", {"headline"}}});
    ASSERT_TRUE(late);
    EXPECT_EQ(error_condition(*late), "bad-request") << late->xml();
    EXPECT_TRUE(has_command_condition(*late, "bad-sessionid")) << late->xml();
    auto unchanged = execute(*bob_, "preferences");
    ASSERT_TRUE(unchanged);
    EXPECT_EQ(value(*unchanged, "message_type"), "chat");
}

TEST_F(AdhocE2E, BadSessionsAndMalformedRequestsAreRefused) {
    bob_ = online_user("bob");
    auto carol = online_user("carol");

    auto unknown = send_command(*bob_, "preferences", " action='complete' sessionid='no-such-session'");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(error_condition(*unknown), "bad-request");
    EXPECT_TRUE(has_command_condition(*unknown, "bad-sessionid")) << unknown->xml();

    auto form = execute(*bob_, "preferences");
    ASSERT_TRUE(form);
    ASSERT_EQ(status(*form), "executing");
    auto stolen = submit(*carol, *form);
    ASSERT_TRUE(stolen);
    EXPECT_TRUE(has_command_condition(*stolen, "bad-sessionid")) << "another user's session: " << stolen->xml();
    const auto session = form->find("command")->attr("sessionid");
    auto wrong_node = send_command(*bob_, "history", " action='complete' sessionid='" + session + "'");
    ASSERT_TRUE(wrong_node);
    EXPECT_TRUE(has_command_condition(*wrong_node, "bad-sessionid")) << wrong_node->xml();

    auto no_form = send_command(*bob_, "preferences", " action='complete' sessionid='" + session + "'");
    ASSERT_TRUE(no_form);
    EXPECT_EQ(error_condition(*no_form), "bad-request");
    EXPECT_TRUE(has_command_condition(*no_form, "bad-payload")) << no_form->xml();
    auto still_open = submit(*bob_, *form);
    ASSERT_TRUE(still_open);
    EXPECT_EQ(status(*still_open), "completed") << "the session survived the bad payload: " << still_open->xml();

    auto no_such_command = execute(*bob_, "dance");
    ASSERT_TRUE(no_such_command);
    EXPECT_EQ(error_condition(*no_such_command), "item-not-found");
    auto bad_action = send_command(*bob_, "preferences", " action='dance'");
    ASSERT_TRUE(bad_action);
    EXPECT_EQ(error_condition(*bad_action), "bad-request");
    EXPECT_TRUE(has_command_condition(*bad_action, "malformed-action")) << bad_action->xml();
}

TEST_F(AdhocE2E, EachRequesterKeepsOnlyAFewOpenSessions) {
    bob_ = online_user("bob");
    std::vector<ReceivedStanza> forms;
    for (int i = 0; i < 6; ++i) {
        auto form = execute(*bob_, "history");
        ASSERT_TRUE(form);
        ASSERT_EQ(status(*form), "executing");
        forms.push_back(*form);
    }
    auto oldest = submit(*bob_, forms.front());
    ASSERT_TRUE(oldest);
    EXPECT_TRUE(has_command_condition(*oldest, "bad-sessionid")) << "the oldest gave way: " << oldest->xml();
    auto newest = submit(*bob_, forms.back());
    ASSERT_TRUE(newest);
    EXPECT_EQ(status(*newest), "completed") << newest->xml();
}

}  // namespace
