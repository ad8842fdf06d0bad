// Publishing, subscriptions and delivery by presence, through a real ejabberd.

#include <gtest/gtest.h>

#include <regex>

#include <sqlite3.h>

#include <filesystem>
#include <map>
#include <set>

#include "tests/e2e/herald_e2e_fixture.h"
#include "tests/e2e/write_lock.h"

using namespace herald::testing;
using namespace std::chrono_literals;

namespace {

class PubsubE2E : public HeraldE2E {
protected:
    // These tests publish thousands at once from one account.
    std::string extra_config() const override { return "limits:\n  requests_per_second: 100000\n"; }

    // Sends `count` publishes at once and waits for every acknowledgement.
    std::vector<std::string> publish_many(XmppTestClient& client, const std::string& node, int count,
                                          const std::string& prefix) {
        std::vector<std::string> ids;
        for (int i = 0; i < count; ++i) {
            const auto id = prefix + "-" + std::to_string(i);
            // publish_iq() starts with "<iq "; the id goes right after it.
            client.send("<iq id='" + id + "' " +
                        publish_iq(component(), node, notification(prefix + " " + std::to_string(i))).substr(4));
            ids.push_back(id);
        }
        for (const auto& id : ids) {
            auto reply = client.wait_for([&](const ReceivedStanza& s) { return s.name() == "iq" && s.id() == id; }, 60s);
            EXPECT_TRUE(reply) << "no acknowledgement for " << id;
            if (reply) {
                EXPECT_EQ(reply->type(), "result") << reply->xml();
            }
        }
        return ids;
    }
};

TEST_F(PubsubE2E, OnlineSubscriberGetsReadableMessageAndReceiptConfirms) {
    with_topic();
    const auto id = publish_ok(*alice_, "backups",
                               "<entry xmlns='http://www.w3.org/2005/Atom'><title>Backup failed</title>"
                               "<summary>db1 nightly backup failed</summary>"
                               "<link rel='alternate' href='https://ci.example.org/job/42'/></entry>");
    ASSERT_FALSE(id.empty());
    auto message = next_notification(*bob_);
    ASSERT_TRUE(message);
    EXPECT_EQ(message->type(), "chat");
    EXPECT_EQ(message->text("body"), "[backups] Backup failed: db1 nightly backup failed https://ci.example.org/job/42");
    EXPECT_EQ(message->find("notification")->attr("node"), "backups");
    EXPECT_EQ(message->find("notification")->attr("item"), id);
    EXPECT_EQ(message->text("notification/entry/title"), "Backup failed");
    EXPECT_TRUE(message->has("request[@xmlns='urn:xmpp:receipts']"));
    EXPECT_TRUE(message->has("store[@xmlns='urn:xmpp:hints']"));
    EXPECT_EQ(message->find("origin-id[@xmlns='urn:xmpp:sid:0']")->attr("id"), message->id())
        << "receipts, reactions and replies come back with either";
    EXPECT_FALSE(message->has("event")) << "Profanity, Gajim and Monal hide a message with a pubsub event";
    EXPECT_FALSE(message->has("delay")) << "delivered at once, no delay stamp";

    send_receipt(*bob_, *message);
    storage_barrier(*bob_);
    storage_barrier(*bob_);
    EXPECT_EQ(queued_for("bob@localhost"), 0);
    EXPECT_EQ(count_rows(herald_->database_path(),
                         "SELECT count(*) FROM history WHERE user = ?1 AND outcome = 'delivered'", "bob@localhost"),
              1);
}

TEST_F(PubsubE2E, OfflineQueueFlushesInOrderWithDelayStamps) {
    with_topic();
    bob_->send("<presence type='unavailable'/>");
    ASSERT_TRUE(state_logged(*bob_, "offline"));
    for (int i = 0; i < 5; ++i) publish_ok(*alice_, "backups", notification("queued " + std::to_string(i)));
    EXPECT_EQ(queued_for("bob@localhost"), 5);

    bob_->send("<presence/>");
    for (int i = 0; i < 5; ++i) {
        auto message = next_notification(*bob_);
        ASSERT_TRUE(message) << "missing item " << i;
        EXPECT_EQ(message->text("notification/notification/title"), "queued " + std::to_string(i));
        ASSERT_TRUE(message->has("delay[@xmlns='urn:xmpp:delay']")) << message->xml();
        EXPECT_EQ(message->find("delay")->attr("from"), component());
        EXPECT_FALSE(message->find("delay")->attr("stamp").empty());
        EXPECT_TRUE(std::regex_search(message->text("body"), std::regex(R"(\n\(published \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$)")))
            << "the time is in the body too (some clients ignore a component's delay stamp): " << message->text("body");
    }
}

// A reaction (XEP-0444) comes back with the message id: it is about the
// notification, never read as a chat command; a reply's text is answered.
TEST_F(PubsubE2E, AReactionToANotificationIsNoCommandAndAReplyIsAnswered) {
    with_topic();
    publish_ok(*alice_, "backups", notification("reacted to"));
    auto message = next_notification(*bob_);
    ASSERT_TRUE(message);
    bob_->send("<message type='chat' to='" + component() + "'><reactions xmlns='urn:xmpp:reactions:0' id='" +
               xml_escape(message->id()) + "'><reaction>\xF0\x9F\x91\x8D</reaction></reactions>"
               "<store xmlns='urn:xmpp:hints'/></message>");
    bob_->send("<message type='chat' to='" + component() + "'><body>seen</body><reply xmlns='urn:xmpp:reply:0' to='" +
               component() + "' id='" + xml_escape(message->id()) + "'/></message>");
    // Stanzas are handled in order: the first answer is to the reply.
    auto answer = next_answer(*bob_);
    ASSERT_TRUE(answer);
    EXPECT_NE(answer->text("body").find("'seen'"), std::string::npos)
        << "the reaction was answered as a command: " << answer->text("body");
}

// A program that wants XEP-0060 events chooses them: a headline with the
// event and no body, confirmed by the ping.
TEST_F(PubsubE2E, PubsubFormatDeliversTheXep0060Event) {
    with_topic();
    EXPECT_NE(command(*bob_, "prefs type pubsub").find("pubsub"), std::string::npos);
    const auto id = publish_ok(*alice_, "backups", notification("for a program", "machine readable"));
    auto message = bob_->wait_for(
        [&](const ReceivedStanza& s) { return s.name() == "message" && s.has("event/items/item"); }, kWait);
    ASSERT_TRUE(message);
    EXPECT_EQ(message->type(), "headline");
    EXPECT_FALSE(message->has("body"));
    EXPECT_EQ(message->find("event[@xmlns='http://jabber.org/protocol/pubsub#event']/items")->attr("node"), "backups");
    EXPECT_EQ(message->find("event/items/item")->attr("id"), id);
    EXPECT_EQ(message->text("event/items/item/notification/title"), "for a program");
    const auto deadline = std::chrono::steady_clock::now() + kWait;
    while (queued_for("bob@localhost") != 0 && std::chrono::steady_clock::now() < deadline) storage_barrier(*bob_);
    EXPECT_EQ(queued_for("bob@localhost"), 0) << "the ping that followed confirms it";
}

TEST_F(PubsubE2E, DndHoldsNormalAndPassesUrgent) {
    with_topic();
    send_presence(*bob_, "dnd");
    ASSERT_TRUE(state_logged(*bob_, "dnd"));
    publish_ok(*alice_, "backups", notification("routine", "", " priority='normal'"));
    publish_ok(*alice_, "backups", notification("disk on fire", "", " priority='urgent'"));
    auto urgent = next_notification(*bob_);
    ASSERT_TRUE(urgent);
    EXPECT_EQ(urgent->text("notification/notification/title"), "disk on fire");
    storage_barrier(*bob_);
    EXPECT_FALSE(next_notification(*bob_, 0ms)) << "dnd holds normal notifications";

    send_presence(*bob_, "");
    auto held = next_notification(*bob_);
    ASSERT_TRUE(held);
    EXPECT_EQ(held->text("notification/notification/title"), "routine");
}

TEST_F(PubsubE2E, PublishOptionsSetPriority) {
    with_topic();
    send_presence(*bob_, "dnd");
    ASSERT_TRUE(state_logged(*bob_, "dnd"));
    publish_ok(*alice_, "backups", notification("high by option"),
               "<publish-options><x xmlns='jabber:x:data' type='submit'>"
               "<field var='FORM_TYPE' type='hidden'><value>http://jabber.org/protocol/pubsub#publish-options</value></field>"
               "<field var='herald#priority'><value>high</value></field>"
               "<field var='herald#ttl'><value>3600</value></field></x></publish-options>");
    auto message = next_notification(*bob_);
    ASSERT_TRUE(message) << "high passes dnd";
    EXPECT_EQ(message->text("notification/notification/title"), "high by option");
}

TEST_F(PubsubE2E, NegativePriorityResourceGetsNothing) {
    with_topic();
    send_presence(*bob_, "", -1);
    ASSERT_TRUE(state_logged(*bob_, "offline"));
    publish_ok(*alice_, "backups", notification("not now"));
    storage_barrier(*bob_);
    EXPECT_FALSE(next_notification(*bob_, 0ms));
    EXPECT_EQ(queued_for("bob@localhost"), 1);
    send_presence(*bob_, "", 0);
    EXPECT_TRUE(next_notification(*bob_));
}

TEST_F(PubsubE2E, FanOutReachesEverySubscriber) {
    alice_ = online_user("alice");
    create_node(*alice_, "news", "publishers");
    std::vector<std::unique_ptr<XmppTestClient>> readers;
    for (int i = 0; i < 20; ++i) {
        readers.push_back(online_user("reader" + std::to_string(i)));
        subscribe(*readers.back(), "news");
    }
    const auto id = publish_ok(*alice_, "news", notification("to everyone"));
    for (auto& reader : readers) {
        auto message = next_notification(*reader);
        ASSERT_TRUE(message) << reader->bare_jid();
        EXPECT_EQ(message->find("notification")->attr("item"), id);
    }
}

TEST_F(PubsubE2E, FiveThousandQueuedFlushWithoutTheServerClosingTheStream) {
    with_topic();
    bob_->disconnect();
    ASSERT_TRUE(state_logged(*bob_, "offline"));
    publish_many(*alice_, "backups", 5000, "bulk");
    ASSERT_EQ(queued_for("bob@localhost"), 5000);

    auto back = ejabberd_.client("bob", "secret-bob", "flush");
    ASSERT_TRUE(back->connect(kWait)) << back->last_error();
    back->send("<presence/>");
    for (int i = 0; i < 5000; ++i) {
        auto message = next_notification(*back, 60s);
        ASSERT_TRUE(message) << "stopped after " << i << " messages; " << back->last_error();
        ASSERT_EQ(message->text("notification/notification/title"), "bulk " + std::to_string(i));
    }
    EXPECT_FALSE(back->disconnected()) << back->last_error();
    storage_barrier(*back);
    // Confirmations come from the ping after each batch; the last batch's may
    // still be on its way.
    EXPECT_TRUE(herald_->wait_log("presence bob@localhost/flush"));
    for (int attempt = 0; attempt < 50 && queued_for("bob@localhost") > 0; ++attempt) storage_barrier(*back);
    EXPECT_EQ(queued_for("bob@localhost"), 0);
}

TEST_F(PubsubE2E, RefusalsCarryTheRightErrors) {
    with_topic();
    auto carol = online_user("carol");
    std::vector<Refusal> cases;
    cases.push_back({"publish without rights", publish(*carol, "backups", notification("x")), "forbidden", ""});
    cases.push_back({"unknown node", publish(*alice_, "nope", notification("x")), "item-not-found", ""});
    cases.push_back({"not a notification", publish(*alice_, "backups", "<foo xmlns='urn:x'/>"), "bad-request",
                     "invalid-payload"});
    cases.push_back({"no title nor body", publish(*alice_, "backups", "<notification xmlns='urn:herald:0'/>"),
                     "bad-request", "invalid-payload"});
    cases.push_back({"bad priority", publish(*alice_, "backups", notification("x", "", " priority='loud'")),
                     "bad-request", "invalid-payload"});
    cases.push_back({"too big", publish(*alice_, "backups", notification("big", std::string(70000, 'x'))),
                     "not-acceptable", "payload-too-big"});
    cases.push_back({"subscribe someone else",
                     pubsub(*carol, "set", "<subscribe node='backups' jid='bob@localhost'/>"), "bad-request",
                     "invalid-jid"});
    cases.push_back({"create existing", pubsub(*carol, "set", "<create node='backups'/>"), "conflict", ""});
    cases.push_back({"delete someone else's", pubsub(*carol, "set", "<delete node='backups'/>", true), "forbidden", ""});
    cases.push_back({"read items unsubscribed", pubsub(*carol, "get", "<items node='backups'/>"), "forbidden", ""});
    cases.push_back({"unsubscribe when not subscribed",
                     pubsub(*carol, "set", "<unsubscribe node='backups' jid='carol@localhost'/>"), "unexpected-request",
                     "not-subscribed"});
    auto stranger = login("stranger");
    cases.push_back({"unregistered subscribe",
                     pubsub(*stranger, "set", "<subscribe node='backups' jid='stranger@localhost'/>"),
                     "registration-required", ""});
    expect_refused(cases);
}

TEST_F(PubsubE2E, OwnerGrantsAndRemovesPublishers) {
    with_topic();
    EXPECT_EQ(error_condition(*publish(*bob_, "backups", notification("x"))), "forbidden");
    auto grant = pubsub(*alice_, "set",
                        "<affiliations node='backups'><affiliation jid='bob@localhost' affiliation='publisher'/></affiliations>",
                        true);
    ASSERT_TRUE(grant);
    ASSERT_EQ(grant->type(), "result") << grant->xml();
    EXPECT_FALSE(publish_ok(*bob_, "backups", notification("from bob")).empty());
    auto list = pubsub(*alice_, "get", "<affiliations node='backups'/>", true);
    ASSERT_TRUE(list);
    EXPECT_TRUE(list->has("pubsub/affiliations/affiliation[@jid='bob@localhost'][@affiliation='publisher']")) << list->xml();
    EXPECT_TRUE(list->has("pubsub/affiliations/affiliation[@jid='alice@localhost'][@affiliation='owner']")) << list->xml();
    pubsub(*alice_, "set",
           "<affiliations node='backups'><affiliation jid='bob@localhost' affiliation='none'/></affiliations>", true);
    EXPECT_EQ(error_condition(*publish(*bob_, "backups", notification("x"))), "forbidden");
}

TEST_F(PubsubE2E, OpenNodesTakeAnyRegisteredPublisher) {
    alice_ = online_user("alice");
    create_node(*alice_, "chatter", "open");
    auto carol = online_user("carol");
    EXPECT_FALSE(publish_ok(*carol, "chatter", notification("hello")).empty());
    auto stranger = login("stranger");
    EXPECT_EQ(error_condition(*publish(*stranger, "chatter", notification("x"))), "forbidden");
}

TEST_F(PubsubE2E, PersonalInboxNotifiesItsOwnerAndOnlyGrantedPublishers) {
    bob_ = online_user("bob");
    alice_ = online_user("alice");
    const std::string inbox = "inbox/bob@localhost";
    EXPECT_EQ(error_condition(*publish(*alice_, inbox, notification("x"))), "forbidden");
    pubsub(*bob_, "set",
           "<affiliations node='" + inbox + "'><affiliation jid='alice@localhost' affiliation='publisher'/></affiliations>",
           true);
    publish_ok(*alice_, inbox, notification("for bob only"));
    auto message = next_notification(*bob_);
    ASSERT_TRUE(message);
    EXPECT_EQ(message->text("notification/notification/title"), "for bob only");
    EXPECT_EQ(error_condition(*pubsub(*alice_, "set", "<subscribe node='" + inbox + "' jid='alice@localhost'/>")),
              "forbidden");
}

TEST_F(PubsubE2E, SubscriptionsItemsDiscoAndDelete) {
    with_topic();
    auto subscriptions = pubsub(*bob_, "get", "<subscriptions/>");
    ASSERT_TRUE(subscriptions);
    EXPECT_TRUE(subscriptions->has("pubsub/subscriptions/subscription[@node='backups'][@subscription='subscribed']"))
        << subscriptions->xml();
    EXPECT_TRUE(subscriptions->has("pubsub/subscriptions/subscription[@node='inbox/bob@localhost']"));

    for (int i = 0; i < 3; ++i) publish_ok(*alice_, "backups", notification("history " + std::to_string(i)));
    auto items = pubsub(*bob_, "get", "<items node='backups' max_items='2'/>");
    ASSERT_TRUE(items);
    ASSERT_EQ(items->find_all("pubsub/items/item").size(), 2u) << items->xml();
    EXPECT_EQ(items->find_all("pubsub/items/item")[0].text("notification/title"), "history 2");

    auto disco = iq(*bob_, "get", "<query xmlns='http://jabber.org/protocol/disco#items'/>");
    ASSERT_TRUE(disco);
    EXPECT_TRUE(disco->has("query/item[@node='backups']")) << disco->xml();
    EXPECT_FALSE(disco->has("query/item[@node='inbox/bob@localhost']")) << "personal nodes are not listed";

    auto deleted = pubsub(*alice_, "set", "<delete node='backups'/>", true);
    ASSERT_TRUE(deleted);
    EXPECT_EQ(deleted->type(), "result") << deleted->xml();
    auto told = bob_->wait_for([](const ReceivedStanza& s) { return s.has("node-deleted[@node='backups']"); }, kWait);
    EXPECT_TRUE(told);
    EXPECT_EQ(error_condition(*publish(*alice_, "backups", notification("x"))), "item-not-found");
}

TEST_F(PubsubE2E, KillNineAfterAcknowledgedPublishesLosesNothing) {
    with_topic();
    bob_->disconnect();
    ASSERT_TRUE(state_logged(*bob_, "offline"));
    const auto acknowledged = publish_many(*alice_, "backups", 300, "durable");
    herald_->kill_hard();
    start_herald();

    auto back = ejabberd_.client("bob", "secret-bob", "again");
    ASSERT_TRUE(back->connect(kWait)) << back->last_error();
    back->send("<presence/>");
    std::map<std::string, int> seen;
    while (seen.size() < acknowledged.size()) {
        auto message = next_notification(*back, 30s);
        if (!message) break;
        ++seen[message->text("notification/notification/title")];
    }
    int duplicated = 0;
    for (const auto& [title, times] : seen) duplicated += times - 1;
    std::cout << "kill -9 after " << acknowledged.size() << " acknowledged publishes: delivered " << seen.size()
              << ", duplicated " << duplicated << ", lost " << acknowledged.size() - seen.size() << "\n";
    EXPECT_EQ(seen.size(), acknowledged.size()) << "every acknowledged item arrives";
}

class SmallQueueE2E : public PubsubE2E {
protected:
    std::string extra_config() const override { return "delivery:\n  max_queue_per_user: 3\n"; }
};

TEST_F(SmallQueueE2E, FullQueueDropsOldestLowestAndTellsTheUser) {
    with_topic();
    bob_->send("<presence type='unavailable'/>");
    ASSERT_TRUE(state_logged(*bob_, "offline"));
    publish_ok(*alice_, "backups", notification("urgent 0", "", " priority='urgent'"));
    for (int i = 1; i <= 4; ++i) publish_ok(*alice_, "backups", notification("normal " + std::to_string(i)));
    EXPECT_EQ(queued_for("bob@localhost"), 3);

    bob_->send("<presence/>");
    auto notice = bob_->wait_for(
        [&](const ReceivedStanza& s) {
            return s.name() == "message" && from_herald(s, component()) && s.text("body").find("dropped") != std::string::npos;
        },
        kWait);
    ASSERT_TRUE(notice);
    EXPECT_NE(notice->text("body").find("2 notifications were dropped"), std::string::npos) << notice->xml();
    std::vector<std::string> titles;
    for (int i = 0; i < 3; ++i) {
        auto message = next_notification(*bob_);
        ASSERT_TRUE(message);
        titles.push_back(message->text("notification/notification/title"));
    }
    EXPECT_EQ(titles, (std::vector<std::string>{"urgent 0", "normal 3", "normal 4"}));
}

}  // namespace

namespace {

TEST_F(PubsubE2E, LockedDatabaseAnswersWaitNeverAResult) {
    with_topic();
    {
        WriteLock backup(herald_->database_path());
        auto refused = alice_->request(publish_iq(component(), "backups", notification("while locked")), 30s);
        ASSERT_TRUE(refused);
        EXPECT_EQ(refused->type(), "error") << refused->xml();
        EXPECT_EQ(error_condition(*refused), "resource-constraint") << refused->xml();
        EXPECT_EQ(refused->find("error")->attr("type"), "wait");
    }
    EXPECT_FALSE(publish_ok(*alice_, "backups", notification("after the lock")).empty());
    auto message = next_notification(*bob_);
    ASSERT_TRUE(message);
    EXPECT_EQ(message->text("notification/notification/title"), "after the lock")
        << "the refused item was not stored";
}

}  // namespace

namespace {

TEST_F(PubsubE2E, OwnInboxItemsReadAsTheUsersHistory) {
    with_topic();
    publish_ok(*alice_, "backups", notification("first"));
    publish_ok(*alice_, "backups", notification("second"));
    for (int i = 0; i < 2; ++i) {
        auto message = next_notification(*bob_);
        ASSERT_TRUE(message);
        send_receipt(*bob_, *message);
    }
    storage_barrier(*bob_);
    auto history = pubsub(*bob_, "get", "<items node='inbox/bob@localhost' max_items='10'/>");
    ASSERT_TRUE(history);
    const auto items = history->find_all("pubsub/items/item");
    ASSERT_EQ(items.size(), 2u) << history->xml();
    EXPECT_EQ(items[0].text("notification/title"), "second") << "newest first";
    EXPECT_EQ(items[1].text("notification/title"), "first");
    EXPECT_EQ(error_condition(*pubsub(*alice_, "get", "<items node='inbox/bob@localhost'/>")), "forbidden");
}

}  // namespace

namespace {

TEST_F(PubsubE2E, BouncedMessageIsSentAgain) {
    with_topic();
    // No answer to herald's pings: only a receipt or the bounce below speaks.
    bob_->set_iq_responder([](const ReceivedStanza&) { return std::optional<std::string>(); });
    const auto id = publish_ok(*alice_, "backups", notification("bounce me"));
    auto first = next_notification(*bob_);
    ASSERT_TRUE(first);
    // What a server or client sends back for a message it could not take.
    bob_->send("<message type='error' to='" + first->from() + "' id='" + xml_escape(first->id()) +
               "'><error type='wait'><resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
    auto again = next_notification(*bob_);
    ASSERT_TRUE(again) << "a bounced item stays queued and is delivered again";
    EXPECT_EQ(again->find("notification")->attr("item"), id);
    EXPECT_NE(again->id(), first->id()) << "a new message for the new attempt";
    send_receipt(*bob_, *again);
    storage_barrier(*bob_);
    storage_barrier(*bob_);
    EXPECT_EQ(queued_for("bob@localhost"), 0);
}

}  // namespace

namespace {

std::optional<std::string> refuse_every_iq(const ReceivedStanza& iq) {
    return iq_error_for(iq, "cancel", "service-unavailable");
}

class PingRuleE2E : public PubsubE2E {
protected:
    // Waits, one storage round trip at a time, for bob's queue to empty.
    bool bobs_queue_drains() {
        const auto deadline = std::chrono::steady_clock::now() + kWait;
        while (queued_for("bob@localhost") > 0 && std::chrono::steady_clock::now() < deadline)
            storage_barrier(*bob_);
        return queued_for("bob@localhost") == 0;
    }
};

TEST_F(PingRuleE2E, ClientWithoutPingOrReceiptsIsConfirmedOnceItsSessionAnswersAProbe) {
    with_topic();
    bob_->set_iq_responder(refuse_every_iq);
    publish_ok(*alice_, "backups", notification("first"));
    publish_ok(*alice_, "backups", notification("second"));
    ASSERT_TRUE(next_notification(*bob_));
    ASSERT_TRUE(next_notification(*bob_));
    EXPECT_TRUE(bobs_queue_drains()) << "the ping error, then the probe answered, confirm both";
    EXPECT_FALSE(next_notification(*bob_, 0ms)) << "nothing is sent twice";
}

TEST_F(PingRuleE2E, PingErrorFromAResourceThatAnsweredPingsBeforeIsSentAgain) {
    with_topic();
    publish_ok(*alice_, "backups", notification("answered"));
    ASSERT_TRUE(next_notification(*bob_));
    ASSERT_TRUE(bobs_queue_drains()) << "confirmed by the ping's result";
    // What ejabberd answers for a session of bob's that is closing, while
    // another session with the same resource could answer a probe.
    bob_->set_iq_responder(refuse_every_iq);
    const auto id = publish_ok(*alice_, "backups", notification("not read"));
    auto first = next_notification(*bob_);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->find("notification")->attr("item"), id);
    auto again = next_notification(*bob_);
    ASSERT_TRUE(again) << "an error from a resource that answers pings proves nothing was read";
    EXPECT_EQ(again->find("notification")->attr("item"), id);
    bob_->set_iq_responder(answer_pings_refuse_others);
}

class QuickConfirmTimeoutE2E : public PingRuleE2E {
protected:
    std::string extra_config() const override { return "delivery:\n  confirm_timeout_seconds: 2\n"; }

    static bool is_ping(const ReceivedStanza& s) { return s.name() == "iq" && s.has("ping"); }
};

TEST_F(QuickConfirmTimeoutE2E, AClientSendingReceiptsGetsNoPingsAndAMissingReceiptMeansSentAgain) {
    with_topic();
    publish_ok(*alice_, "backups", notification("first"));
    auto first = next_notification(*bob_);
    ASSERT_TRUE(first);
    send_receipt(*bob_, *first);
    storage_barrier(*bob_);
    bob_->clear();
    const auto id = publish_ok(*alice_, "backups", notification("second"));
    auto second = next_notification(*bob_);
    ASSERT_TRUE(second);
    storage_barrier(*bob_);
    EXPECT_FALSE(bob_->wait_for(is_ping, 0ms)) << "its receipts confirm: no ping";
    auto again = next_notification(*bob_);
    ASSERT_TRUE(again) << "no receipt within confirm_timeout_seconds: sent again";
    EXPECT_EQ(again->find("notification")->attr("item"), id);
    send_receipt(*bob_, *again);
    EXPECT_TRUE(bobs_queue_drains());
}

TEST_F(QuickConfirmTimeoutE2E, AnUnansweredPingMeansSentAgain) {
    with_topic();
    bob_->set_iq_responder([](const ReceivedStanza&) { return std::optional<std::string>(); });
    const auto id = publish_ok(*alice_, "backups", notification("ping lost"));
    ASSERT_TRUE(next_notification(*bob_));
    ASSERT_TRUE(bob_->wait_for(is_ping, kWait));
    auto again = next_notification(*bob_);
    ASSERT_TRUE(again) << "the ping unanswered within confirm_timeout_seconds: sent again";
    EXPECT_EQ(again->find("notification")->attr("item"), id);
    send_receipt(*bob_, *again);
    EXPECT_TRUE(bobs_queue_drains());
}

TEST_F(PingRuleE2E, PingErrorFromASessionThatThenLeavesIsSentAgain) {
    with_topic();
    // As ejabberd does for a session that is closing: an error to the ping,
    // then the resource gone. The error proves nothing was read.
    bob_->set_iq_responder([](const ReceivedStanza& iq) {
        return std::optional<std::string>(*refuse_every_iq(iq) + "<presence type='unavailable'/>");
    });
    const auto id = publish_ok(*alice_, "backups", notification("unproven"));
    ASSERT_TRUE(next_notification(*bob_));
    ASSERT_TRUE(state_logged(*bob_, "offline"));
    storage_barrier(*bob_);
    EXPECT_EQ(queued_for("bob@localhost"), 1) << "not confirmed by the error";
    bob_->set_iq_responder(answer_pings_refuse_others);
    bob_->send("<presence/>");
    auto again = next_notification(*bob_);
    ASSERT_TRUE(again) << "sent again when the user is back";
    EXPECT_EQ(again->find("notification")->attr("item"), id);
}

}  // namespace

namespace {

class QuickExpiryE2E : public PubsubE2E {
protected:
    std::string extra_config() const override { return "delivery:\n  expiry_check_seconds: 1\n"; }
};

TEST_F(QuickExpiryE2E, ExpiredItemsLeaveTheQueueAndAreNeverDelivered) {
    with_topic();
    bob_->send("<presence type='unavailable'/>");
    ASSERT_TRUE(state_logged(*bob_, "offline"));
    publish_ok(*alice_, "backups", notification("stale soon", "", " ttl='1'"));
    publish_ok(*alice_, "backups", notification("still fresh", "", " ttl='3600'"));
    EXPECT_EQ(queued_for("bob@localhost"), 2);
    ASSERT_TRUE(herald_->wait_log("1 queued notifications expired")) << herald_->log().tail();
    EXPECT_EQ(queued_for("bob@localhost"), 1);
    EXPECT_EQ(count_rows(herald_->database_path(),
                         "SELECT count(*) FROM history WHERE user = ?1 AND outcome = 'expired'", "bob@localhost"),
              1);

    bob_->send("<presence/>");
    auto message = next_notification(*bob_);
    ASSERT_TRUE(message);
    EXPECT_EQ(message->text("notification/notification/title"), "still fresh");
    storage_barrier(*bob_);
    EXPECT_FALSE(next_notification(*bob_, 0ms));
}

}  // namespace

namespace {

class RateLimitedE2E : public PubsubE2E {
protected:
    std::string extra_config() const override { return "limits:\n  requests_per_second: 2\n"; }
};

TEST_F(RateLimitedE2E, PublishesPastTheRateAreRefusedWaitAndNotStored) {
    with_topic();
    for (int i = 0; i < 20; ++i)
        alice_->send("<iq id='flood-" + std::to_string(i) + "' " +
                     publish_iq(component(), "backups", notification("flood " + std::to_string(i))).substr(4));
    int accepted = 0, refused = 0;
    for (int i = 0; i < 20; ++i) {
        const auto id = "flood-" + std::to_string(i);
        auto reply = alice_->wait_for([&](const ReceivedStanza& s) { return s.name() == "iq" && s.id() == id; }, kWait);
        ASSERT_TRUE(reply) << id;
        if (reply->type() == "result") {
            ++accepted;
        } else {
            ++refused;
            EXPECT_EQ(error_condition(*reply), "resource-constraint") << reply->xml();
            EXPECT_EQ(reply->find("error")->attr("type"), "wait");
        }
    }
    EXPECT_GT(accepted, 0);
    EXPECT_GT(refused, 0) << "2 a second with a burst of 4 cannot take 20 at once";
    EXPECT_EQ(count_rows(herald_->database_path(), "SELECT count(*) FROM items WHERE node = ?1", "backups"), accepted)
        << "nothing refused was stored";
    bob_->send("<message type='chat' to='" + component() + "'><body>help</body></message>");
    EXPECT_TRUE(bob_->wait_for([&](const ReceivedStanza& s) { return s.name() == "message" && s.has("body"); }, kWait))
        << "another account is not limited by alice's flood";
}

}  // namespace
