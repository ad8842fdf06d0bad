// The HTTP publish API, driven with curl against the real daemon.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <fstream>
#include <iterator>
#include <regex>

#include "tests/e2e/herald_e2e_fixture.h"
#include "tests/support/process.h"

using namespace herald::testing;
using namespace std::chrono_literals;

namespace {

// This host's IPv4 addresses other than 127.0.0.0/8.
std::vector<std::string> non_loopback_addresses() {
    std::vector<std::string> found;
    ifaddrs* interfaces = nullptr;
    if (::getifaddrs(&interfaces) != 0) return found;
    for (const auto* entry = interfaces; entry; entry = entry->ifa_next) {
        if (!entry->ifa_addr || entry->ifa_addr->sa_family != AF_INET) continue;
        const auto& address = reinterpret_cast<const sockaddr_in*>(entry->ifa_addr)->sin_addr;
        if ((ntohl(address.s_addr) >> 24) == 127) continue;
        char text[INET_ADDRSTRLEN] = {};
        if (::inet_ntop(AF_INET, &address, text, sizeof text)) found.emplace_back(text);
    }
    ::freeifaddrs(interfaces);
    return found;
}

class HttpApiE2E : public HeraldE2E {
protected:
    std::string extra_config() const override { return "http:\n  enabled: true\n  port: 0\n  max_body_bytes: 2000\n  publishes_per_second: 3\n"; }

    void SetUp() override {
        HeraldE2E::SetUp();
        const auto port = http_api_port();
        ASSERT_GT(port, 0) << herald_->log().tail();
        base_ = "http://127.0.0.1:" + std::to_string(port);
    }

    struct Reply {
        int status = 0;
        std::string body;
    };

    // curl: the status code on the last line, the body before it.
    Reply curl(std::vector<std::string> arguments) {
        std::vector<std::string> command = {"curl", "-sS", "-w", "\n%{http_code}"};
        command.insert(command.end(), arguments.begin(), arguments.end());
        const auto result = run_command(command, 30s);
        EXPECT_EQ(result.exit_code, 0) << result.output;
        const auto split = result.output.rfind('\n');
        if (split == std::string::npos) return {};
        return {std::stoi(result.output.substr(split + 1)), result.output.substr(0, split)};
    }

    std::string base_;
};

TEST_F(HttpApiE2E, TokenMadeByTheOwnerPublishesToSubscribers) {
    auto alice = online_user("alice");
    create_node(*alice, "backups");
    create_node(*alice, "other");
    auto bob = online_user("bob");
    subscribe(*bob, "backups");
    const auto token = make_token(*alice, "backups", "nightly-cron");
    ASSERT_EQ(token.size(), 64u);

    auto accepted = curl({"-X", "POST", "-H", "Authorization: Bearer " + token, "-H", "Content-Type: application/json",
                          "--data", R"({"title":"Backup failed","body":"db1","link":"https://ci/42","priority":"high"})",
                          base_ + "/v1/nodes/backups"});
    ASSERT_EQ(accepted.status, 202) << accepted.body;
    auto message = next_notification(*bob);
    ASSERT_TRUE(message);
    EXPECT_EQ(message->text("body"), "[backups] (high) Backup failed: db1 https://ci/42");
    EXPECT_NE(accepted.body.find(message->find("notification")->attr("item")), std::string::npos)
        << "the 202 carries the delivered item's id: " << accepted.body;

    auto text = curl({"-H", "Authorization: Bearer " + token, "--data-binary", "plain text body\n",
                      base_ + "/v1/nodes/backups"});
    EXPECT_EQ(text.status, 202) << text.body;
    auto plain = next_notification(*bob);
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->text("body"), "[backups] plain text body");

    EXPECT_EQ(curl({"-H", "Authorization: Bearer " + token, "--data", "x", base_ + "/v1/nodes/other"}).status, 404)
        << "a token is for one node";
    EXPECT_EQ(curl({"-H", "Authorization: Bearer " + token, "-H", "Content-Type: application/json", "--data",
                    R"({"title":"x","priority":"loud"})", base_ + "/v1/nodes/backups"})
                  .status,
              400);
}

TEST_F(HttpApiE2E, BurstsPastTheRateGet429) {
    auto alice = online_user("alice");
    create_node(*alice, "busy");
    const auto token = make_token(*alice, "busy", "flood");
    // One curl process posting 60 times in a row, so that the burst does not
    // depend on how fast a loaded machine starts processes.
    std::vector<std::string> command = {"curl", "-sS", "-w", "\nstatus:%{http_code}\n", "-H",
                                        "Authorization: Bearer " + token, "--data", "flood"};
    for (int i = 0; i < 60; ++i) command.push_back(base_ + "/v1/nodes/busy");
    const auto result = run_command(command, 60s);
    ASSERT_EQ(result.exit_code, 0) << result.output;
    auto count = [&](const std::string& line) {
        std::size_t n = 0;
        for (auto at = result.output.find(line); at != std::string::npos; at = result.output.find(line, at + 1)) ++n;
        return n;
    };
    EXPECT_GT(count("status:202"), 0u) << result.output;
    EXPECT_GT(count("status:429"), 0u) << "3/s with a burst of 6 cannot take 60 in a few seconds";
    EXPECT_EQ(count("status:202") + count("status:429"), 60u) << result.output;
}

TEST_F(HttpApiE2E, HealthAndMetrics) {
    auto health = curl({base_ + "/healthz"});
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.body, "ok\n");

    auto alice = online_user("alice");
    create_node(*alice, "backups");
    publish_ok(*alice, "backups", notification("counted"));
    auto metrics = curl({base_ + "/metrics"});
    EXPECT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.body.find("# TYPE herald_published_total counter\nherald_published_total 1\n"), std::string::npos)
        << metrics.body;
    EXPECT_NE(metrics.body.find("herald_online_users 1\n"), std::string::npos) << metrics.body;
    EXPECT_NE(metrics.body.find("herald_registered_users 1\n"), std::string::npos) << metrics.body;
    EXPECT_NE(metrics.body.find("herald_delivery_latency_seconds_bucket{le=\"+Inf\"}"), std::string::npos);
}

TEST_F(HttpApiE2E, RefusalsHaveTheRightStatusAndAJsonError) {
    auto alice = online_user("alice");
    create_node(*alice, "backups");
    const std::string publish_url = base_ + "/v1/nodes/backups";
    auto no_token = curl({"-X", "POST", "-H", "Content-Type: text/plain", "--data", "hello", publish_url});
    EXPECT_EQ(no_token.status, 401);
    EXPECT_NE(no_token.body.find("\"error\":\"unauthorized\""), std::string::npos) << no_token.body;
    auto bad_token = curl({"-X", "POST", "-H", "Authorization: Bearer nope", "--data", "hello", publish_url});
    EXPECT_EQ(bad_token.status, 404) << "as for a topic that does not exist: " << bad_token.body;
    auto bad_json = curl({"-X", "POST", "-H", "Authorization: Bearer nope", "-H", "Content-Type: application/json",
                          "--data", "{not json", publish_url});
    EXPECT_EQ(bad_json.status, 400) << bad_json.body;
    auto too_big = curl({"-X", "POST", "-H", "Authorization: Bearer nope", "--data", std::string(5000, 'x'), publish_url});
    EXPECT_EQ(too_big.status, 413) << too_big.body;
    auto wrong_type = curl({"-X", "POST", "-H", "Authorization: Bearer nope", "-H", "Content-Type: image/png",
                            "--data", "x", publish_url});
    EXPECT_EQ(wrong_type.status, 415) << wrong_type.body;
    auto long_ttl = curl({"-H", "Authorization: Bearer " + make_token(*alice, "backups", "ttl"), "-H",
                          "Content-Type: application/json", "--data", R"({"title":"x","ttl":9223372036854775})",
                          publish_url});
    EXPECT_EQ(long_ttl.status, 400) << "a ttl that overflowed the expiry: " << long_ttl.body;
    EXPECT_NE(long_ttl.body.find("ttl must be"), std::string::npos) << long_ttl.body;
    EXPECT_EQ(curl({base_ + "/v1/nodes/backups"}).status, 405);
    EXPECT_EQ(curl({base_ + "/nowhere"}).status, 404);
    // herald is still there
    EXPECT_EQ(curl({base_ + "/healthz"}).status, 200);
}

TEST_F(HttpApiE2E, RevokedTokensAndTokensForOthersNodesAreRefused) {
    auto alice = online_user("alice");
    create_node(*alice, "backups");
    auto carol = online_user("carol");
    create_node(*carol, "carols");
    const auto token = make_token(*alice, "backups", "cron");
    const std::string publish_url = base_ + "/v1/nodes/backups";
    EXPECT_EQ(curl({"-H", "Authorization: Bearer " + token, "--data", "before", publish_url}).status, 202);

    auto stolen = token_command(*carol, "backups", "create", "mine now");
    ASSERT_TRUE(stolen);
    EXPECT_EQ(error_condition(*stolen), "forbidden") << "a token for someone else's topic: " << stolen->xml();
    auto revoked_by_other = token_command(*carol, "backups", "revoke", "cron");
    ASSERT_TRUE(revoked_by_other);
    EXPECT_EQ(error_condition(*revoked_by_other), "forbidden") << revoked_by_other->xml();
    EXPECT_EQ(curl({"-H", "Authorization: Bearer " + token, "--data", "still valid", publish_url}).status, 202);

    auto revoked = token_command(*alice, "backups", "revoke", "cron");
    ASSERT_TRUE(revoked);
    EXPECT_EQ(revoked->find("command")->attr("status"), "completed") << revoked->xml();
    EXPECT_EQ(curl({"-H", "Authorization: Bearer " + token, "--data", "after", publish_url}).status, 404)
        << "a revoked token publishes nothing";
}

// Without the topic's token, the answer is the same whether the inbox (hence
// the user) exists or not: the API does not say who is registered.
TEST_F(HttpApiE2E, ABadTokenAndAnUnknownTopicGetTheSameAnswer) {
    auto alice = online_user("alice");
    const std::string bogus = "Authorization: Bearer " + std::string(64, 'a');
    auto registered = curl({"-H", bogus, "--data", "x", base_ + "/v1/nodes/inbox%2Falice%40localhost"});
    auto unknown = curl({"-H", bogus, "--data", "x", base_ + "/v1/nodes/inbox%2Fnobody%40localhost"});
    EXPECT_EQ(registered.status, 404) << registered.body;
    EXPECT_EQ(unknown.status, registered.status);
    EXPECT_EQ(unknown.body, registered.body);
}

// <remove/> leaves nothing of alice's behind: her topic goes (its subscriber
// is told), her token stops publishing. `herald remove-user` does the same
// offline.
TEST_F(HttpApiE2E, RemovingTheRegistrationDeletesTopicsAndTokens) {
    with_topic();  // alice owns backups, bob subscribes
    const auto token = make_token(*alice_, "backups", "cron");
    const std::string publish_url = base_ + "/v1/nodes/backups";
    ASSERT_EQ(curl({"-H", "Authorization: Bearer " + token, "--data", "before", publish_url}).status, 202);
    ASSERT_TRUE(next_notification(*bob_));

    auto removed = iq(*alice_, "set", "<query xmlns='jabber:iq:register'><remove/></query>");
    ASSERT_TRUE(removed);
    ASSERT_EQ(removed->type(), "result") << removed->xml();
    EXPECT_TRUE(bob_->wait_for([](const ReceivedStanza& s) { return s.has("node-deleted[@node='backups']"); }, kWait))
        << "the subscriber is told the topic is gone";
    EXPECT_EQ(curl({"-H", "Authorization: Bearer " + token, "--data", "after", publish_url}).status, 404)
        << "the token died with its maker";
    EXPECT_EQ(pubsub(*bob_, "get", "<items node='backups'/>")->type(), "error");

    auto carol = online_user("carol");
    create_node(*carol, "carols");
    storage_barrier(*carol);
    herald_->stop();
    const auto config = herald_->config_path().string();
    auto run = [&](std::vector<std::string> arguments) {
        arguments.insert(arguments.begin(), {HERALD_BINARY, "remove-user"});
        return run_command(arguments, 30s);
    };
    EXPECT_EQ(run({"--config", config, "carol@localhost"}).exit_code, 0);
    EXPECT_EQ(count_rows(herald_->database_path(), "SELECT count(*) FROM nodes WHERE owner = ?1", "carol@localhost"), 0);
    EXPECT_EQ(run({"--config", config, "carol@localhost"}).exit_code, 67) << "not registered any more";
    EXPECT_EQ(run({"--config", config}).exit_code, 64);
    EXPECT_EQ(run({"--config", config + ".missing", "carol@localhost"}).exit_code, 78);
}

TEST_F(HttpApiE2E, ListensOnLoopbackUnlessConfiguredOtherwise) {
    const auto line = herald_->log().wait_for("HTTP publish API listening on", kWait, 0);
    ASSERT_TRUE(line);
    EXPECT_NE(line->find("listening on 127.0.0.1:"), std::string::npos) << *line;
    const auto port = base_.substr(base_.rfind(':') + 1);
    for (const auto& address : non_loopback_addresses()) {
        const auto attempt = run_command({"curl", "-sS", "--max-time", "5", "http://" + address + ":" + port + "/healthz"}, 30s);
        EXPECT_NE(attempt.exit_code, 0) << "reachable on " << address << ": " << attempt.output;
    }
}

// Every stanza is logged at trace level, except what carries a credential.
class TracedHttpApiE2E : public HttpApiE2E {
protected:
    std::string log_level() const override { return "trace"; }
};

TEST_F(TracedHttpApiE2E, TokensAndTheSecretNeverReachTheLog) {
    auto alice = online_user("alice");
    create_node(*alice, "backups");
    create_node(*alice, "elsewhere");
    const auto token = make_token(*alice, "backups", "cron");
    ASSERT_EQ(token.size(), 64u);
    EXPECT_EQ(curl({"-H", "Authorization: Bearer " + token, "--data", "hello", base_ + "/v1/nodes/backups"}).status, 202);
    EXPECT_EQ(curl({"-H", "Authorization: Bearer " + token, "--data", "x", base_ + "/v1/nodes/elsewhere"}).status, 404);
    herald_->stop();
    std::ifstream stderr_file(herald_->config_path().parent_path() / "herald.stderr");
    const std::string stderr_text((std::istreambuf_iterator<char>(stderr_file)), std::istreambuf_iterator<char>());
    for (const auto& [name, text] : {std::pair{"log", herald_->log().contents()}, std::pair{"stderr", stderr_text}}) {
        EXPECT_EQ(text.find(token), std::string::npos) << "the token is in herald's " << name;
        EXPECT_EQ(text.find(ejabberd_.component_secret()), std::string::npos) << "the secret is in herald's " << name;
    }
    EXPECT_NE(herald_->log().contents().find("out: "), std::string::npos) << "trace logging is on";
}

}  // namespace

// One publish per 100 s (a burst of one): a limited bucket stays limited for
// the whole test, however slow the machine.
class SlowHttpApiE2E : public HttpApiE2E {
protected:
    std::string extra_config() const override { return "http:\n  enabled: true\n  port: 0\n  publishes_per_second: 0.01\n"; }
};

// Made-up tokens once filled the table of buckets, which was then cleared:
// ten thousand of them gave every real publisher a fresh burst.
TEST_F(SlowHttpApiE2E, TenThousandBogusTokensDoNotResetARealTokensLimit) {
    auto alice = online_user("alice");
    create_node(*alice, "limited");
    const auto token = make_token(*alice, "limited", "cron");
    const std::string publish_url = base_ + "/v1/nodes/limited";
    ASSERT_EQ(curl({"-H", "Authorization: Bearer " + token, "--data", "first", publish_url}).status, 202);
    ASSERT_EQ(curl({"-H", "Authorization: Bearer " + token, "--data", "second", publish_url}).status, 429);

    // One curl process, one connection, ten thousand requests.
    const auto requests = herald_->config_path().parent_path() / "bogus-requests.curl";
    {
        std::ofstream out(requests);
        for (int i = 0; i < 10000; ++i)
            out << "url = \"" << publish_url << "\"\nheader = \"Authorization: Bearer bogus-" << i
                << "\"\ndata = \"x\"\nsilent\nshow-error\noutput = \"/dev/null\"\nwrite-out = \"status:%{http_code}\\n\"\n"
                << (i + 1 < 10000 ? "next\n" : "");
    }
    const auto flood = run_command({"curl", "-sS", "-K", requests.string()}, 300s);
    ASSERT_EQ(flood.exit_code, 0) << flood.output.substr(0, 2000);
    std::size_t answered = 0;
    for (auto at = flood.output.find("status:"); at != std::string::npos; at = flood.output.find("status:", at + 1))
        ++answered;
    ASSERT_EQ(answered, 10000u);

    EXPECT_EQ(curl({"-H", "Authorization: Bearer " + token, "--data", "third", publish_url}).status, 429)
        << "the real token is still limited";
}
