#include "net/curl_multi.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <string>
#include <vector>

#include "http_test_server.h"

namespace herald::ingest {
namespace {

using namespace std::chrono_literals;
using testing::HttpTestResponse;
using testing::HttpTestServer;

EasyHandle get(const std::string& url) {
    EasyHandle handle;
    handle.set_url(url);
    handle.collect_body(1 << 20);
    return handle;
}

struct Finished {
    std::string name;
    CURLcode result;
    long status;
    std::string body;
};

TEST(CurlMulti, TransfersRunTogetherOnOneThreadAndEachCompletesOnce) {
    HttpTestServer server;
    server.serve("/fast", HttpTestResponse{200, {{"ETag", "\"v1\""}}, "fast body"});
    server.serve("/slow", HttpTestResponse{200, {}, "slow body", 400ms});
    boost::asio::io_context io;
    CurlMulti multi(io);
    std::vector<Finished> finished;
    auto record = [&](std::string name) {
        return [&finished, name](EasyHandle handle, CURLcode result) {
            finished.push_back({name, result, handle.response_code(), handle.body()});
        };
    };
    multi.start(get(server.url("/slow")), record("slow"));
    for (int i = 0; i < 3; ++i) multi.start(get(server.url("/fast")), record("fast"));
    EXPECT_EQ(multi.active(), 4u);
    EXPECT_TRUE(finished.empty()) << "start() must not complete anything itself";

    io.run_for(10s);

    ASSERT_EQ(finished.size(), 4u);
    // The slow server holds one transfer; the others finish first on the same thread.
    EXPECT_EQ(finished.back().name, "slow");
    for (const auto& transfer : finished) {
        EXPECT_EQ(transfer.result, CURLE_OK) << transfer.name;
        EXPECT_EQ(transfer.status, 200) << transfer.name;
        EXPECT_EQ(transfer.body, transfer.name + " body");
    }
    EXPECT_EQ(multi.active(), 0u);
    EXPECT_EQ(server.request_count("/fast"), 3u);
}

TEST(CurlMulti, ResponseHeadersAndRequestHeadersTravel) {
    HttpTestServer server;
    server.handle("/echo", [](const testing::HttpTestRequest& request) {
        return HttpTestResponse{200, {{"ETag", "\"abc\""}}, request.header("x-probe")};
    });
    boost::asio::io_context io;
    CurlMulti multi(io);
    std::optional<std::string> etag;
    std::string body;
    auto handle = get(server.url("/echo"));
    handle.set_request_headers({"X-Probe: hello"});
    multi.start(std::move(handle), [&](EasyHandle done, CURLcode) {
        etag = done.response_header("ETag");
        body = done.body();
    });
    io.run_for(10s);
    EXPECT_EQ(etag, "\"abc\"");
    EXPECT_EQ(body, "hello");
}

TEST(CurlMulti, AFailedConnectionCompletesWithItsError) {
    boost::asio::io_context io;
    // A port nobody listens on: bind one, note it, close it.
    int port = 0;
    {
        boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
        port = probe.local_endpoint().port();
    }
    CurlMulti multi(io);
    std::optional<CURLcode> result;
    multi.start(get("http://127.0.0.1:" + std::to_string(port) + "/"),
                [&](EasyHandle, CURLcode code) { result = code; });
    io.run_for(10s);
    EXPECT_EQ(result, CURLE_COULDNT_CONNECT);
}

TEST(CurlMulti, ACompletionMayStartTheNextTransfer) {
    HttpTestServer server;
    server.serve("/a", HttpTestResponse{200, {}, "a"});
    boost::asio::io_context io;
    CurlMulti multi(io);
    int completed = 0;
    std::function<void(EasyHandle, CURLcode)> again = [&](EasyHandle, CURLcode result) {
        EXPECT_EQ(result, CURLE_OK);
        if (++completed < 5) multi.start(get(server.url("/a")), again);
    };
    multi.start(get(server.url("/a")), again);
    io.run_for(10s);
    EXPECT_EQ(completed, 5);
    EXPECT_EQ(server.request_count("/a"), 5u);
}

TEST(CurlMulti, DestroyedWithATransferInFlightCallsNothing) {
    HttpTestServer server;
    server.serve("/slow", HttpTestResponse{200, {}, "late", 2s});
    boost::asio::io_context io;
    bool called = false;
    {
        CurlMulti multi(io);
        multi.start(get(server.url("/slow")), [&](EasyHandle, CURLcode) { called = true; });
        // Until the server has the request, so a socket is being watched.
        while (!server.wait_for_requests("/slow", 1, 0ms)) io.run_one_for(100ms);
    }
    io.run_for(100ms);
    EXPECT_FALSE(called);
}

}  // namespace
}  // namespace herald::ingest
