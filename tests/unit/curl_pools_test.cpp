// One connection pool per address policy: the feed poller and the webhook
// agent each drive their own CurlMulti, so a connection one of them opened
// (and pooled) is never reused by the other, even to the same server.

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "agents/webhook_agent.h"
#include "http_test_server.h"
#include "ingest/feed_poller.h"

namespace herald {
namespace {

using namespace std::chrono_literals;
using testing::HttpTestResponse;
using testing::HttpTestServer;

struct CountingStore : ingest::FeedStore {
    int fetches = 0;
    std::vector<std::string> errors;
    void load(std::function<void(std::vector<ingest::FeedSchedule>)> done) override { done({}); }
    void record_fetch(ingest::FeedFetch, std::function<void(ingest::FeedRecorded)> done) override {
        ++fetches;
        done(ingest::FeedRecorded::kept);
    }
    void record_unchanged(std::string, std::function<void(ingest::FeedRecorded)> done) override {
        done(ingest::FeedRecorded::kept);
    }
    void record_failure(std::string, std::string error, std::function<void(ingest::FeedRecorded)> done) override {
        errors.push_back(std::move(error));
        done(ingest::FeedRecorded::kept);
    }
};

struct CurlPoolsTest : ::testing::Test {
    HttpTestServer server;
    boost::asio::io_context io;
    // Between transfers the io_context may have nothing to wait for; it must
    // not stop (the daemon's always has its XMPP link).
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> busy{io.get_executor()};
    CountingStore store;
    ingest::UrlPolicySettings local{.allow_private_addresses = true, .max_redirects = 0,
                                    .max_response_bytes = 64 * 1024, .timeout = 5s};
    routing::SharedWork alone;
    ingest::FeedPoller poller{io, ingest::UrlPolicy(local), ingest::FeedPollerSettings{.min_interval = 60s}, store,
                              alone};
    agents::WebhookAgent webhooks{io, ingest::UrlPolicy(local)};

    template <typename Done>
    bool run_until(Done done, std::chrono::milliseconds deadline = 10s) {
        const auto until = std::chrono::steady_clock::now() + deadline;
        while (!done() && std::chrono::steady_clock::now() < until) io.run_one_for(50ms);
        return done();
    }
    void send_webhook() {
        storage::EscalationBatch batch;
        batch.user = "alice@example.org";
        batch.channel = "webhook";
        batch.target = server.url("/hook");
        batch.webhook_secret = "s3cret";
        std::optional<routing::AgentOutcome> outcome;
        webhooks.send(batch, [&outcome](routing::AgentOutcome done) { outcome = std::move(done); });
        ASSERT_TRUE(run_until([&] { return outcome.has_value(); }));
        ASSERT_TRUE(outcome->sent) << outcome->error;
    }
};

TEST_F(CurlPoolsTest, FeedsAndWebhooksNeverShareAConnection) {
    server.serve("/hook", HttpTestResponse{200, {}, "ok"});
    server.serve("/feed", HttpTestResponse{200, {}, "<rss version='2.0'><channel><title>T</title>"
                                                    "<item><guid>a</guid><title>A</title></item></channel></rss>"});
    // The webhook agent keeps its connection alive and reuses it: the count
    // below sees reuse.
    send_webhook();
    send_webhook();
    EXPECT_EQ(server.connections(), 1u);
    // The feed poller, to the same server, opens a connection of its own.
    poller.watch({"feed/x", server.url("/feed"), 60s, 0, {}, {}});
    ASSERT_TRUE(run_until([&] { return store.fetches + static_cast<int>(store.errors.size()) >= 1; }));
    ASSERT_TRUE(store.errors.empty()) << store.errors[0];
    EXPECT_EQ(server.connections(), 2u);
    // And the webhook agent does not take the poller's.
    send_webhook();
    EXPECT_EQ(server.connections(), 2u);
    EXPECT_EQ(server.request_count("/hook"), 3u);
}

}  // namespace
}  // namespace herald
