#include "ingest/feed_poller.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "http_test_server.h"

namespace herald::ingest {
namespace {

using namespace std::chrono_literals;
using testing::HttpTestRequest;
using testing::HttpTestResponse;
using testing::HttpTestServer;

std::string rss(const std::vector<std::string>& guids) {
    std::string items;
    for (const auto& guid : guids) items += "<item><guid>" + guid + "</guid><title>t " + guid + "</title></item>";
    return "<rss version='2.0'><channel><title>T</title>" + items + "</channel></rss>";
}

// Records what the poller hands over; answers as told.
struct RecordingStore : FeedStore {
    std::vector<FeedSchedule> feeds;
    std::vector<FeedFetch> fetches;
    int unchanged = 0;
    std::vector<std::string> errors;
    FeedRecorded answer = FeedRecorded::kept;

    void load(std::function<void(std::vector<FeedSchedule>)> done) override { done(feeds); }
    void record_fetch(FeedFetch fetch, std::function<void(FeedRecorded)> done) override {
        fetches.push_back(std::move(fetch));
        done(answer);
    }
    void record_unchanged(std::string, std::function<void(FeedRecorded)> done) override {
        ++unchanged;
        done(answer);
    }
    void record_failure(std::string, std::string error, std::function<void(FeedRecorded)> done) override {
        errors.push_back(std::move(error));
        done(answer);
    }
};

struct FeedPollerTest : ::testing::Test {
    HttpTestServer server;
    boost::asio::io_context io;
    RecordingStore store;
    herald::routing::SharedWork shared_work;
    FeedPoller poller{io,
                      UrlPolicy({.allow_private_addresses = true, .max_redirects = 2, .max_response_bytes = 64 * 1024,
                                 .timeout = 1s}),
                      FeedPollerSettings{.min_interval = 1s, .jitter = 0.0}, store, shared_work};

    template <typename Done>
    bool run_until(Done done, std::chrono::milliseconds deadline = 10s) {
        const auto until = std::chrono::steady_clock::now() + deadline;
        while (!done() && std::chrono::steady_clock::now() < until) io.run_one_for(50ms);
        return done();
    }
    FeedSchedule feed(const std::string& path) { return {"feed/x", server.url(path), 1s, 0, {}, {}}; }
};

TEST_F(FeedPollerTest, ConditionalGetWithGzipAndAnUnchangedFeed) {
    server.handle("/feed", [](const HttpTestRequest& request) {
        if (request.header("if-none-match") == "\"v1\"") return HttpTestResponse{304, {{"ETag", "\"v1\""}}, ""};
        return HttpTestResponse{200, {{"ETag", "\"v1\""}, {"Content-Encoding", "gzip"}}, testing::gzip(rss({"a", "b"}))};
    });
    poller.watch(feed("/feed"));
    ASSERT_TRUE(run_until([&] { return store.unchanged >= 1; }));
    ASSERT_EQ(store.fetches.size(), 1u);
    EXPECT_EQ(store.fetches[0].etag, "\"v1\"");
    ASSERT_EQ(store.fetches[0].feed.items.size(), 2u);
    EXPECT_EQ(store.fetches[0].feed.items[1].key, "b");
    const auto requests = server.requests("/feed");
    EXPECT_NE(requests[0].header("accept-encoding").find("gzip"), std::string::npos);
    EXPECT_EQ(requests[0].header("if-none-match"), "");
    EXPECT_EQ(requests[1].header("if-none-match"), "\"v1\"");
}

TEST_F(FeedPollerTest, ErrorsAreRecordedAndPollingGoesOn) {
    int calls = 0;
    server.handle("/flaky", [&calls](const HttpTestRequest&) {
        return ++calls == 1 ? HttpTestResponse{200, {}, "<rss><channel><item>"}  // broken XML
                            : HttpTestResponse{500, {}, "oops"};
    });
    poller.watch(feed("/flaky"));
    ASSERT_TRUE(run_until([&] { return store.errors.size() >= 2; }));
    EXPECT_NE(store.errors[0].find("unreadable feed: not well-formed XML"), std::string::npos) << store.errors[0];
    EXPECT_EQ(store.errors[1], "HTTP status 500");
    EXPECT_TRUE(store.fetches.empty());
}

TEST_F(FeedPollerTest, LimitsAreErrorsToo) {
    server.serve("/loop", HttpTestResponse{302, {{"Location", "/loop"}}, ""});
    server.serve("/huge", HttpTestResponse{200, {}, std::string(100 * 1024, 'x')});
    server.serve("/slow", HttpTestResponse{200, {}, rss({"a"}), 3s});
    poller.watch(feed("/loop"));
    poller.watch({"feed/huge", server.url("/huge"), 1s, 0, {}, {}});
    poller.watch({"feed/slow", server.url("/slow"), 1s, 0, {}, {}});
    ASSERT_TRUE(run_until([&] { return store.errors.size() >= 3; }));
    std::sort(store.errors.begin(), store.errors.end());
    EXPECT_EQ(store.errors[0], "more than 2 redirects");
    EXPECT_EQ(store.errors[1], "no complete answer within 1 s");
    EXPECT_EQ(store.errors[2], "the response is larger than 65536 bytes");
}

TEST_F(FeedPollerTest, AFeedNobodyWantsIsNoLongerPolled) {
    server.serve("/feed", HttpTestResponse{200, {}, rss({"a"})});
    store.answer = FeedRecorded::gone;
    poller.watch(feed("/feed"));
    ASSERT_TRUE(run_until([&] { return poller.watched() == 0; }));
    EXPECT_EQ(server.request_count("/feed"), 1u);
}

TEST_F(FeedPollerTest, LoadedFeedsAreSpreadOverTheirInterval) {
    for (int i = 0; i < 20; ++i)
        store.feeds.push_back({"feed/" + std::to_string(i), server.url("/f" + std::to_string(i)), 2s, 0, {}, {}});
    for (int i = 0; i < 20; ++i) server.serve("/f" + std::to_string(i), HttpTestResponse{200, {}, rss({"a"})});
    const auto start = std::chrono::steady_clock::now();
    poller.start();
    EXPECT_EQ(poller.watched(), 20u);
    ASSERT_TRUE(run_until([&] { return store.fetches.size() >= 20; }));
    // Not one burst: the last first poll comes well after the first.
    EXPECT_GT(std::chrono::steady_clock::now() - start, 500ms);
}

// A feed of several MB is parsed on the poller's worker: meanwhile the
// io_context thread goes on running its other handlers (a ticker keeps its
// period), and the items arrive complete and in order.
TEST_F(FeedPollerTest, ALargeFeedIsParsedWhileTheIoThreadGoesOn) {
    std::vector<std::string> guids;
    for (int i = 0; i < 20000; ++i) guids.push_back("item-" + std::to_string(i) + "-" + std::string(80, 'x'));
    const std::string document = rss(guids);
    ASSERT_GT(document.size(), 4u * 1024 * 1024);
    ASSERT_LT(document.size(), 5u * 1024 * 1024);
    // What the same parse costs when it runs inline, on this thread (the
    // faster of two runs, the first being cold).
    auto parse_time = std::chrono::steady_clock::duration::max();
    std::variant<ParsedFeed, FeedParseError> expected;
    for (int run = 0; run < 2; ++run) {
        const auto parse_start = std::chrono::steady_clock::now();
        expected = parse_feed(document);
        parse_time = std::min(parse_time, std::chrono::steady_clock::now() - parse_start);
    }
    ASSERT_TRUE(std::holds_alternative<ParsedFeed>(expected));
    ASSERT_GT(parse_time, 20ms) << "too fast a parse to tell the threads apart";

    server.serve("/big", HttpTestResponse{200, {}, document});
    FeedPoller big(io,
                   UrlPolicy({.allow_private_addresses = true, .max_redirects = 0,
                              .max_response_bytes = 5 * 1024 * 1024, .timeout = 30s}),
                   FeedPollerSettings{.min_interval = 60s, .jitter = 0.0}, store, shared_work);
    boost::asio::steady_timer ticker(io);
    auto last_tick = std::chrono::steady_clock::now();
    std::chrono::steady_clock::duration longest_gap{0};
    int ticks = 0;
    std::function<void()> tick = [&] {
        ticker.expires_after(2ms);
        ticker.async_wait([&](const boost::system::error_code& error) {
            if (error) return;
            const auto now = std::chrono::steady_clock::now();
            longest_gap = std::max(longest_gap, now - last_tick);
            last_tick = now;
            ++ticks;
            tick();
        });
    };
    tick();
    big.watch({"feed/big", server.url("/big"), 60s, 0, {}, {}});
    ASSERT_TRUE(run_until([&] { return !store.fetches.empty() || !store.errors.empty(); }, 60s));
    // The tick after the items came back ends the gap that holds the parse.
    const int ticks_then = ticks;
    ASSERT_TRUE(run_until([&] { return ticks > ticks_then; }));
    ticker.cancel();
    ASSERT_TRUE(store.errors.empty()) << store.errors[0];
    // Inline, one gap would be the whole parse.
    EXPECT_LT(longest_gap, parse_time / 2)
        << "longest gap " << std::chrono::duration_cast<std::chrono::milliseconds>(longest_gap).count()
        << " ms; an inline parse takes "
        << std::chrono::duration_cast<std::chrono::milliseconds>(parse_time).count() << " ms";
    const auto& items = store.fetches[0].feed.items;
    const auto& wanted = std::get<ParsedFeed>(expected).items;
    ASSERT_EQ(items.size(), guids.size());
    ASSERT_EQ(items.size(), wanted.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        ASSERT_EQ(items[i].key, guids[i]) << i;
        ASSERT_EQ(items[i].key, wanted[i].key) << i;
    }
}

TEST_F(FeedPollerTest, DelaysHaveAFloorJitterAndBackoff) {
    FeedPoller jittery(io, UrlPolicy({}),
                       FeedPollerSettings{.min_interval = 60s, .jitter = 0.1, .max_backoff = 3600s}, store,
                       shared_work);
    for (int i = 0; i < 50; ++i) {
        const auto first = jittery.next_delay(10s, 0);  // under the floor
        EXPECT_GE(first, 54s);
        EXPECT_LE(first, 66s);
        const auto third = jittery.next_delay(60s, 3);
        EXPECT_GE(third, 432s);
        EXPECT_LE(third, 528s);
        EXPECT_LE(jittery.next_delay(60s, 40), 3960s);
    }
}

}  // namespace
}  // namespace herald::ingest
