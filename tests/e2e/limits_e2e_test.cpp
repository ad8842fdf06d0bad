// Limits on what one user may send, through a real ejabberd: stanza size,
// payload size, node name length, data forms, and the per-JID request rate
// on ad-hoc commands. Each refusal has its stanza error and stores nothing.

#include <gtest/gtest.h>

#include "tests/e2e/herald_e2e_fixture.h"
#include "tests/e2e/write_lock.h"
#include "tests/support/process.h"

using namespace herald::testing;
using namespace std::chrono_literals;

namespace {

const std::string kCommands = "http://jabber.org/protocol/commands";

class LimitsE2E : public HeraldE2E {
protected:
    std::string extra_config() const override {
        return "pubsub:\n  max_payload_bytes: 2048\n  max_node_name_length: 40\n"
               "limits:\n  requests_per_second: 100000\n  max_stanza_bytes: 8192\n"
               "  max_form_fields: 8\n  max_form_value_bytes: 256\n";
    }

    std::int64_t items_in(const std::string& node) {
        return count_rows(herald_->database_path(), "SELECT count(*) FROM items WHERE node = ?1", node);
    }

    static void expect_error(const std::optional<ReceivedStanza>& reply, const std::string& type,
                             const std::string& condition) {
        ASSERT_TRUE(reply);
        EXPECT_EQ(reply->type(), "error") << reply->xml();
        EXPECT_EQ(error_condition(*reply), condition) << reply->xml();
        ASSERT_TRUE(reply->find("error"));
        EXPECT_EQ(reply->find("error")->attr("type"), type) << reply->xml();
    }

    static std::string form(int fields, std::size_t value_bytes) {
        std::string x = "<x xmlns='jabber:x:data' type='submit'>";
        for (int i = 0; i < fields; ++i)
            x += "<field var='f" + std::to_string(i) + "'><value>" + std::string(value_bytes, 'v') + "</value></field>";
        return x + "</x>";
    }
};

TEST_F(LimitsE2E, StanzaOverTheSizeLimitIsRefusedWithPolicyViolation) {
    with_topic();
    // The payload itself is under max_payload_bytes; the stanza around it is not.
    const std::string padding(9000, 'p');
    auto reply = alice_->request("<iq type='set' to='" + component() + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                                 "<publish node='backups'><item>" + notification("big") + "</item></publish>"
                                 "<options padding='" + padding + "'/></pubsub></iq>", kWait);
    expect_error(reply, "modify", "policy-violation");
    bob_->send("<message type='chat' id='long-chat' to='" + component() + "'><body>" + padding + "</body></message>");
    auto bounced = bob_->wait_for([](const ReceivedStanza& s) { return s.name() == "message" && s.id() == "long-chat"; },
                                  kWait);
    expect_error(bounced, "modify", "policy-violation");
    EXPECT_EQ(items_in("backups"), 0) << "nothing refused was stored";
    EXPECT_FALSE(publish_ok(*alice_, "backups", notification("small")).empty()) << "herald still serves";
}

TEST_F(LimitsE2E, PayloadOverItsLimitIsNotAcceptablePayloadTooBig) {
    with_topic();
    auto reply = publish(*alice_, "backups", notification("big", std::string(3000, 'b')));
    expect_error(reply, "modify", "not-acceptable");
    EXPECT_TRUE(reply->has("error/payload-too-big")) << reply->xml();
    EXPECT_EQ(items_in("backups"), 0);
}

TEST_F(LimitsE2E, NodeNameOverItsLengthIsNotAcceptable) {
    auto alice = online_user("alice");
    const std::string long_name(41, 'n');
    expect_error(pubsub(*alice, "set", "<create node='" + long_name + "'/>"), "modify", "not-acceptable");
    EXPECT_EQ(count_rows(herald_->database_path(), "SELECT count(*) FROM nodes WHERE name = ?1", long_name), 0);
    auto created = pubsub(*alice, "set", "<create node='" + std::string(40, 'n') + "'/>");
    ASSERT_TRUE(created);
    EXPECT_EQ(created->type(), "result") << created->xml();
}

TEST_F(LimitsE2E, FormsWithTooManyFieldsOrTooLongAFieldAreNotAcceptable) {
    with_topic();
    auto too_many = iq(*alice_, "set",
                       "<command xmlns='" + kCommands + "' node='subscribe' action='complete' sessionid='x'>" +
                           form(9, 4) + "</command>");
    expect_error(too_many, "modify", "not-acceptable");
    auto too_long = publish(*alice_, "backups", notification("with options"),
                            "<publish-options>" + form(1, 300) + "</publish-options>");
    expect_error(too_long, "modify", "not-acceptable");
    auto too_many_in_configure = pubsub(*alice_, "set", "<create node='formed'/><configure>" + form(9, 4) + "</configure>");
    expect_error(too_many_in_configure, "modify", "not-acceptable");
    EXPECT_EQ(items_in("backups"), 0);
    EXPECT_EQ(count_rows(herald_->database_path(), "SELECT count(*) FROM nodes WHERE name = ?1", "formed"), 0);
    EXPECT_FALSE(publish_ok(*alice_, "backups", notification("ok"), "<publish-options>" + form(8, 256) +
                                                                         "</publish-options>").empty())
        << "a form at the limits passes";
}

class CommandRateLimitE2E : public HeraldE2E {
protected:
    std::string extra_config() const override { return "limits:\n  requests_per_second: 2\n"; }
};

TEST_F(CommandRateLimitE2E, AdhocCommandsPastTheRateAreRefusedWait) {
    auto bob = online_user("bob");
    for (int i = 0; i < 20; ++i)
        bob->send("<iq type='set' id='cmd-" + std::to_string(i) + "' to='" + component() + "'><command xmlns='" +
                  kCommands + "' node='subscriptions' action='execute'/></iq>");
    int answered = 0, refused = 0;
    for (int i = 0; i < 20; ++i) {
        const auto id = "cmd-" + std::to_string(i);
        auto reply = bob->wait_for([&](const ReceivedStanza& s) { return s.name() == "iq" && s.id() == id; }, kWait);
        ASSERT_TRUE(reply) << id;
        if (reply->type() == "result") {
            ++answered;
            continue;
        }
        ++refused;
        EXPECT_EQ(error_condition(*reply), "resource-constraint") << reply->xml();
        EXPECT_EQ(reply->find("error")->attr("type"), "wait");
    }
    EXPECT_GT(answered, 0);
    EXPECT_GT(refused, 0) << "2 a second with a burst of 4 cannot take 20 commands at once";
}

}  // namespace

namespace {

// What one user may make is capped; the refusal names the setting, over XMPP
// and in chat. Herald's own names are not for users.
class UserCapsE2E : public HeraldE2E {
protected:
    std::string extra_config() const override { return "limits:\n  max_topics_per_user: 1\n  max_feeds_per_user: 0\n"; }
};

TEST_F(UserCapsE2E, PastAUsersCapCreatingIsRefusedWithTheCapNamed) {
    auto alice = online_user("alice");
    create_node(*alice, "first");
    auto second = pubsub(*alice, "set", "<create node='second'/>");
    ASSERT_TRUE(second);
    EXPECT_EQ(error_condition(*second), "policy-violation") << second->xml();
    EXPECT_NE(second->text("error/text").find("limits.max_topics_per_user"), std::string::npos) << second->xml();
    const auto said = command(*alice, "feed add https://example.org/feed.xml");
    EXPECT_NE(said.find("limit of 0 feeds per user (limits.max_feeds_per_user)"), std::string::npos) << said;

    auto admin = online_user("admin");
    create_node(*admin, "admins-first");
    create_node(*admin, "admins-second");  // admins have no caps
    expect_refused({
        {"a feed's name", pubsub(*admin, "set", "<create node='feed/0123456789ab'/>"), "not-allowed"},
        {"the broadcast's name", pubsub(*alice, "set", "<create node='announcement'/>"), "not-allowed"},
    });
}

}  // namespace

// A storage queue of two jobs, and another holder of the database's write
// lock (a backup, say) that stalls herald's writer.
class StorageQueueE2E : public LimitsE2E {
protected:
    std::string extra_config() const override {
        return "limits:\n  storage_queue_jobs: 2\nhttp:\n  enabled: true\n  port: 0\n";
    }

    // curl -i: the status line and headers, then the body.
    CommandResult post(const std::string& token, const std::string& body) {
        return run_command({"curl", "-sS", "-i", "-H", "Authorization: Bearer " + token, "--data", body,
                            "http://127.0.0.1:" + std::to_string(http_api_port()) + "/v1/nodes/backups"},
                           60s);
    }
};

// Past the bound a publish is refused at once (wait: try again), not queued
// behind a stalled writer; once the writer moves, publishing works again.
TEST_F(StorageQueueE2E, PublishesPastTheStorageQueueBoundAreRefusedAndServiceResumes) {
    with_topic();
    const auto token = make_token(*alice_, "backups", "cron");
    ASSERT_NE(post(token, "before").output.find("HTTP/1.1 202"), std::string::npos);
    storage_barrier(*alice_);
    {
        WriteLock backup(herald_->database_path());
        const auto publish_with_id = [&](const std::string& id) {
            auto iq = publish_iq(component(), "backups", notification(id));
            alice_->send("<iq id='" + id + "'" + iq.substr(3));
        };
        for (const auto* id : {"q1", "q2", "q3", "q4", "q5"}) publish_with_id(id);
        auto last = alice_->wait_for([](const ReceivedStanza& s) { return s.name() == "iq" && s.id() == "q5"; }, kWait);
        ASSERT_TRUE(last);
        const auto first_answered = [&] {
            for (const auto& stanza : alice_->received())
                if (stanza.name() == "iq" && stanza.id() == "q1") return true;
            return false;
        };
        EXPECT_FALSE(first_answered()) << "the fifth publish waited behind the first instead of being refused";
        expect_error(last, "wait", "resource-constraint");

        const auto refused = post(token, "while full");
        EXPECT_NE(refused.output.find("HTTP/1.1 503"), std::string::npos) << refused.output;
        EXPECT_NE(refused.output.find("Retry-After: 1"), std::string::npos) << refused.output;
        EXPECT_TRUE(herald_->wait_log("the storage queue is full"));
    }
    for (const auto* id : {"q1", "q2", "q3", "q4"})
        ASSERT_TRUE(alice_->wait_for([&](const ReceivedStanza& s) { return s.name() == "iq" && s.id() == id; }, kWait))
            << "every publish is answered: " << id;
    // The writer's backlog (deliveries of q1-q4 among it) may still fill the
    // tiny queue for a moment: publishers are told to wait and try again.
    const auto deadline = std::chrono::steady_clock::now() + kWait;
    bool resumed = false;
    while (!resumed && std::chrono::steady_clock::now() < deadline) {
        auto reply = alice_->request(publish_iq(component(), "backups", notification("after")), kWait);
        ASSERT_TRUE(reply);
        resumed = reply->type() == "result";
        if (!resumed) expect_error(reply, "wait", "resource-constraint");
        else storage_barrier(*alice_);
    }
    EXPECT_TRUE(resumed) << "service resumes";
    // Over HTTP too; a 503 meanwhile says to retry, as a publisher would.
    CommandResult after;
    do after = post(token, "after");
    while (after.output.find("HTTP/1.1 503") != std::string::npos && std::chrono::steady_clock::now() < deadline);
    EXPECT_NE(after.output.find("HTTP/1.1 202"), std::string::npos) << after.output;
}
