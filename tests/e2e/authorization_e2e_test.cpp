// Nobody reaches what is not theirs: the refusals that pubsub_e2e,
// adhoc_e2e, chat_commands_e2e and http_api_e2e do not already cover.

#include <gtest/gtest.h>

#include "tests/e2e/herald_e2e_fixture.h"

using namespace herald::testing;

namespace {

class AuthorizationE2E : public HeraldE2E {
protected:
    std::optional<ReceivedStanza> set_affiliation(XmppTestClient& client, const std::string& node,
                                                  const std::string& jid, const std::string& affiliation) {
        return pubsub(client, "set",
                      "<affiliations node='" + node + "'><affiliation jid='" + jid + "' affiliation='" + affiliation +
                          "'/></affiliations>",
                      true);
    }
};

TEST_F(AuthorizationE2E, OthersNodesAndAffiliationsAreOutOfReach) {
    with_topic();  // alice owns backups, bob subscribes
    auto carol = online_user("carol");
    expect_refused({
        {"grant oneself publishing on someone else's node", set_affiliation(*carol, "backups", "carol@localhost", "publisher"),
         "forbidden"},
        {"read someone else's node's affiliations", pubsub(*carol, "get", "<affiliations node='backups'/>", true),
         "forbidden"},
        {"configure someone else's node (no configure after creation, for anyone)",
         pubsub(*carol, "set",
                "<configure node='backups'><x xmlns='jabber:x:data' type='submit'><field var='pubsub#publish_model'>"
                "<value>open</value></field></x></configure>",
                true),
         "bad-request"},
        {"the owner's own affiliation cannot be changed", set_affiliation(*alice_, "backups", "alice@localhost", "none"),
         "not-acceptable"},
        {"unsubscribe another JID", pubsub(*carol, "set", "<unsubscribe node='backups' jid='bob@localhost'/>"),
         "bad-request", "invalid-jid"},
        {"subscribe another user's full JID", pubsub(*carol, "set", "<subscribe node='backups' jid='bob@localhost/test'/>"),
         "bad-request", "invalid-jid"},
        {"subscribe a full JID (subscriptions are for bare JIDs)",
         pubsub(*carol, "set", "<subscribe node='backups' jid='carol@localhost/elsewhere'/>"), "bad-request",
         "invalid-jid"},
    });
    // Nothing above changed anything: carol still may not publish, bob still gets what alice publishes.
    EXPECT_EQ(error_condition(*publish(*carol, "backups", notification("x"))), "forbidden");
    publish_ok(*alice_, "backups", notification("still subscribed"));
    auto message = next_notification(*bob_);
    ASSERT_TRUE(message);
    EXPECT_EQ(message->text("notification/notification/title"), "still subscribed");
}

TEST_F(AuthorizationE2E, PersonalInboxesBelongToTheirUser) {
    bob_ = online_user("bob");
    auto carol = online_user("carol");
    const std::string inbox = "inbox/bob@localhost";
    expect_refused({
        {"delete someone else's inbox", pubsub(*carol, "set", "<delete node='" + inbox + "'/>", true), "forbidden"},
        {"delete one's own inbox (it goes with the registration)",
         pubsub(*bob_, "set", "<delete node='" + inbox + "'/>", true), "not-allowed"},
        {"grant oneself publishing on someone else's inbox",
         set_affiliation(*carol, inbox, "carol@localhost", "publisher"), "forbidden"},
        {"read the publishers of someone else's inbox", pubsub(*carol, "get", "<affiliations node='" + inbox + "'/>", true),
         "forbidden"},
        {"create a node in the inbox namespace", pubsub(*carol, "set", "<create node='inbox/mallory@localhost'/>"),
         "not-allowed"},
    });
    EXPECT_EQ(error_condition(*publish(*carol, inbox, notification("x"))), "forbidden");
}

// What reaches bob's inbox is bob's alone: carol, whom bob lets publish
// there, reads none of it, not even what she sent.
TEST_F(AuthorizationE2E, AnInboxsPublishersCannotReadIt) {
    bob_ = online_user("bob");
    auto carol = online_user("carol");
    const std::string inbox = "inbox/bob@localhost";
    auto granted = set_affiliation(*bob_, inbox, "carol@localhost", "publisher");
    ASSERT_TRUE(granted);
    ASSERT_EQ(granted->type(), "result") << granted->xml();
    publish_ok(*carol, inbox, notification("for bob only"));
    ASSERT_TRUE(next_notification(*bob_));
    expect_refused({{"a publisher reads the inbox's items", pubsub(*carol, "get", "<items node='" + inbox + "'/>"),
                     "forbidden"}});
    auto own = pubsub(*bob_, "get", "<items node='" + inbox + "'/>");
    ASSERT_TRUE(own);
    EXPECT_EQ(own->type(), "result") << "bob reads his own: " << own->xml();
}

// With allowed_domains listing another server, users of this one neither
// register nor get registered by adding the component.
class RegistrationDomainsE2E : public HeraldE2E {
protected:
    std::string extra_config() const override { return "registration:\n  allowed_domains: [example.net]\n"; }
};

TEST_F(RegistrationDomainsE2E, UsersOfOtherServersAreRefusedWithAText) {
    auto mallory = login("mallory");
    auto refused = iq(*mallory, "set", "<query xmlns='jabber:iq:register'/>");
    ASSERT_TRUE(refused);
    EXPECT_EQ(error_condition(*refused), "not-allowed") << refused->xml();
    EXPECT_FALSE(refused->text("error/text").empty()) << refused->xml();
    mallory->send("<presence type='subscribe' to='" + component() + "'/>");
    EXPECT_TRUE(presence_from_herald(*mallory, "unsubscribed")) << "adding the component does not register either";
    auto after = iq(*mallory, "get", "<query xmlns='jabber:iq:register'/>");
    ASSERT_TRUE(after);
    EXPECT_FALSE(after->has("query/registered")) << after->xml();
}

TEST_F(AuthorizationE2E, UnregisteredUsersGetNothing) {
    with_topic();
    create_node(*alice_, "chatter", "open");
    publish_ok(*alice_, "backups", notification("history"));
    auto stranger = login("stranger");
    expect_refused({
        {"publish on a publishers node", publish(*stranger, "backups", notification("x")), "forbidden"},
        {"publish on an open node", publish(*stranger, "chatter", notification("x")), "forbidden"},
        {"create a node", pubsub(*stranger, "set", "<create node='mine'/>"), "registration-required"},
        {"subscribe", pubsub(*stranger, "set", "<subscribe node='backups' jid='stranger@localhost'/>"),
         "registration-required"},
        {"list subscriptions", pubsub(*stranger, "get", "<subscriptions/>"), "registration-required"},
        {"read items", pubsub(*stranger, "get", "<items node='backups'/>"), "forbidden"},
        {"delete a node", pubsub(*stranger, "set", "<delete node='backups'/>", true), "forbidden"},
        {"change affiliations", set_affiliation(*stranger, "backups", "stranger@localhost", "publisher"), "forbidden"},
    });
}

class AdminsCreateNodesE2E : public HeraldE2E {
protected:
    std::string extra_config() const override { return "pubsub:\n  create_nodes: admins\n"; }
};

TEST_F(AdminsCreateNodesE2E, OnlyAdminsCreateNodesWhenConfigured) {
    auto bob = online_user("bob");
    expect_refused({{"a registered user creates a node", pubsub(*bob, "set", "<create node='mine'/>"), "forbidden"}});
    auto admin = online_user("admin");
    create_node(*admin, "announcements");
}

}  // namespace
