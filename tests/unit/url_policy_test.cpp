#include "net/url_policy.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <cstring>

#include "http_test_server.h"
#include "net/curl_multi.h"

namespace herald::ingest {
namespace {

using namespace std::chrono_literals;
using testing::HttpTestResponse;
using testing::HttpTestServer;

bool public_address(const char* text) {
    sockaddr_storage storage{};
    if (std::strchr(text, ':')) {
        auto& v6 = reinterpret_cast<sockaddr_in6&>(storage);
        v6.sin6_family = AF_INET6;
        EXPECT_EQ(inet_pton(AF_INET6, text, &v6.sin6_addr), 1) << text;
    } else {
        auto& v4 = reinterpret_cast<sockaddr_in&>(storage);
        v4.sin_family = AF_INET;
        EXPECT_EQ(inet_pton(AF_INET, text, &v4.sin_addr), 1) << text;
    }
    return is_public_address(reinterpret_cast<const sockaddr&>(storage));
}

TEST(UrlPolicy, NonPublicAddressesAreRecognised) {
    for (const char* address : {"127.0.0.1", "127.8.9.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                                "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1",
                                "::", "fe80::1", "fd00::1", "fc00::5", "ff02::1", "::ffff:127.0.0.1",
                                "::ffff:10.0.0.1", "64:ff9b::a00:1", "::127.0.0.1"})
        EXPECT_FALSE(public_address(address)) << address;
    for (const char* address : {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "192.169.0.1",
                                "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808"})
        EXPECT_TRUE(public_address(address)) << address;
}

TEST(UrlPolicy, OnlyHttpAndHttpsUrlsAreTaken) {
    UrlPolicy policy({});
    EXPECT_EQ(policy.refuse("http://example.org/feed.xml"), std::nullopt);
    EXPECT_EQ(policy.refuse("https://example.org:8443/a?b=c"), std::nullopt);
    for (const char* url : {"file:///etc/passwd", "ftp://example.org/x", "gopher://example.org/", "dict://x/",
                            "javascript:alert(1)", "not a url", "", "http://"})
        EXPECT_NE(policy.refuse(url), std::nullopt) << url;
}

struct Outcome {
    CURLcode result = CURLE_OK;
    std::string failure;
    std::string body;
};

Outcome fetch(const UrlPolicy& policy, const std::string& url) {
    boost::asio::io_context io;
    CurlMulti multi(io);
    EasyHandle handle;
    policy.apply(handle, url);
    Outcome outcome;
    multi.start(std::move(handle), [&](EasyHandle done, CURLcode result) {
        outcome = {result, policy.describe_failure(done, result), done.body()};
    });
    io.run_for(20s);
    return outcome;
}

TEST(UrlPolicy, LoopbackIsRefusedAtConnectTimeUnlessAllowed) {
    HttpTestServer server;
    server.serve("/feed", HttpTestResponse{200, {}, "hello"});
    const auto refused = fetch(UrlPolicy({}), server.url("/feed"));
    EXPECT_NE(refused.result, CURLE_OK);
    EXPECT_NE(refused.failure.find("127.0.0.1 is not public"), std::string::npos) << refused.failure;
    // The name resolves to loopback too: DNS does not get around the rule.
    const auto by_name = fetch(UrlPolicy({}), "http://localhost:" + std::to_string(server.port()) + "/feed");
    EXPECT_NE(by_name.result, CURLE_OK);
    EXPECT_NE(by_name.failure.find("is not public"), std::string::npos) << by_name.failure;
    EXPECT_EQ(server.request_count("/feed"), 0u);

    const auto allowed = fetch(UrlPolicy({.allow_private_addresses = true}), server.url("/feed"));
    EXPECT_EQ(allowed.result, CURLE_OK) << allowed.failure;
    EXPECT_EQ(allowed.body, "hello");
}

TEST(UrlPolicy, RedirectsAreFollowedAndBounded) {
    HttpTestServer server;
    server.serve("/moved", HttpTestResponse{301, {{"Location", "/feed"}}, ""});
    server.serve("/feed", HttpTestResponse{200, {}, "arrived"});
    server.serve("/loop", HttpTestResponse{302, {{"Location", "/loop"}}, ""});
    server.serve("/to-file", HttpTestResponse{302, {{"Location", "file:///etc/passwd"}}, ""});
    const UrlPolicy policy({.allow_private_addresses = true, .max_redirects = 3});

    EXPECT_EQ(fetch(policy, server.url("/moved")).body, "arrived");
    const auto loop = fetch(policy, server.url("/loop"));
    EXPECT_EQ(loop.result, CURLE_TOO_MANY_REDIRECTS);
    EXPECT_EQ(loop.failure, "more than 3 redirects");
    EXPECT_EQ(server.request_count("/loop"), 4u);
    const auto to_file = fetch(policy, server.url("/to-file"));
    EXPECT_NE(to_file.result, CURLE_OK);
    EXPECT_EQ(to_file.body.find("root:"), std::string::npos);
}

TEST(UrlPolicy, ResponsesPastTheSizeLimitAreAborted) {
    HttpTestServer server;
    const std::string huge(300 * 1024, 'x');
    server.serve("/declared", HttpTestResponse{200, {}, huge});
    // Small on the wire, huge once decompressed: the limit counts what curl hands over.
    server.serve("/bomb", HttpTestResponse{200, {{"Content-Encoding", "gzip"}}, testing::gzip(huge)});
    const UrlPolicy policy({.allow_private_addresses = true, .max_response_bytes = 100 * 1024});

    const auto declared = fetch(policy, server.url("/declared"));
    EXPECT_NE(declared.result, CURLE_OK);
    EXPECT_EQ(declared.failure, "the response is larger than 102400 bytes");

    boost::asio::io_context io;
    CurlMulti multi(io);
    EasyHandle handle;
    policy.apply(handle, server.url("/bomb"));
    curl_easy_setopt(handle.get(), CURLOPT_ACCEPT_ENCODING, "");
    std::string failure;
    std::size_t kept = 0;
    multi.start(std::move(handle), [&](EasyHandle done, CURLcode result) {
        failure = policy.describe_failure(done, result);
        kept = done.body().size();
    });
    io.run_for(20s);
    EXPECT_EQ(failure, "the response is larger than 102400 bytes");
    EXPECT_LE(kept, 100u * 1024);
}

TEST(UrlPolicy, ASlowServerRunsIntoTheTimeLimit) {
    HttpTestServer server;
    server.serve("/slow", HttpTestResponse{200, {}, "too late", 5s});
    const auto start = std::chrono::steady_clock::now();
    const auto slow = fetch(UrlPolicy({.allow_private_addresses = true, .timeout = 1s}), server.url("/slow"));
    EXPECT_EQ(slow.result, CURLE_OPERATION_TIMEDOUT);
    EXPECT_EQ(slow.failure, "no complete answer within 1 s");
    EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
}

}  // namespace
}  // namespace herald::ingest
