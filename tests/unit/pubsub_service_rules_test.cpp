// The admin-only rules of PubsubService on their own: the ad-hoc layer checks
// them first, so only a direct call shows that the service refuses too.

#include <gtest/gtest.h>

#include <set>

#include "component/notification_payload.h"
#include "routing/rule_services.h"
#include "routing/secret_token.h"
#include "routing/user_service.h"
#include "storage/sqlite/database.h"
#include "storage/sqlite/sqlite_ack_repository.h"
#include "storage/sqlite/sqlite_delivery_queue.h"
#include "storage/sqlite/sqlite_escalation_repository.h"
#include "storage/sqlite/sqlite_feed_repository.h"
#include "storage/sqlite/sqlite_instance_repository.h"
#include "storage/sqlite/sqlite_node_repository.h"
#include "storage/sqlite/sqlite_token_repository.h"
#include "storage/sqlite/sqlite_user_repository.h"
#include "storage/sqlite/statement.h"

using namespace herald;

namespace {

class PubsubServiceRules : public ::testing::Test {
protected:
    storage::Database db{":memory:"};
    storage::SqliteUserRepository users{db};
    storage::SqliteNodeRepository nodes{db};
    storage::SqliteDeliveryQueue queue{db};
    storage::SqliteTokenRepository tokens{db};
    storage::SqliteEscalationRepository escalations{db};
    storage::SqliteFeedRepository feeds{db};
    storage::SqliteAckRepository acks{db};
    storage::SqliteInstanceRepository instances;
    storage::Repositories repos{users, nodes, queue, tokens, escalations, feeds, acks, instances};
    routing::Settings config;
    component::XmlPayloadFormat payloads{config.pubsub};
    routing::PubsubService service{config, payloads};
    routing::PreferenceService preferences{config};
    routing::TokenService token_rules{config, service};
    const routing::Actor user{"bob@example.org", false};
    const routing::Actor admin{"admin@example.org", true};
};

// The refusal's condition (or its text for people); "allowed" when none.
std::string refusal_of(const std::function<void()>& action, bool text = false) {
    try {
        action();
    } catch (const routing::PubsubError& refusal) {
        return text ? refusal.text : std::string(routing::stanza_error_of(refusal.reason).condition);
    }
    return "allowed";
}

TEST_F(PubsubServiceRules, StatsAreForAdminsOnly) {
    EXPECT_EQ(refusal_of([&] { service.stats(repos, user); }), "forbidden");
    EXPECT_EQ(refusal_of([&] { service.stats(repos, admin); }), "allowed");
}

TEST_F(PubsubServiceRules, BroadcastsAreForAdminsOnly) {
    EXPECT_EQ(refusal_of([&] { service.broadcast(repos, user, "title", "body", 1000); }), "forbidden");
    EXPECT_EQ(refusal_of([&] { service.broadcast(repos, admin, "title", "body", 1000); }), "allowed");
}

storage::Item item_on(const std::string& node, const std::string& id) {
    storage::Item item;
    item.item_id = id;
    item.node = node;
    item.title = "t";
    item.payload = "<notification xmlns='urn:herald:0'/>";
    item.published_ms = 1000;
    return item;
}

class PubsubServiceOwnership : public PubsubServiceRules {
protected:
    void SetUp() override {
        for (const auto* jid : {"alice@example.org", "bob@example.org", "carol@example.org", "dave@example.org",
                                "admin@example.org"}) {
            users.upsert({jid, std::nullopt, 1});
            service.create_inbox(repos, jid);
        }
    }
    const routing::Actor alice{"alice@example.org", false};
    const routing::Actor carol{"carol@example.org", false};
    const routing::Actor dave{"dave@example.org", false};
};

TEST_F(PubsubServiceOwnership, AnInboxIsReadByItsOwnerAndAdminsOnlyNotByItsPublishers) {
    const auto inbox = routing::PubsubService::inbox_of(user.jid);
    service.set_affiliations(repos, user, inbox, {{carol.jid, "publisher"}});
    service.publish(repos, carol, item_on(inbox, "from-carol"));
    EXPECT_EQ(refusal_of([&] { service.items(repos, carol, inbox, 10); }), "forbidden")
        << "a publisher to bob's inbox reads nothing of it";
    EXPECT_EQ(refusal_of([&] { service.items(repos, dave, inbox, 10); }), "forbidden");
    EXPECT_EQ(refusal_of([&] { service.items(repos, user, inbox, 10); }), "allowed");
    EXPECT_EQ(refusal_of([&] { service.items(repos, admin, inbox, 10); }), "allowed");
}

TEST_F(PubsubServiceOwnership, ATopicIsReadByItsOwnerPublishersAndSubscribers) {
    service.create_node(repos, alice, "backups", "publishers");
    service.set_affiliations(repos, alice, "backups", {{carol.jid, "publisher"}});
    service.subscribe(repos, user, "backups", user.jid);
    service.publish(repos, alice, item_on("backups", "one"));
    for (const auto* reader : {&alice, &carol, &user, &admin})
        EXPECT_EQ(refusal_of([&] { service.items(repos, *reader, "backups", 10); }), "allowed") << reader->jid;
    EXPECT_EQ(refusal_of([&] { service.items(repos, dave, "backups", 10); }), "forbidden");
}

TEST_F(PubsubServiceOwnership, ReservedNamesCannotBeCreated) {
    for (const auto* name : {"feed/0123456789ab", "inbox/x@example.org", "announcement", "announcements"}) {
        EXPECT_EQ(refusal_of([&] { service.create_node(repos, alice, name, "publishers"); }), "not-allowed") << name;
        EXPECT_NE(refusal_of([&] { service.create_node(repos, alice, name, "publishers"); }, true).find("reserved"),
                  std::string::npos);
    }
    EXPECT_EQ(refusal_of([&] { service.create_node(repos, alice, "feeds-of-mine", "publishers"); }), "allowed");
    EXPECT_EQ(refusal_of([&] { service.create_node(repos, admin, "announcements", "publishers"); }), "allowed")
        << "admins name announcement topics";
    EXPECT_EQ(refusal_of([&] { service.create_node(repos, admin, "feed/x", "publishers"); }), "not-allowed");
}

TEST_F(PubsubServiceOwnership, TopicsAndTokensPerUserAreCapped) {
    config.limits.max_topics_per_user = 2;
    config.limits.max_tokens_per_user = 1;
    service.create_node(repos, alice, "one", "publishers");
    service.create_node(repos, alice, "two", "publishers");
    EXPECT_EQ(refusal_of([&] { service.create_node(repos, alice, "three", "publishers"); }), "policy-violation");
    EXPECT_NE(refusal_of([&] { service.create_node(repos, alice, "three", "publishers"); }, true)
                  .find("limit of 2 topics per user (limits.max_topics_per_user)"),
              std::string::npos);
    EXPECT_EQ(refusal_of([&] { service.create_node(repos, alice, "one", "publishers"); }), "conflict")
        << "an existing name is still a conflict";
    EXPECT_EQ(refusal_of([&] { service.create_node(repos, carol, "three", "publishers"); }), "allowed")
        << "the cap is per user";
    for (const auto* name : {"a1", "a2", "a3"})
        EXPECT_EQ(refusal_of([&] { service.create_node(repos, admin, name, "publishers"); }), "allowed");

    token_rules.create_token(repos, alice, "one", "cron");
    EXPECT_EQ(refusal_of([&] { token_rules.create_token(repos, alice, "two", "cron"); }), "policy-violation");
    EXPECT_NE(refusal_of([&] { token_rules.create_token(repos, alice, "two", "cron"); }, true)
                  .find("max_tokens_per_user"),
              std::string::npos);
    EXPECT_EQ(refusal_of([&] { token_rules.create_token(repos, alice, "one", "cron"); }), "conflict");
}

TEST_F(PubsubServiceOwnership, FeedFollowsPerUserAreCapped) {
    config.limits.max_feeds_per_user = 1;
    for (const auto* node : {"feed/000000000001", "feed/000000000002"}) {
        repos.nodes.create({node, "notify.example.org", "publishers", false, 1});
        repos.feeds.add({.node = node, .url = std::string("https://example.org/") + node, .interval_seconds = 600}, 1);
    }
    service.subscribe(repos, alice, "feed/000000000001", alice.jid);
    EXPECT_EQ(refusal_of([&] { service.subscribe(repos, alice, "feed/000000000001", alice.jid); }), "allowed")
        << "following again is not one more";
    EXPECT_EQ(refusal_of([&] { service.subscribe(repos, alice, "feed/000000000002", alice.jid); }), "policy-violation");
    EXPECT_NE(refusal_of([&] { service.subscribe(repos, alice, "feed/000000000002", alice.jid); }, true)
                  .find("max_feeds_per_user"),
              std::string::npos);
    service.create_node(repos, carol, "plain", "publishers");
    EXPECT_EQ(refusal_of([&] { service.subscribe(repos, alice, "plain", alice.jid); }), "allowed")
        << "topics are not feeds";
}

// Whoever holds no token for a topic cannot tell from the answer whether it
// exists: an inbox name would otherwise say who is registered.
TEST_F(PubsubServiceOwnership, PublishingWithATokenRefusesUnknownTopicsAndBadTokensAlike) {
    service.create_node(repos, alice, "backups", "publishers");
    service.create_node(repos, alice, "other", "publishers");
    const auto token = token_rules.create_token(repos, alice, "other", "cron");
    const auto inbox = routing::PubsubService::inbox_of(user.jid);
    std::set<std::string> answers;
    for (const auto& [node, given] : std::vector<std::pair<std::string, std::string>>{
             {inbox, "bogus"}, {"inbox/nobody@example.org", "bogus"}, {"backups", "bogus"},
             {"backups", token}, {"nosuch", token}}) {
        try {
            token_rules.publish_with_token(repos, given, item_on(node, "x-" + node));
            ADD_FAILURE() << node << " accepted";
        } catch (const routing::PubsubError& refusal) {
            answers.insert(std::string(routing::stanza_error_of(refusal.reason).type) + "/" +
                           std::string(routing::stanza_error_of(refusal.reason).condition) + "/" + refusal.text);
        }
    }
    ASSERT_EQ(answers.size(), 1u) << "every refusal alike";
    EXPECT_EQ(answers.begin()->rfind("cancel/item-not-found/", 0), 0u) << *answers.begin();
    EXPECT_EQ(refusal_of([&] { token_rules.publish_with_token(repos, token, item_on("other", "ok")); }), "allowed");
}

std::int64_t count_rows(storage::Database& db, const char* sql, const std::string& jid) {
    storage::Statement query(db.handle(), sql);
    query.bind(1, jid);
    query.step();
    return query.column_int(0);
}

// XEP-0077 <remove/>, the unregister commands and `herald remove-user` all
// run this one rule: nothing the user owned outlives them.
TEST_F(PubsubServiceOwnership, RemovingAUserDeletesTheirTopicsTokensFollowsAndEscalations) {
    service.create_node(repos, alice, "backups", "publishers");
    service.subscribe(repos, user, "backups", user.jid);
    service.subscribe(repos, alice, "backups", alice.jid);
    const auto token = token_rules.create_token(repos, alice, "backups", "cron");
    service.create_node(repos, carol, "carols", "open");
    service.subscribe(repos, alice, "carols", alice.jid);
    const auto token_on_carols = token_rules.create_token(repos, admin, "carols", "by-admin");
    repos.nodes.create({"feed/000000000001", "notify.example.org", "publishers", false, 1});
    repos.feeds.add({.node = "feed/000000000001", .url = "https://example.org/feed", .interval_seconds = 600}, 1);
    service.subscribe(repos, alice, "feed/000000000001", alice.jid);
    service.publish(repos, carol, item_on("carols", "c1"));
    storage::Statement escalate(db.handle(),
                                "INSERT INTO escalations (user, item, channel, state, next_attempt_ms, updated_ms) "
                                "SELECT ?1, id, 'mail', 'pending', 0, 0 FROM items");
    escalate.bind(1, alice.jid);
    escalate.run();
    ASSERT_EQ(count_rows(db, "SELECT count(*) FROM escalations WHERE user = ?1", alice.jid), 1);

    const auto removed = routing::remove_user(repos, alice.jid);
    ASSERT_TRUE(removed);
    ASSERT_EQ(removed->topics.size(), 1u);
    EXPECT_EQ(removed->topics[0].node, "backups");
    EXPECT_EQ(removed->topics[0].subscribers, std::vector<std::string>{user.jid}) << "to be told the topic is gone";
    EXPECT_FALSE(repos.nodes.find("backups")) << "their topic goes";
    EXPECT_FALSE(repos.tokens.find(routing::token_digest(token))) << "their token dies";
    EXPECT_TRUE(repos.nodes.find("carols")) << "others' topics stay";
    EXPECT_FALSE(repos.nodes.is_subscribed("feed/000000000001", alice.jid)) << "their feed follows go";
    EXPECT_TRUE(repos.nodes.subscriptions_of(alice.jid).empty());
    EXPECT_EQ(count_rows(db, "SELECT count(*) FROM escalations WHERE user = ?1", alice.jid), 0);
    EXPECT_FALSE(repos.nodes.find(routing::PubsubService::inbox_of(alice.jid)));
    EXPECT_TRUE(repos.tokens.find(routing::token_digest(token_on_carols)));

    EXPECT_TRUE(routing::remove_user(repos, admin.jid)) << "admins can be removed too";
    EXPECT_FALSE(repos.tokens.find(routing::token_digest(token_on_carols)))
        << "a token made by a removed user dies even on someone else's topic";
    EXPECT_FALSE(routing::remove_user(repos, alice.jid)) << "not registered any more";
}

TEST(RegistrationDomains, DefaultIsTheComponentsParentDomain) {
    routing::Settings config;
    config.component.jid = "notify.example.org";
    EXPECT_TRUE(routing::registration_allowed(config, "alice@example.org"));
    EXPECT_FALSE(routing::registration_allowed(config, "mallory@evil.example"));
    EXPECT_FALSE(routing::registration_allowed(config, "mallory@notify.example.org"));
    config.registration.allowed_domains = {"example.net", "example.org"};
    EXPECT_TRUE(routing::registration_allowed(config, "bob@example.net"));
    EXPECT_FALSE(routing::registration_allowed(config, "mallory@evil.example"));
    config.registration.allowed_domains = {"*"};
    EXPECT_TRUE(routing::registration_allowed(config, "anyone@evil.example"));
}

}  // namespace
