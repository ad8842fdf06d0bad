// The user commands on their own (component/commands/): what each reads and
// writes, and its outcome as data, before any front end renders it.

#include <gtest/gtest.h>

#include <stdexcept>

#include "component/commands/change_http_token.h"
#include "component/commands/command_failure.h"
#include "component/commands/create_topic.h"
#include "component/commands/delete_topic.h"
#include "component/commands/history.h"
#include "component/commands/http_tokens.h"
#include "component/commands/managed_topics.h"
#include "component/commands/publishers.h"
#include "component/commands/set_publisher.h"
#include "component/commands/show_preferences.h"
#include "component/commands/subscribable_topics.h"
#include "component/commands/subscribe.h"
#include "component/commands/subscriptions.h"
#include "component/commands/topic_acknowledgement.h"
#include "component/commands/unregister.h"
#include "component/commands/unsubscribe.h"
#include "component/commands/user_command.h"
#include "component/notification_payload.h"
#include "component/xmpp_user_notices.h"
#include "routing/rule_services.h"
#include "storage/sqlite/sqlite_backend.h"
#include "storage/storage_error.h"

using namespace herald;
namespace commands = herald::component::commands;

namespace {

class UserCommands : public ::testing::Test {
protected:
    void SetUp() override {
        for (const auto& jid : {bob.jid, admin.jid}) {
            repos.users.upsert({jid, std::nullopt, 1});
            service.create_inbox(repos, jid);
        }
        service.create_node(repos, admin, "backups", "publishers");
        service.create_node(repos, admin, "deploys", "publishers");
    }

    storage::SqliteBackend backend{":memory:"};
    storage::Repositories& repos = backend.repositories();
    routing::Settings config;
    component::XmlPayloadFormat payloads{config.pubsub};
    routing::PubsubService service{config, payloads};
    routing::PreferenceService preferences{config};
    routing::TokenService tokens{config, service};
    const routing::Actor bob{"bob@example.org", false};
    const routing::Actor admin{"admin@example.org", true};
    const routing::Actor stranger{"carol@example.org", false};
};

// The failure a command's exception becomes.
commands::CommandFailure failure_of(const std::function<void()>& action) {
    try {
        action();
    } catch (...) {
        return commands::command_failure(std::current_exception(), "bob@example.org/phone");
    }
    ADD_FAILURE() << "no exception";
    return {};
}

TEST_F(UserCommands, SubscribeThenListThenUnsubscribe) {
    EXPECT_EQ(commands::Subscribe(service).run(repos, bob, {"backups"}).topic, "backups");
    const auto all = commands::Subscriptions(service).run(repos, bob, {}).topics;
    EXPECT_NE(std::find(all.begin(), all.end(), "backups"), all.end());
    EXPECT_NE(std::find(all.begin(), all.end(), routing::PubsubService::inbox_of(bob.jid)), all.end());

    const auto offered = commands::Subscriptions(service).run(repos, bob, {.with_inbox = false}).topics;
    EXPECT_EQ(offered, std::vector<std::string>{"backups"}) << "the inbox is never offered to leave";

    EXPECT_EQ(commands::Unsubscribe(service).run(repos, bob, {{"backups"}}).topics,
              std::vector<std::string>{"backups"});
    EXPECT_TRUE(commands::Subscriptions(service).run(repos, bob, {.with_inbox = false}).topics.empty());
}

TEST_F(UserCommands, RefusalsAreExplainedTheSameWayForBothFrontEnds) {
    const auto unknown = failure_of([&] { commands::Subscribe(service).run(repos, bob, {"nothing-here"}); });
    EXPECT_TRUE(unknown.refused);
    EXPECT_EQ(unknown.condition, "item-not-found");
    EXPECT_EQ(unknown.text, "there is no such topic");

    const auto unregistered = failure_of([&] { commands::History(preferences).run(repos, stranger, {10}); });
    EXPECT_TRUE(unregistered.refused);
    EXPECT_EQ(unregistered.type, "auth");
    EXPECT_EQ(unregistered.text, "you are not registered: add this contact to your roster first");
}

TEST_F(UserCommands, FailuresAreNotRefusals) {
    using Kind = storage::StorageError::Kind;
    const auto busy = failure_of([] { throw storage::StorageError("locked", true, Kind::busy); });
    EXPECT_FALSE(busy.refused);
    EXPECT_EQ(busy.type, "wait");
    EXPECT_EQ(busy.condition, "resource-constraint");
    EXPECT_EQ(busy.text, "Herald could not do that just now; please try again later");

    const auto broken = failure_of([] { throw std::runtime_error("disk on fire"); });
    EXPECT_FALSE(broken.refused);
    EXPECT_EQ(broken.condition, "internal-server-error");
    EXPECT_EQ(broken.text, busy.text);

    const auto odd = failure_of([] { throw 42; });
    EXPECT_EQ(odd.condition, "internal-server-error");
}

TEST_F(UserCommands, HistoryOfSomeoneWhoReceivedNothingIsEmpty) {
    EXPECT_TRUE(commands::History(preferences).run(repos, bob, {10}).entries.empty());
    EXPECT_EQ(commands::history_heading(3), "Your last 3 notifications, newest first (times in UTC)");
}

TEST_F(UserCommands, ShowPreferencesReadsWhatIsStored) {
    EXPECT_EQ(commands::ShowPreferences(preferences).run(repos, bob, {}).preferences.escalation_channel, "none");
    EXPECT_EQ(failure_of([&] { commands::ShowPreferences(preferences).run(repos, stranger, {}); }).condition,
              "registration-required");
}

TEST_F(UserCommands, TopicAcknowledgementIsSetByOwnersAndReadBack) {
    const commands::TopicAcknowledgement topic_ack(service);
    EXPECT_FALSE(topic_ack.run(repos, admin, {"backups", std::nullopt}).required);
    const auto set = topic_ack.run(repos, admin, {"backups", true});
    EXPECT_EQ(set.topic, "backups");
    EXPECT_TRUE(set.required);
    EXPECT_TRUE(topic_ack.run(repos, admin, {"backups", std::nullopt}).required);
    EXPECT_EQ(failure_of([&] { topic_ack.run(repos, bob, {"backups", false}); }).condition, "forbidden");
    EXPECT_TRUE(topic_ack.run(repos, admin, {"backups", std::nullopt}).required);
}

TEST_F(UserCommands, UnregisterWarningNamesTheInbox) {
    EXPECT_NE(commands::unregister_warning(bob.jid).find("inbox/bob@example.org"), std::string::npos);
}

TEST_F(UserCommands, WhoActs) {
    const auto actor = commands::actor_of("admin@example.org/laptop", {"admin@example.org"});
    EXPECT_EQ(actor.jid, "admin@example.org");
    EXPECT_TRUE(actor.admin);
    EXPECT_FALSE(commands::actor_of("bob@example.org/phone", {"admin@example.org"}).admin);
}

TEST_F(UserCommands, TopicsToSubscribeLeaveOutWhatThePersonFollows) {
    commands::Subscribe(service).run(repos, bob, {"backups"});
    const auto choice = commands::SubscribableTopics(service).run(repos, bob, {""});
    EXPECT_EQ(std::find(choice.topics.begin(), choice.topics.end(), "backups"), choice.topics.end());
    EXPECT_NE(std::find(choice.topics.begin(), choice.topics.end(), "deploys"), choice.topics.end());
    EXPECT_EQ(choice.more, 0);
    EXPECT_TRUE(commands::SubscribableTopics(service).run(repos, bob, {"nothing-like-it"}).topics.empty());
}

TEST_F(UserCommands, OwnersManageTheirTopicsAdminsEveryPublicOne) {
    commands::CreateTopic(service).run(repos, bob, {"bobs", "publishers"});
    EXPECT_EQ(commands::ManagedTopics().run(repos, bob, {}).topics, std::vector<std::string>{"bobs"});
    const auto all = commands::ManagedTopics().run(repos, admin, {}).topics;
    EXPECT_NE(std::find(all.begin(), all.end(), "backups"), all.end());
    EXPECT_NE(std::find(all.begin(), all.end(), "bobs"), all.end());
}

TEST_F(UserCommands, PublishersAreAllowedAndListedThenRemoved) {
    const auto inbox = routing::PubsubService::inbox_of(bob.jid);
    const auto allowed = commands::SetPublisher(service).run(repos, bob, {inbox, "alerts@example.org", true});
    EXPECT_TRUE(allowed.allow);
    const auto known = commands::Publishers(service).run(repos, bob, {});
    EXPECT_EQ(known.inbox, inbox);
    ASSERT_EQ(known.publishers.size(), 1u);
    EXPECT_EQ(known.publishers.front().jid, "alerts@example.org");
    EXPECT_EQ(known.publishers.front().topic, inbox);
    commands::SetPublisher(service).run(repos, bob, {inbox, "alerts@example.org", false});
    EXPECT_TRUE(commands::Publishers(service).run(repos, bob, {}).publishers.empty());
}

TEST_F(UserCommands, HttpTokensAreMadeOnceListedByLabelAndRevoked) {
    const auto made = commands::ChangeHttpToken(tokens).run(repos, admin, {"backups", "ci", false});
    ASSERT_TRUE(made.token);
    EXPECT_FALSE(made.token->empty());
    const auto known = commands::HttpTokens(tokens).run(repos, admin, {});
    ASSERT_EQ(known.tokens.size(), 1u);
    EXPECT_EQ(known.tokens.front().topic, "backups");
    EXPECT_EQ(known.tokens.front().label, "ci");
    EXPECT_FALSE(commands::ChangeHttpToken(tokens).run(repos, admin, {"backups", "ci", true}).token);
    EXPECT_TRUE(commands::HttpTokens(tokens).run(repos, admin, {}).tokens.empty());
}

TEST_F(UserCommands, DeletingATopicTellsItsSubscribersOnceCommitted) {
    struct Recording : component::StanzaSender {
        void send(const component::XmlElement& stanza) override { sent.push_back(stanza.attr("to")); }
        std::vector<std::string> sent;
    } sender;
    component::XmppUserNotices notices(sender, "notify.example.org");
    commands::Subscribe(service).run(repos, bob, {"deploys"});
    const commands::DeleteTopic delete_topic(service, notices);
    auto deleted = delete_topic.run(repos, admin, {"deploys"});
    EXPECT_EQ(deleted.subscribers, std::vector<std::string>{bob.jid});
    EXPECT_TRUE(sender.sent.empty()) << "nobody is told before the job commits";
    commands::after_commit(delete_topic, admin, deleted);
    EXPECT_EQ(sender.sent, std::vector<std::string>{bob.jid});
    EXPECT_EQ(failure_of([&] { commands::Subscribe(service).run(repos, bob, {"deploys"}); }).condition,
              "item-not-found");
}

}  // namespace
