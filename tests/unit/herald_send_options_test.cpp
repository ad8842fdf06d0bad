// herald-send's pure parts: the command line, the publish IQ it builds, the
// reading of its inputs, and how a reply or a failed session becomes an
// exit status and a message.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

#include "tests/support/received_stanza.h"
#include "text/safe_text.h"
#include "tools/herald-send/herald_send_inputs.h"
#include "tools/herald-send/herald_send_options.h"
#include "tools/herald-send/publish_outcome.h"
#include "tools/herald-send/publish_reply.h"
#include "tools/herald-send/publish_request.h"
#include "tools/herald-send/strophe_handles.h"

using namespace herald::ingest;
using herald::testing::ReceivedStanza;

using namespace std::chrono_literals;

namespace {

EnvironmentLookup environment_with(std::map<std::string, std::string> variables) {
    return [variables = std::move(variables)](const std::string& name) -> std::optional<std::string> {
        const auto found = variables.find(name);
        if (found == variables.end()) return std::nullopt;
        return found->second;
    };
}

const EnvironmentLookup kWithPassword = environment_with({{"HERALD_PASSWORD", "s3cret"}});
const EnvironmentLookup kEmptyEnvironment = environment_with({});

std::vector<std::string> with_required(std::vector<std::string> extra) {
    std::vector<std::string> arguments{"--jid", "alice@example.org", "--to", "notify.example.org",
                                       "--node", "backups"};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return arguments;
}

HeraldSendOptions parse(std::vector<std::string> extra, const EnvironmentLookup& environment = kWithPassword) {
    return parse_herald_send_command_line(with_required(std::move(extra)), environment).options;
}

// The UsageError's message, or "" when parsing succeeded.
std::string usage_error(const std::vector<std::string>& arguments,
                        const EnvironmentLookup& environment = kWithPassword) {
    try {
        parse_herald_send_command_line(arguments, environment);
    } catch (const UsageError& error) {
        return error.what();
    }
    return "";
}

}  // namespace

// ------------------------------------------------------------ command line

TEST(HeraldSendOptionsTest, RequiredOptionsAndDefaults) {
    const HeraldSendOptions options = parse({"--title", "Backup failed"});
    EXPECT_EQ(options.connection.jid, "alice@example.org");
    EXPECT_EQ(options.request.service, "notify.example.org");
    EXPECT_EQ(options.request.node, "backups");
    EXPECT_EQ(options.request.notification.title, "Backup failed");
    EXPECT_FALSE(options.request.notification.body);
    EXPECT_FALSE(options.request.notification.link);
    EXPECT_FALSE(options.request.notification.priority);
    EXPECT_FALSE(options.request.notification.ttl_seconds);
    EXPECT_FALSE(options.request.item_id);
    EXPECT_FALSE(options.connection.server);
    EXPECT_FALSE(options.connection.port);
    EXPECT_EQ(options.connection.tls, TlsPolicy::allow);
    EXPECT_FALSE(options.connection.insecure);
    EXPECT_EQ(options.timeout, 30s);
    EXPECT_EQ(options.body.kind, BodySource::Kind::standard_input_if_piped);
    EXPECT_FALSE(options.password_file);
}

TEST(HeraldSendOptionsTest, EveryOptionInBothForms) {
    const HeraldSendOptions options = parse({"--server", "xmpp.example.org", "--port=5223", "--tls=require",
                                             "--insecure", "--timeout", "5", "--title=T", "--body", "B",
                                             "--link", "https://example.org/x", "--priority", "urgent",
                                             "--ttl=3600", "--item-id", "id-1", "--verbose"});
    EXPECT_EQ(options.connection.server, "xmpp.example.org");
    EXPECT_EQ(options.connection.port, 5223);
    EXPECT_EQ(options.connection.tls, TlsPolicy::require);
    EXPECT_TRUE(options.connection.insecure);
    EXPECT_EQ(options.timeout, 5s);
    EXPECT_EQ(options.request.notification.title, "T");
    EXPECT_EQ(options.body.kind, BodySource::Kind::text);
    EXPECT_EQ(options.body.value, "B");
    EXPECT_EQ(options.request.notification.link, "https://example.org/x");
    EXPECT_EQ(options.request.notification.priority, NotificationPriority::urgent);
    EXPECT_EQ(options.request.notification.ttl_seconds, 3600);
    EXPECT_EQ(options.request.item_id, "id-1");
    EXPECT_TRUE(options.verbose);
}

TEST(HeraldSendOptionsTest, MissingRequiredOptions) {
    EXPECT_NE(usage_error({"--jid", "a@b", "--to", "notify.b"}).find("--node"), std::string::npos);
    EXPECT_NE(usage_error({"--jid", "a@b", "--node", "n"}).find("--to"), std::string::npos);
    EXPECT_NE(usage_error({"--to", "notify.b", "--node", "n"}).find("--jid"), std::string::npos);
    EXPECT_NE(usage_error(with_required({"--title"})).find("--title needs a value"), std::string::npos);
    EXPECT_NE(usage_error(with_required({"--link="})).find("--link needs a non-empty value"), std::string::npos);
}

TEST(HeraldSendOptionsTest, HelpWinsOverEverythingElse) {
    EXPECT_TRUE(parse_herald_send_command_line({"--help"}, kEmptyEnvironment).help);
    EXPECT_TRUE(parse_herald_send_command_line({"--node", "x", "-h"}, kEmptyEnvironment).help);
    const std::string usage(herald_send_usage());
    EXPECT_NE(usage.find("Examples:"), std::string::npos);
    EXPECT_NE(usage.find("HERALD_PASSWORD"), std::string::npos);
    EXPECT_NE(usage.find("77"), std::string::npos);
}

TEST(HeraldSendOptionsTest, PriorityMustBeKnown) {
    for (const auto& [name, value] : std::map<std::string, NotificationPriority>{
             {"low", NotificationPriority::low},
             {"normal", NotificationPriority::normal},
             {"high", NotificationPriority::high},
             {"urgent", NotificationPriority::urgent}})
        EXPECT_EQ(parse({"--priority", name}).request.notification.priority, value) << name;
    EXPECT_NE(usage_error(with_required({"--priority", "critical"})).find("--priority must be"),
              std::string::npos);
    EXPECT_NE(usage_error(with_required({"--priority", "HIGH"})), "");
}

TEST(HeraldSendOptionsTest, NumbersAreWholeAndInRange) {
    EXPECT_NE(usage_error(with_required({"--ttl", "abc"})).find("--ttl needs a whole number"), std::string::npos);
    EXPECT_NE(usage_error(with_required({"--ttl", "60s"})), "");
    EXPECT_NE(usage_error(with_required({"--ttl", "1.5"})), "");
    EXPECT_NE(usage_error(with_required({"--ttl", "0"})).find("between"), std::string::npos);
    EXPECT_NE(usage_error(with_required({"--ttl", "-5"})), "");
    EXPECT_NE(usage_error(with_required({"--ttl", "99999999999999999999"})), "");
    EXPECT_NE(usage_error(with_required({"--port", "0"})), "");
    EXPECT_NE(usage_error(with_required({"--port", "65536"})), "");
    EXPECT_NE(usage_error(with_required({"--timeout", "0"})), "");
    EXPECT_EQ(parse({"--ttl", "1"}).request.notification.ttl_seconds, 1);
}

TEST(HeraldSendOptionsTest, TlsPolicies) {
    EXPECT_EQ(parse({"--tls", "off"}).connection.tls, TlsPolicy::off);
    EXPECT_EQ(parse({"--tls", "allow"}).connection.tls, TlsPolicy::allow);
    EXPECT_NE(usage_error(with_required({"--tls", "on"})).find("require, allow or off"), std::string::npos);
}

TEST(HeraldSendOptionsTest, JidMustBeAnAccount) {
    EXPECT_EQ(parse({}, kWithPassword).connection.jid, "alice@example.org");
    EXPECT_EQ(parse_herald_send_command_line({"--jid", "a@b/phone", "--to", "t", "--node", "n"}, kWithPassword)
                  .options.connection.jid,
              "a@b/phone");
    for (const char* jid : {"example.org", "@example.org", "alice@", "alice@/r", "a@b/", "a@b@c"})
        EXPECT_NE(usage_error({"--jid", jid, "--to", "t", "--node", "n"}).find("--jid"), std::string::npos) << jid;
}

TEST(HeraldSendOptionsTest, PasswordSources) {
    // The file wins and needs no variable.
    EXPECT_EQ(parse({"--password-file", "/etc/herald/pass"}, kEmptyEnvironment).password_file, "/etc/herald/pass");
    EXPECT_FALSE(parse({}, kWithPassword).password_file);
    EXPECT_NE(usage_error(with_required({}), kEmptyEnvironment).find("no password"), std::string::npos);
    EXPECT_NE(usage_error(with_required({}), environment_with({{"HERALD_PASSWORD", ""}})).find("no password"),
              std::string::npos);
    // Never from an argument, and the refusal does not repeat it.
    for (const std::vector<std::string>& extra : {std::vector<std::string>{"--password", "hunter2"},
                                                  std::vector<std::string>{"--password=hunter2"}}) {
        const std::string error = usage_error(with_required(extra));
        EXPECT_NE(error.find("--password is not accepted"), std::string::npos);
        EXPECT_EQ(error.find("hunter2"), std::string::npos);
    }
}

TEST(HeraldSendOptionsTest, BodySources) {
    EXPECT_EQ(parse({"--body", "-"}).body.kind, BodySource::Kind::standard_input);
    EXPECT_EQ(parse({"--body-file", "-"}).body.kind, BodySource::Kind::standard_input);
    const auto from_file = parse({"--body-file", "/var/log/x"}).body;
    EXPECT_EQ(from_file.kind, BodySource::Kind::file);
    EXPECT_EQ(from_file.value, "/var/log/x");
    const auto none = parse({"--body", ""}).body;
    EXPECT_EQ(none.kind, BodySource::Kind::text);
    EXPECT_EQ(none.value, "");
    EXPECT_NE(usage_error(with_required({"--body", "x", "--body-file", "f"})).find("not both"), std::string::npos);
}

TEST(HeraldSendOptionsTest, RejectsUnknownRepeatedAndStrayArguments) {
    EXPECT_NE(usage_error(with_required({"--colour"})).find("unknown option '--colour'"), std::string::npos);
    EXPECT_NE(usage_error(with_required({"stray"})).find("unexpected argument 'stray'"), std::string::npos);
    EXPECT_NE(usage_error(with_required({"--node", "other"})).find("more than once"), std::string::npos);
    EXPECT_NE(usage_error(with_required({"--insecure=yes"})).find("takes no value"), std::string::npos);
}

TEST(HeraldSendOptionsTest, AcknowledgementOptions) {
    const HeraldSendOptions plain = parse({});
    EXPECT_FALSE(plain.request.acknowledgement.required);
    EXPECT_FALSE(plain.request.acknowledgement.renotify_seconds);
    EXPECT_FALSE(plain.wait);

    const HeraldSendOptions paging = parse({"--ack", "--renotify", "120", "--wait=600"});
    EXPECT_TRUE(paging.request.acknowledgement.required);
    EXPECT_EQ(paging.request.acknowledgement.renotify_seconds, 120);
    EXPECT_EQ(paging.wait, 600s);
    EXPECT_EQ(paging.timeout, 30s) << "--wait does not stretch the bound on publishing";

    // Reminders for a topic that asks for acknowledgements by default.
    EXPECT_EQ(parse({"--renotify", "60"}).request.acknowledgement.renotify_seconds, 60);
    EXPECT_FALSE(parse({"--renotify", "60"}).request.acknowledgement.required);
}

TEST(HeraldSendOptionsTest, BadRenotifyIsAUsageError) {
    for (const char* bad : {"0", "-1", "abc", "1.5", "30s", "99999999999999999999"})
        EXPECT_NE(usage_error(with_required({"--ack", "--renotify", bad})).find("--renotify"), std::string::npos)
            << bad;
    EXPECT_NE(usage_error(with_required({"--ack", "--renotify"})).find("--renotify needs a value"),
              std::string::npos);
    EXPECT_NE(usage_error(with_required({"--ack", "--renotify="})).find("non-empty"), std::string::npos);
    EXPECT_NE(usage_error(with_required({"--ack=yes"})).find("--ack takes no value"), std::string::npos);
}

TEST(HeraldSendOptionsTest, WaitNeedsAckAndWholeSeconds) {
    EXPECT_NE(usage_error(with_required({"--wait", "60"})).find("--wait needs --ack"), std::string::npos);
    EXPECT_NE(usage_error(with_required({"--renotify", "60", "--wait", "60"})).find("--wait needs --ack"),
              std::string::npos);
    for (const char* bad : {"0", "-5", "ten", "2.5", "604801"})
        EXPECT_NE(usage_error(with_required({"--ack", "--wait", bad})).find("--wait"), std::string::npos) << bad;
    EXPECT_EQ(parse({"--wait", "1", "--ack"}).wait, 1s) << "in any order";
    EXPECT_EQ(parse({"--ack", "--wait", "604800"}).wait, std::chrono::seconds(604800));
}

TEST(HeraldSendOptionsTest, UsageExplainsAcknowledgements) {
    const std::string usage(herald_send_usage());
    for (const char* text : {"--ack", "--renotify SECONDS", "--wait SECONDS", "acknowledged by JID at TIME"})
        EXPECT_NE(usage.find(text), std::string::npos) << text;
}

// ------------------------------------------------------------ publish IQ

namespace {

PublishRequest backup_failed() {
    PublishRequest request;
    request.service = "notify.example.org";
    request.node = "backups";
    request.notification.title = "Backup failed";
    request.notification.body = "db1 nightly backup failed";
    request.notification.link = "https://ci.example.org/job/42";
    return request;
}

}  // namespace

TEST(PublishRequestTest, PublishIqCarriesTheNotification) {
    const auto iq = ReceivedStanza::parse(publish_iq_xml(backup_failed(), "p1"));
    EXPECT_EQ(iq.name(), "iq");
    EXPECT_EQ(iq.type(), "set");
    EXPECT_EQ(iq.to(), "notify.example.org");
    EXPECT_EQ(iq.id(), "p1");
    const auto item = iq.find("pubsub[@xmlns='http://jabber.org/protocol/pubsub']/publish[@node='backups']/item");
    ASSERT_TRUE(item) << iq;
    EXPECT_FALSE(item->has_attr("id"));
    const auto notification = item->find("notification[@xmlns='urn:herald:0']");
    ASSERT_TRUE(notification) << iq;
    EXPECT_EQ(notification->text("title"), "Backup failed");
    EXPECT_EQ(notification->text("body"), "db1 nightly backup failed");
    EXPECT_EQ(notification->text("link"), "https://ci.example.org/job/42");
    EXPECT_FALSE(notification->has_attr("priority"));
    EXPECT_FALSE(notification->has_attr("ttl"));
    EXPECT_EQ(item->children().size(), 1u);
    // Neither priority nor ttl: the service's defaults, no publish-options.
    EXPECT_FALSE(iq.has("pubsub/publish-options")) << iq;
}

TEST(PublishRequestTest, OnlyTheGivenElements) {
    PublishRequest request;
    request.service = "notify.example.org";
    request.node = "n";
    request.notification.title = "only a title";
    const auto iq = ReceivedStanza::parse(publish_iq_xml(request, "p2"));
    const auto notification = iq.find("pubsub/publish/item/notification");
    ASSERT_TRUE(notification);
    ASSERT_EQ(notification->children().size(), 1u) << iq;
    EXPECT_EQ(notification->children()[0].name(), "title");
}

TEST(PublishRequestTest, PriorityAndTtlInPayloadAndPublishOptions) {
    PublishRequest request = backup_failed();
    request.notification.priority = NotificationPriority::high;
    request.notification.ttl_seconds = 3600;
    request.item_id = "nightly-2026-11-24";
    const auto iq = ReceivedStanza::parse(publish_iq_xml(request, "p3"));
    EXPECT_EQ(iq.find("pubsub/publish/item")->id(), "nightly-2026-11-24");
    const auto notification = iq.find("pubsub/publish/item/notification");
    EXPECT_EQ(notification->attr("priority"), "high");
    EXPECT_EQ(notification->attr("ttl"), "3600");
    const auto form = iq.find("pubsub/publish-options/x[@xmlns='jabber:x:data'][@type='submit']");
    ASSERT_TRUE(form) << iq;
    EXPECT_EQ(form->find("field[@var='FORM_TYPE']")->type(), "hidden");
    EXPECT_EQ(form->text("field[@var='FORM_TYPE']/value"), "http://jabber.org/protocol/pubsub#publish-options");
    EXPECT_EQ(form->text("field[@var='herald#priority']/value"), "high");
    EXPECT_EQ(form->text("field[@var='herald#ttl']/value"), "3600");
}

TEST(PublishRequestTest, PublishOptionsHoldOnlyTheGivenFields) {
    PublishRequest request = backup_failed();
    request.notification.ttl_seconds = 60;
    const auto iq = ReceivedStanza::parse(publish_iq_xml(request, "p4"));
    const auto form = iq.find("pubsub/publish-options/x");
    ASSERT_TRUE(form) << iq;
    EXPECT_TRUE(form->has("field[@var='herald#ttl']"));
    EXPECT_FALSE(form->has("field[@var='herald#priority']"));
    EXPECT_FALSE(iq.find("pubsub/publish/item/notification")->has_attr("priority"));
}

TEST(PublishRequestTest, AcknowledgementGoesIntoPublishOptionsOnly) {
    PublishRequest request = backup_failed();
    request.acknowledgement.required = true;
    request.acknowledgement.renotify_seconds = 300;
    const auto iq = ReceivedStanza::parse(publish_iq_xml(request, "p5"));
    const auto form = iq.find("pubsub/publish-options/x[@xmlns='jabber:x:data'][@type='submit']");
    ASSERT_TRUE(form) << iq;
    EXPECT_EQ(form->text("field[@var='FORM_TYPE']/value"), "http://jabber.org/protocol/pubsub#publish-options");
    EXPECT_EQ(form->text("field[@var='herald#ack']/value"), "required");
    EXPECT_EQ(form->text("field[@var='herald#renotify']/value"), "300");
    EXPECT_FALSE(form->has("field[@var='herald#priority']"));
    EXPECT_FALSE(form->has("field[@var='herald#ttl']"));
    const auto notification = iq.find("pubsub/publish/item/notification");
    ASSERT_TRUE(notification) << iq;
    EXPECT_FALSE(notification->has_attr("ack"));
    EXPECT_FALSE(notification->has_attr("renotify"));

    request.acknowledgement.renotify_seconds.reset();
    const auto ack_only = ReceivedStanza::parse(publish_iq_xml(request, "p6"));
    EXPECT_EQ(ack_only.text("pubsub/publish-options/x/field[@var='herald#ack']/value"), "required");
    EXPECT_FALSE(ack_only.has("pubsub/publish-options/x/field[@var='herald#renotify']")) << ack_only;
}

TEST(PublishRequestTest, EscapesEveryText) {
    PublishRequest request;
    request.service = "notify.example.org";
    request.node = "it's <odd> & \"quoted\"";
    request.item_id = "id'&<";
    request.notification.title = "</title><script>&amp;";
    request.notification.body = "line 1\n\x1B[31mred\x1B[0m & more";
    request.notification.link = "https://example.org/?a=1&b='2'";
    const auto iq = ReceivedStanza::parse(publish_iq_xml(request, "id'1"));
    EXPECT_EQ(iq.id(), "id'1");
    const auto publish = iq.find("pubsub/publish");
    ASSERT_TRUE(publish) << iq;
    EXPECT_EQ(publish->attr("node"), "it's <odd> & \"quoted\"");
    EXPECT_EQ(publish->find("item")->id(), "id'&<");
    const auto notification = publish->find("item/notification");
    EXPECT_EQ(notification->text("title"), "</title><script>&amp;");
    EXPECT_EQ(notification->text("body"), "line 1\nred & more");
    EXPECT_EQ(notification->text("link"), "https://example.org/?a=1&b='2'");
}

// ------------------------------------------------------------ replies

namespace {

class PublishReplyTest : public ::testing::Test {
protected:
    PublishReply reply(const std::string& xml) {
        StropheStanza stanza(xmpp_stanza_new_from_string(context_.get(), xml.c_str()));
        if (!stanza) throw std::invalid_argument("not XML: " + xml);
        return PublishReply::from_stanza(stanza.get());
    }

    StropheContext context_{xmpp_ctx_new(nullptr, nullptr)};
};

StanzaError stanza_error(std::string type, std::string condition, std::string application_condition = "") {
    StanzaError error;
    error.type = std::move(type);
    error.condition = std::move(condition);
    error.application_condition = std::move(application_condition);
    if (!error.application_condition.empty()) error.application_namespace = kPubsubErrorNs;
    return error;
}

}  // namespace

TEST_F(PublishReplyTest, ResultWithTheItemId) {
    const auto parsed = reply(
        "<iq type='result' id='p1' from='notify.example.org'>"
        "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='backups'><item id='ae890ac52'/>"
        "</publish></pubsub></iq>");
    EXPECT_FALSE(parsed.error);
    EXPECT_EQ(parsed.item_id, "ae890ac52");
}

TEST_F(PublishReplyTest, EmptyResult) {
    const auto parsed = reply("<iq type='result' id='p1'/>");
    EXPECT_FALSE(parsed.error);
    EXPECT_FALSE(parsed.item_id);
}

TEST_F(PublishReplyTest, ErrorWithTextAndPubsubCondition) {
    const auto parsed = reply(
        "<iq type='error' id='p1'><error type='modify'>"
        "<bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
        "<invalid-payload xmlns='http://jabber.org/protocol/pubsub#errors'/>"
        "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>no title, body or link</text>"
        "</error></iq>");
    ASSERT_TRUE(parsed.error);
    EXPECT_EQ(parsed.error->type, "modify");
    EXPECT_EQ(parsed.error->condition, "bad-request");
    EXPECT_EQ(parsed.error->text, "no title, body or link");
    EXPECT_EQ(parsed.error->application_condition, "invalid-payload");
    EXPECT_EQ(parsed.error->application_namespace, kPubsubErrorNs);
    EXPECT_EQ(describe(*parsed.error), "bad-request (modify), pubsub error invalid-payload: no title, body or link");
}

TEST_F(PublishReplyTest, UnsupportedFeature) {
    const auto parsed = reply(
        "<iq type='error' id='p1'><error type='cancel'>"
        "<feature-not-implemented xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
        "<unsupported xmlns='http://jabber.org/protocol/pubsub#errors' feature='publish'/>"
        "</error></iq>");
    ASSERT_TRUE(parsed.error);
    EXPECT_EQ(describe(*parsed.error), "feature-not-implemented (cancel), pubsub error unsupported feature 'publish'");
    EXPECT_EQ(exit_code_for(*parsed.error), ExitCode::refused);
}

TEST_F(PublishReplyTest, ErrorWithoutErrorElement) {
    const auto parsed = reply("<iq type='error' id='p1'/>");
    ASSERT_TRUE(parsed.error);
    EXPECT_EQ(parsed.error->condition, "");
    EXPECT_EQ(exit_code_for(*parsed.error), ExitCode::refused);
}

TEST_F(PublishReplyTest, AcknowledgementMessage) {
    StropheStanza message(xmpp_stanza_new_from_string(
        context_.get(),
        "<message from='notify.example.org' to='monitor@example.org/x1'>"
        "<body>Acknowledged by alice@example.org: [backups] Backup failed</body>"
        "<acknowledged xmlns='urn:herald:0' node='backups' item='ae890ac52' by='alice@example.org' "
        "stamp='2026-12-01T03:04:05Z'/></message>"));
    const auto acknowledgement = Acknowledgement::from_stanza(message.get());
    ASSERT_TRUE(acknowledgement);
    EXPECT_EQ(acknowledgement->from, "notify.example.org");
    EXPECT_EQ(acknowledgement->node, "backups");
    EXPECT_EQ(acknowledgement->item_id, "ae890ac52");
    EXPECT_EQ(acknowledgement->by, "alice@example.org");
    EXPECT_EQ(acknowledgement->stamp, "2026-12-01T03:04:05Z");

    EXPECT_TRUE(acknowledgement->is_for("notify.example.org", "backups", "ae890ac52"));
    EXPECT_FALSE(acknowledgement->is_for("notify.example.org", "backups", "ae890ac5"));
    EXPECT_FALSE(acknowledgement->is_for("notify.example.org", "deploys", "ae890ac52"));
    EXPECT_FALSE(acknowledgement->is_for("notify.example", "backups", "ae890ac52"));
    EXPECT_FALSE(acknowledgement->is_for("other.example.org", "backups", "ae890ac52"));
    Acknowledgement from_resource = *acknowledgement;
    from_resource.from = "notify.example.org/herald";
    EXPECT_TRUE(from_resource.is_for("notify.example.org", "backups", "ae890ac52"));
    from_resource.from = "notify.example.org.evil.example";
    EXPECT_FALSE(from_resource.is_for("notify.example.org", "backups", "ae890ac52"));
}

TEST_F(PublishReplyTest, NotAnAcknowledgement) {
    for (const char* xml : {
             "<message from='notify.example.org'><body>ack</body></message>",
             "<message from='notify.example.org'><acknowledged xmlns='urn:other' node='n' item='i'/></message>",
             "<message from='notify.example.org' type='error'><acknowledged xmlns='urn:herald:0' node='n' "
             "item='i'/></message>",
             "<iq type='set' from='notify.example.org'><acknowledged xmlns='urn:herald:0' node='n' item='i'/></iq>",
         }) {
        StropheStanza stanza(xmpp_stanza_new_from_string(context_.get(), xml));
        EXPECT_FALSE(Acknowledgement::from_stanza(stanza.get())) << xml;
    }
}

// --------------------------------------------------- exit status, messages

TEST(PublishOutcomeTest, ResultPrintsTheItemId) {
    PublishRequest request = backup_failed();
    PublishReply reply;
    reply.item_id = "ae890ac52";
    auto outcome = outcome_of_reply(reply, request);
    EXPECT_EQ(outcome.exit_code, ExitCode::ok);
    EXPECT_EQ(outcome.output, "ae890ac52");
    EXPECT_EQ(outcome.error, "");

    // The service did not say; the request did.
    request.item_id = "mine";
    outcome = outcome_of_reply(PublishReply{}, request);
    EXPECT_EQ(outcome.exit_code, ExitCode::ok);
    EXPECT_EQ(outcome.output, "mine");

    request.item_id.reset();
    EXPECT_EQ(outcome_of_reply(PublishReply{}, request).output, "");
}

TEST(PublishOutcomeTest, StanzaErrorsToExitStatus) {
    EXPECT_EQ(exit_code_for(stanza_error("auth", "forbidden")), ExitCode::no_permission);
    EXPECT_EQ(exit_code_for(stanza_error("cancel", "forbidden")), ExitCode::no_permission);
    EXPECT_EQ(exit_code_for(stanza_error("auth", "not-authorized")), ExitCode::no_permission);
    EXPECT_EQ(exit_code_for(stanza_error("auth", "registration-required")), ExitCode::no_permission);
    EXPECT_EQ(exit_code_for(stanza_error("auth", "undefined-condition")), ExitCode::no_permission);
    EXPECT_EQ(exit_code_for(stanza_error("modify", "bad-request", "invalid-payload")), ExitCode::data_error);
    EXPECT_EQ(exit_code_for(stanza_error("modify", "not-acceptable", "payload-too-big")), ExitCode::data_error);
    EXPECT_EQ(exit_code_for(stanza_error("modify", "policy-violation")), ExitCode::data_error);
    EXPECT_EQ(exit_code_for(stanza_error("wait", "resource-constraint")), ExitCode::temporary_failure);
    EXPECT_EQ(exit_code_for(stanza_error("wait", "internal-server-error")), ExitCode::temporary_failure);
    EXPECT_EQ(exit_code_for(stanza_error("cancel", "internal-server-error")), ExitCode::refused);
    EXPECT_EQ(exit_code_for(stanza_error("cancel", "item-not-found")), ExitCode::refused);
    EXPECT_EQ(exit_code_for(stanza_error("cancel", "conflict")), ExitCode::refused);
    EXPECT_EQ(exit_code_for(stanza_error("cancel", "service-unavailable")), ExitCode::unavailable);
    EXPECT_EQ(exit_code_for(stanza_error("cancel", "remote-server-not-found")), ExitCode::unavailable);
    EXPECT_EQ(exit_code_for(stanza_error("wait", "remote-server-timeout")), ExitCode::temporary_failure);
    EXPECT_EQ(exit_status(ExitCode::usage), 64);
    EXPECT_EQ(exit_status(ExitCode::data_error), 65);
    EXPECT_EQ(exit_status(ExitCode::unavailable), 69);
    EXPECT_EQ(exit_status(ExitCode::temporary_failure), 75);
    EXPECT_EQ(exit_status(ExitCode::no_permission), 77);
}

TEST(PublishOutcomeTest, StanzaErrorMessageNamesNodeAndCondition) {
    PublishReply reply;
    reply.error = stanza_error("auth", "forbidden");
    reply.error->text = "You are not a publisher";
    const auto outcome = outcome_of_reply(reply, backup_failed());
    EXPECT_EQ(outcome.exit_code, ExitCode::no_permission);
    EXPECT_EQ(outcome.output, "");
    EXPECT_EQ(outcome.error,
              "herald-send: publish to node 'backups' on notify.example.org failed: forbidden (auth): "
              "You are not a publisher");

    reply.error = stanza_error("modify", "not-acceptable", "payload-too-big");
    EXPECT_NE(outcome_of_reply(reply, backup_failed()).error.find("not-acceptable (modify), pubsub error payload-too-big"),
              std::string::npos);
}

TEST(PublishOutcomeTest, SessionFailuresToExitStatus) {
    using Kind = SessionFailure::Kind;
    const auto code = [](Kind kind, bool logged_in = false, std::string stream_error = "") {
        return outcome_of_failure(SessionFailure{kind, logged_in, std::move(stream_error), "what"}).exit_code;
    };
    EXPECT_EQ(code(Kind::cannot_connect), ExitCode::unavailable);
    EXPECT_EQ(code(Kind::tls_failed), ExitCode::unavailable);
    EXPECT_EQ(code(Kind::connection_lost, true), ExitCode::unavailable);
    EXPECT_EQ(code(Kind::authentication_failed), ExitCode::no_permission);
    EXPECT_EQ(code(Kind::timed_out), ExitCode::temporary_failure);
    EXPECT_EQ(code(Kind::timed_out, true), ExitCode::temporary_failure);
    EXPECT_EQ(code(Kind::stream_error, false, "host-unknown"), ExitCode::unavailable);
    EXPECT_EQ(code(Kind::stream_error, true, "not-authorized"), ExitCode::no_permission);
    EXPECT_EQ(code(Kind::stream_error, true, "policy-violation"), ExitCode::data_error);
    EXPECT_EQ(code(Kind::stream_error, false, "policy-violation"), ExitCode::unavailable);
    EXPECT_EQ(outcome_of_failure(SessionFailure{Kind::cannot_connect, false, "", "cannot connect to x"}).error,
              "herald-send: cannot connect to x");
}

TEST(PublishOutcomeTest, AcknowledgementOnOneLine) {
    Acknowledgement acknowledgement{"notify.example.org", "backups", "ae890ac52", "alice@example.org",
                                    "2026-12-01T03:04:05Z"};
    auto outcome = outcome_of_acknowledgement(acknowledgement);
    EXPECT_EQ(outcome.exit_code, ExitCode::ok);
    EXPECT_EQ(outcome.output, "acknowledged by alice@example.org at 2026-12-01T03:04:05Z");
    EXPECT_EQ(outcome.error, "");

    acknowledgement.by = "mallory@example.org\nacknowledged by \x1b[2Jroot";
    outcome = outcome_of_acknowledgement(acknowledgement);
    EXPECT_EQ(outcome.output.find('\n'), std::string::npos) << outcome.output;
    EXPECT_EQ(outcome.output.find('\x1b'), std::string::npos) << outcome.output;
}

TEST(PublishOutcomeTest, NoAcknowledgementInTimeIsATemporaryFailure) {
    const auto outcome = outcome_of_failure(SessionFailure{
        SessionFailure::Kind::timed_out, true, "", "nobody acknowledged item x on node 'backups' within 2 seconds"});
    EXPECT_EQ(outcome.exit_code, ExitCode::temporary_failure);
    EXPECT_EQ(outcome.output, "");
}

// ------------------------------------------------------------ inputs

namespace {

class HeraldSendInputsTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("herald-send-inputs-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::string write(const std::string& name, const std::string& content) {
        const auto path = dir_ / name;
        std::ofstream(path, std::ios::binary) << content;
        return path.string();
    }

    static std::chrono::steady_clock::time_point soon() { return std::chrono::steady_clock::now() + 5s; }

    std::filesystem::path dir_;
};

ExitCode input_error_code(const std::function<void()>& action) {
    try {
        action();
    } catch (const InputError& error) {
        return error.exit_code();
    }
    return ExitCode::ok;
}

}  // namespace

TEST_F(HeraldSendInputsTest, PasswordIsTheFirstLineOfTheFile) {
    HeraldSendOptions options;
    options.password_file = write("pass", "s3cret\r\nsecond line\n");
    EXPECT_EQ(read_password(options, kEmptyEnvironment), "s3cret");
    options.password_file = write("bare", "no newline");
    EXPECT_EQ(read_password(options, kEmptyEnvironment), "no newline");
    options.password_file = write("empty", "\nlater");
    EXPECT_EQ(input_error_code([&] { read_password(options, kEmptyEnvironment); }), ExitCode::no_input);
    options.password_file = (dir_ / "missing").string();
    EXPECT_EQ(input_error_code([&] { read_password(options, kEmptyEnvironment); }), ExitCode::no_input);
}

TEST_F(HeraldSendInputsTest, PasswordFromTheEnvironment) {
    HeraldSendOptions options;
    EXPECT_EQ(read_password(options, kWithPassword), "s3cret");
}

TEST_F(HeraldSendInputsTest, BodyFromAFile) {
    EXPECT_EQ(read_body({BodySource::Kind::file, write("body", "line 1\nline 2\n\n")}, soon()), "line 1\nline 2");
    EXPECT_EQ(read_body({BodySource::Kind::file, write("blank", "\n\n")}, soon()), std::nullopt);
    EXPECT_EQ(read_body({BodySource::Kind::text, "as given\n"}, soon()), "as given\n");
    EXPECT_EQ(read_body({BodySource::Kind::text, ""}, soon()), std::nullopt);
    EXPECT_EQ(input_error_code([&] { read_body({BodySource::Kind::file, (dir_ / "missing").string()}, soon()); }),
              ExitCode::no_input);
    EXPECT_EQ(input_error_code([&] {
                  read_body({BodySource::Kind::file, write("huge", std::string(kMaxBodyBytes + 1, 'x'))}, soon());
              }),
              ExitCode::data_error);
}

TEST_F(HeraldSendInputsTest, ReadingAPipeThatNeverEndsTimesOut) {
    int ends[2];
    ASSERT_EQ(::pipe(ends), 0);
    const std::string reader = "/proc/self/fd/" + std::to_string(ends[0]);
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(input_error_code([&] {
                  read_body({BodySource::Kind::file, reader}, std::chrono::steady_clock::now() + 200ms);
              }),
              ExitCode::temporary_failure);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
    ::close(ends[0]);
    ::close(ends[1]);
}
