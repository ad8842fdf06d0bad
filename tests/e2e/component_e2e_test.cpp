// Herald attached to a real, private ejabberd, driven by real XMPP clients.

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <unistd.h>
#include <memory>

#include "tests/e2e/herald_e2e_fixture.h"
#include "tests/support/private_ejabberd.h"
#include "tests/support/process.h"
#include "tests/support/xmpp_test_client.h"

using namespace herald::testing;
using namespace std::chrono_literals;

namespace {

TEST_F(HeraldE2E, DiscoInfoShowsIdentityAndImplementedFeatures) {
    auto alice = login("alice");
    auto reply = iq(*alice, "get", "<query xmlns='http://jabber.org/protocol/disco#info'/>");
    ASSERT_TRUE(reply);
    ASSERT_EQ(reply->type(), "result") << reply->xml();
    EXPECT_TRUE(reply->has("query/identity[@category='pubsub'][@type='service']"));
    EXPECT_TRUE(reply->has("query/identity[@category='component'][@type='generic']"));
    for (const char* feature : {"jabber:iq:register", "urn:xmpp:ping",
                                "http://jabber.org/protocol/disco#info",
                                "http://jabber.org/protocol/disco#items"})
        EXPECT_TRUE(reply->has(std::string("query/feature[@var='") + feature + "']")) << feature;

    auto items = iq(*alice, "get", "<query xmlns='http://jabber.org/protocol/disco#items'/>");
    ASSERT_TRUE(items);
    EXPECT_EQ(items->type(), "result") << items->xml();
    auto ping = iq(*alice, "get", "<ping xmlns='urn:xmpp:ping'/>");
    ASSERT_TRUE(ping);
    EXPECT_EQ(ping->type(), "result") << ping->xml();
}

TEST_F(HeraldE2E, RegistrationGetSetAndEmail) {
    auto alice = login("alice");
    auto before = iq(*alice, "get", "<query xmlns='jabber:iq:register'/>");
    ASSERT_TRUE(before);
    ASSERT_EQ(before->type(), "result") << before->xml();
    EXPECT_TRUE(before->has("query/instructions"));
    EXPECT_TRUE(before->has("query/email"));
    EXPECT_FALSE(before->has("query/registered"));

    auto set = iq(*alice, "set", "<query xmlns='jabber:iq:register'><email>alice@example.org</email></query>");
    ASSERT_TRUE(set);
    EXPECT_EQ(set->type(), "result") << set->xml();
    EXPECT_TRUE(presence_from_herald(*alice, "subscribe")) << "herald asks to see the user's presence";
    EXPECT_TRUE(herald_->wait_log("registered " + alice->bare_jid()));

    auto after = iq(*alice, "get", "<query xmlns='jabber:iq:register'/>");
    ASSERT_TRUE(after);
    EXPECT_TRUE(after->has("query/registered")) << after->xml();
    EXPECT_EQ(after->text("query/email"), "alice@example.org");

    // Registering again is harmless and keeps one user.
    auto again = iq(*alice, "set", "<query xmlns='jabber:iq:register'/>");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->type(), "result");
}

TEST_F(HeraldE2E, PresenceStateFollowsTheClient) {
    auto alice = login("alice");
    register_and_approve(*alice);
    EXPECT_TRUE(state_logged(*alice, "available")) << "learned on approval";
    send_presence(*alice, "away");
    EXPECT_TRUE(state_logged(*alice, "away"));
    send_presence(*alice, "dnd");
    EXPECT_TRUE(state_logged(*alice, "dnd"));
    send_presence(*alice, "xa");
    EXPECT_TRUE(state_logged(*alice, "xa"));
    send_presence(*alice, "chat");
    EXPECT_TRUE(state_logged(*alice, "chat"));
    alice->send("<presence type='unavailable'/>");
    EXPECT_TRUE(state_logged(*alice, "offline"));
}

TEST_F(HeraldE2E, BestResourceWinsAndNegativePriorityTakesNothing) {
    auto phone = login("alice", "phone");
    register_and_approve(*phone);
    ASSERT_TRUE(state_logged(*phone, "available"));
    send_presence(*phone, "dnd", 5);
    EXPECT_TRUE(state_logged(*phone, "dnd"));

    auto laptop = ejabberd_.client("alice", "secret-alice", "laptop");
    ASSERT_TRUE(laptop->connect(kWait)) << laptop->last_error();
    send_presence(*laptop, "", 1);
    EXPECT_TRUE(state_logged(*phone, "available")) << "the best resource decides";
    send_presence(*laptop, "", -1);
    EXPECT_TRUE(state_logged(*phone, "dnd")) << "a negative priority takes no notifications";
    send_presence(*phone, "", -5);
    EXPECT_TRUE(herald_->wait_log("presence alice@localhost/phone: available priority -5"));
    EXPECT_TRUE(state_logged(*phone, "offline"));
}

TEST_F(HeraldE2E, AddingTheComponentToTheRosterRegisters) {
    auto bob = login("bob");
    bob->send("<presence type='subscribe' to='" + component() + "'/>");
    EXPECT_TRUE(presence_from_herald(*bob, "subscribed"));
    EXPECT_TRUE(herald_->wait_log("registered " + bob->bare_jid()));
    auto reg = iq(*bob, "get", "<query xmlns='jabber:iq:register'/>");
    ASSERT_TRUE(reg);
    EXPECT_TRUE(reg->has("query/registered")) << reg->xml();
}

// Profanity's /roster remove then /roster add and /sub request: the user's
// server tells herald unsubscribe and unsubscribed, later subscribe.
TEST_F(HeraldE2E, RemovingAndAddingTheContactAgainRestoresTheMutualSubscription) {
    auto alice = online_user("alice");
    create_node(*alice, "backups");
    subscribe(*alice, "backups");
    alice->clear();

    auto removed = alice->request("<iq type='set'><query xmlns='jabber:iq:roster'><item jid='" + component() +
                                      "' subscription='remove'/></query></iq>",
                                  kWait);
    ASSERT_TRUE(removed);
    ASSERT_EQ(removed->type(), "result") << removed->xml();
    EXPECT_TRUE(herald_->wait_log("alice@localhost withdrew herald's presence subscription"));
    EXPECT_TRUE(presence_from_herald(*alice, "subscribe")) << "herald asks for its subscription again";
    auto told = next_answer(*alice);
    ASSERT_TRUE(told) << "the user is told in chat why notifications wait";
    EXPECT_NE(told->text("body").find("wait in your queue"), std::string::npos) << told->xml();
    EXPECT_NE(told->text("body").find("unregister"), std::string::npos) << told->xml();

    // Told once: a second refusal asks and tells nothing more.
    alice->send("<presence type='unsubscribed' to='" + component() + "'/>");
    storage_barrier(*alice);
    storage_barrier(*alice);
    EXPECT_FALSE(next_answer(*alice, 0ms));

    publish_ok(*alice, "backups", notification("while away from the roster"));
    storage_barrier(*alice);
    EXPECT_EQ(queued_for("alice@localhost"), 1) << "no presence subscription: the item waits";

    // Added again: herald approves and asks back, both ways.
    alice->clear();
    alice->send("<presence type='subscribe' to='" + component() + "'/>");
    EXPECT_TRUE(presence_from_herald(*alice, "subscribed"));
    ASSERT_TRUE(presence_from_herald(*alice, "subscribe")) << "herald re-requests the user's presence";
    alice->send("<presence type='subscribed' to='" + component() + "'/>");
    EXPECT_TRUE(herald_->wait_log("alice@localhost approved herald's presence subscription"));
    EXPECT_TRUE(state_logged(*alice, "available"));
    auto delivered = next_notification(*alice);
    ASSERT_TRUE(delivered) << "what waited comes once herald sees the user again";
}

TEST_F(HeraldE2E, RestartedHeraldRelearnsPresenceThroughProbes) {
    auto alice = login("alice");
    register_and_approve(*alice);
    send_presence(*alice, "away");
    ASSERT_TRUE(state_logged(*alice, "away"));

    EXPECT_EQ(herald_->stop(), 0) << herald_->log().tail();
    EXPECT_TRUE(presence_from_herald(*alice, "unavailable")) << "SIGTERM tells online users herald left";
    EXPECT_TRUE(herald_->wait_log("storage flushed"));
    EXPECT_TRUE(herald_->wait_log("stream closed"));

    start_herald();
    EXPECT_TRUE(herald_->wait_log("probed presence of 1 registered users"));
    EXPECT_TRUE(state_logged(*alice, "away")) << herald_->log().tail();
}

TEST_F(HeraldE2E, ReconnectsWhenEjabberdRestartsAndRelearns) {
    auto alice = login("alice");
    register_and_approve(*alice);
    send_presence(*alice, "away");
    ASSERT_TRUE(state_logged(*alice, "away"));

    // Herald is frozen while ejabberd restarts and alice comes back, so her
    // presence can only reach herald through the probe after it reconnects.
    herald_->freeze();
    ejabberd_.stop();
    ejabberd_.start();
    auto back = ejabberd_.client("alice", "secret-alice", "test");
    ASSERT_TRUE(back->connect(kWait)) << back->last_error();
    send_presence(*back, "dnd");
    herald_->thaw();

    EXPECT_TRUE(herald_->wait_log("lost connection"));
    ASSERT_TRUE(herald_->wait_log("handshake accepted", 30s)) << herald_->log().tail();
    EXPECT_TRUE(herald_->wait_log("probed presence of 1 registered users"));
    EXPECT_TRUE(state_logged(*alice, "dnd")) << herald_->log().tail();
}

TEST_F(HeraldE2E, UnregisterRemovesTheUser) {
    auto alice = login("alice");
    register_and_approve(*alice);
    ASSERT_TRUE(state_logged(*alice, "available"));

    auto removed = iq(*alice, "set", "<query xmlns='jabber:iq:register'><remove/></query>");
    ASSERT_TRUE(removed);
    EXPECT_EQ(removed->type(), "result") << removed->xml();
    EXPECT_TRUE(presence_from_herald(*alice, "unsubscribe"));
    EXPECT_TRUE(presence_from_herald(*alice, "unsubscribed"));
    EXPECT_TRUE(herald_->wait_log("unregistered " + alice->bare_jid()));
    EXPECT_TRUE(state_logged(*alice, "offline"));

    auto after = iq(*alice, "get", "<query xmlns='jabber:iq:register'/>");
    ASSERT_TRUE(after);
    EXPECT_FALSE(after->has("query/registered")) << after->xml();
    auto again = iq(*alice, "set", "<query xmlns='jabber:iq:register'><remove/></query>");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->type(), "error");
    EXPECT_EQ(error_condition(*again), "registration-required") << again->xml();
}

TEST_F(HeraldE2E, MalformedAndUnknownIqsGetTheRightErrors) {
    auto alice = login("alice");
    struct Case {
        std::string type, payload, condition;
    };
    const std::vector<Case> cases = {
        {"get", "<query xmlns='urn:example:unknown'/>", "service-unavailable"},
        {"set", "<vcard xmlns='vcard-temp'/>", "service-unavailable"},
        {"get", "", "bad-request"},
        {"get", "<ping xmlns='urn:xmpp:ping'/><ping xmlns='urn:xmpp:ping'/>", "bad-request"},
        {"set", "<query xmlns='jabber:iq:register'><nonsense/></query>", "bad-request"},
        {"set", "<query xmlns='jabber:iq:register'><remove/><email>x</email></query>", "bad-request"},
        {"set", "<query xmlns='jabber:iq:register'><email>a</email><email>b</email></query>", "bad-request"},
        {"get", "<query xmlns='http://jabber.org/protocol/disco#info' node='nope'/>", "item-not-found"},
    };
    for (const auto& c : cases) {
        auto reply = iq(*alice, c.type, c.payload);
        ASSERT_TRUE(reply) << "no reply to " << c.payload;
        EXPECT_EQ(reply->type(), "error") << c.payload << " -> " << reply->xml();
        EXPECT_EQ(error_condition(*reply), c.condition) << c.payload << " -> " << reply->xml();
    }
    // Herald is still there and answering.
    auto ping = iq(*alice, "get", "<ping xmlns='urn:xmpp:ping'/>");
    ASSERT_TRUE(ping);
    EXPECT_EQ(ping->type(), "result");
}

TEST_F(HeraldE2E, SecretNeverReachesTheLog) {
    herald_->stop();
    herald_.reset();
    start_herald("trace");
    auto alice = login("alice");
    register_and_approve(*alice);
    herald_->stop();
    const auto log = herald_->log().contents();
    EXPECT_NE(log.find("out: "), std::string::npos) << "trace logging is on";
    EXPECT_EQ(log.find(ejabberd_.component_secret()), std::string::npos);
}

TEST(HeraldCli, CheckConfigReportsEveryErrorWithItsLine) {
    const auto dir = std::filesystem::temp_directory_path() / ("herald-cli-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "bad.yaml") << "component:\n  jid: x y\n  port: 0\n  secret: s\nlog:\n  level: loud\n";
    auto bad = run_command({HERALD_BINARY, "--config", (dir / "bad.yaml").string(), "--check-config"}, 10s);
    EXPECT_EQ(bad.exit_code, 78) << bad.output;
    EXPECT_NE(bad.output.find("bad.yaml:2: component.jid"), std::string::npos) << bad.output;
    EXPECT_NE(bad.output.find("bad.yaml:3: component.port"), std::string::npos) << bad.output;
    EXPECT_NE(bad.output.find("bad.yaml:6: log.level"), std::string::npos) << bad.output;

    std::ofstream(dir / "good.yaml") << "component:\n  jid: notify.localhost\n  secret: s\n";
    auto good = run_command({HERALD_BINARY, "--config", (dir / "good.yaml").string(), "--check-config"}, 10s);
    EXPECT_EQ(good.exit_code, 0) << good.output;
    auto usage = run_command({HERALD_BINARY}, 10s);
    EXPECT_EQ(usage.exit_code, 64) << usage.output;
    std::filesystem::remove_all(dir);
}

}  // namespace
