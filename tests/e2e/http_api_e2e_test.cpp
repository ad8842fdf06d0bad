// The HTTP publish API, driven with curl against the real daemon.

#include <gtest/gtest.h>

#include <regex>

#include "tests/e2e/herald_e2e_fixture.h"
#include "tests/support/process.h"

using namespace herald::testing;
using namespace std::chrono_literals;

namespace {

class HttpApiE2E : public HeraldE2E {
protected:
    std::string extra_config() const override { return "http:\n  enabled: true\n  port: 0\n  max_body_bytes: 2000\n"; }

    void SetUp() override {
        HeraldE2E::SetUp();
        const auto line = herald_->log().wait_for("HTTP publish API listening on", kWait, 0);
        ASSERT_TRUE(line) << herald_->log().tail();
        std::smatch port;
        ASSERT_TRUE(std::regex_search(*line, port, std::regex(R"(:(\d+)$)")));
        base_ = "http://127.0.0.1:" + port[1].str();
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
    EXPECT_EQ(bad_token.status, 401) << bad_token.body;
    auto bad_json = curl({"-X", "POST", "-H", "Authorization: Bearer nope", "-H", "Content-Type: application/json",
                          "--data", "{not json", publish_url});
    EXPECT_EQ(bad_json.status, 400) << bad_json.body;
    auto too_big = curl({"-X", "POST", "-H", "Authorization: Bearer nope", "--data", std::string(5000, 'x'), publish_url});
    EXPECT_EQ(too_big.status, 413) << too_big.body;
    auto wrong_type = curl({"-X", "POST", "-H", "Authorization: Bearer nope", "-H", "Content-Type: image/png",
                            "--data", "x", publish_url});
    EXPECT_EQ(wrong_type.status, 415) << wrong_type.body;
    EXPECT_EQ(curl({base_ + "/v1/nodes/backups"}).status, 405);
    EXPECT_EQ(curl({base_ + "/nowhere"}).status, 404);
    // herald is still there
    EXPECT_EQ(curl({base_ + "/healthz"}).status, 200);
}

}  // namespace
