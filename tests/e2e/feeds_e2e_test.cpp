// Feeds end to end: a real HTTP server in the test serves the feeds, herald
// polls it, users add feeds from their client (ad-hoc or chat) and get the
// new items through ejabberd.

#include <gtest/gtest.h>

#include <mutex>
#include <regex>

#include "tests/e2e/herald_e2e_fixture.h"
#include "tests/support/http_test_server.h"
#include "tests/support/process.h"

using namespace herald::testing;
using namespace std::chrono_literals;

namespace {

const std::string kCommands = "http://jabber.org/protocol/commands";

struct Entry {
    std::string guid;
    std::string title;
};

std::string rss(const std::string& title, const std::vector<Entry>& entries) {
    std::string items;
    for (const auto& entry : entries)
        items += "<item><guid>" + entry.guid + "</guid><title>" + entry.title +
                 "</title><description>&lt;p&gt;about " + entry.title + "&lt;/p&gt;</description>"
                 "<link>https://example.org/" + entry.guid + "</link></item>";
    return "<?xml version='1.0'?><rss version='2.0'><channel><title>" + title + "</title>" + items +
           "</channel></rss>";
}

// A feed the test changes while herald polls it; answers 304 to a matching
// If-None-Match and gzip when asked.
class LiveFeed {
public:
    LiveFeed(HttpTestServer& server, std::string path) : path_(std::move(path)) {
        server.handle(path_, [this](const HttpTestRequest& request) { return answer(request); });
    }
    void set(std::string title, std::vector<Entry> entries) {
        std::lock_guard lock(mutex_);
        body_ = rss(title, entries);
        ++version_;
    }

private:
    HttpTestResponse answer(const HttpTestRequest& request) {
        std::lock_guard lock(mutex_);
        const auto etag = "\"v" + std::to_string(version_) + "\"";
        if (request.header("if-none-match") == etag) return {304, {{"ETag", etag}}, ""};
        if (request.header("accept-encoding").find("gzip") != std::string::npos)
            return {200, {{"ETag", etag}, {"Content-Encoding", "gzip"}}, gzip(body_)};
        return {200, {{"ETag", etag}}, body_};
    }

    std::string path_;
    std::mutex mutex_;
    std::string body_;
    int version_ = 0;
};

class FeedsE2E : public HeraldE2E {
protected:
    std::string extra_config() const override {
        return "feeds:\n  enabled: true\n  min_interval_seconds: 1\n  default_interval_seconds: 1\n"
               "  allow_private_addresses: true\n  timeout_seconds: 1\n  max_response_bytes: 65536\n"
               "  max_redirects: 3\n"
               "http:\n  enabled: true\n  port: 0\n";
    }

    // Waits for `count` more polls of `path` than it had when called... as
    // polls of one feed never overlap, poll n+1 starts only once poll n is
    // recorded, and its notifications sent.
    bool polls_of(const std::string& path, std::size_t count) {
        return server_.wait_for_requests(path, server_.request_count(path) + count, kWait);
    }

    std::optional<ReceivedStanza> command(XmppTestClient& client, const std::string& node,
                                          const std::string& attributes, const std::string& form = {}) {
        return iq(client, "set",
                  "<command xmlns='" + kCommands + "' node='" + node + "'" + attributes + ">" + form + "</command>");
    }

    // The add-feed command as a client runs it: execute, fill in the form.
    std::optional<ReceivedStanza> add_feed_adhoc(XmppTestClient& client, const std::string& url) {
        auto form = command(client, "add-feed", " action='execute'");
        EXPECT_TRUE(form && form->has("command/x/field[@var='url']")) << (form ? form->xml() : "no reply");
        if (!form) return std::nullopt;
        return command(client, "add-feed",
                       " action='complete' sessionid='" + form->find("command")->attr("sessionid") + "'",
                       "<x xmlns='jabber:x:data' type='submit'><field var='url'><value>" + xml_escape(url) +
                           "</value></field><field var='interval'><value>1</value></field></x>");
    }

    std::string chat(XmppTestClient& client, const std::string& body) {
        client.send("<message type='chat' to='" + component() + "'><body>" + xml_escape(body) + "</body></message>");
        auto answer = client.wait_for(
            [&](const ReceivedStanza& s) {
                return s.name() == "message" && s.from() == component() && s.has("body") &&
                       !s.has("notification") && !s.has("node-deleted");
            },
            kWait);
        EXPECT_TRUE(answer) << "no answer to '" << body << "'";
        return answer ? answer->text("body") : "";
    }

    // Notifications received and not yet taken by next_notification.
    std::size_t notifications_received(XmppTestClient& client) {
        std::size_t count = 0;
        for (const auto& stanza : client.received())
            count += stanza.name() == "message" && stanza.has("notification[@xmlns='urn:herald:0']") ? 1 : 0;
        return count;
    }

    std::string metrics() {
        const auto line = herald_->log().wait_for("HTTP publish API listening on", kWait, 0);
        EXPECT_TRUE(line);
        std::smatch port;
        if (!line || !std::regex_search(*line, port, std::regex(R"(:(\d+)$)"))) return "";
        const auto result = run_command({"curl", "-sS", "http://127.0.0.1:" + port[1].str() + "/metrics"}, 30s);
        return result.output;
    }

    static std::int64_t metric(const std::string& text, const std::string& name) {
        std::smatch value;
        if (!std::regex_search(text, value, std::regex("\n" + name + " (\\d+)"))) return -1;
        return std::stoll(value[1].str());
    }

    HttpTestServer server_;
};

TEST_F(FeedsE2E, AFeedAddedByAdhocNotifiesOnlyWhatIsNew) {
    LiveFeed feed(server_, "/news.xml");
    feed.set("Example News", {{"a", "Old story A"}, {"b", "Old story B"}});
    auto bob = online_user("bob");

    auto done = add_feed_adhoc(*bob, server_.url("/news.xml"));
    ASSERT_TRUE(done);
    ASSERT_EQ(done->type(), "result") << done->xml();
    EXPECT_EQ(done->find("command")->attr("status"), "completed");
    std::smatch node;
    const auto note = done->text("command/note");
    ASSERT_TRUE(std::regex_search(note, node, std::regex(R"(topic (feed/[0-9a-f]{12}))"))) << note;

    // The first poll records a and b; the next ones see nothing new (304).
    ASSERT_TRUE(polls_of("/news.xml", 3));
    storage_barrier(*bob);
    EXPECT_EQ(notifications_received(*bob), 0u) << "the first poll must not notify";
    const auto requests = server_.requests("/news.xml");
    EXPECT_EQ(requests.back().header("if-none-match"), "\"v1\"") << "conditional GET";

    feed.set("Example News", {{"c", "Fresh story C"}, {"a", "Old story A"}, {"b", "Old story B"}});
    auto message = next_notification(*bob);
    ASSERT_TRUE(message) << herald_->log().tail();
    EXPECT_EQ(message->text("body"), "[" + node[1].str() + "] Fresh story C: about Fresh story C https://example.org/c");
    EXPECT_EQ(message->find("notification")->attr("node"), node[1].str());

    ASSERT_TRUE(polls_of("/news.xml", 2));
    storage_barrier(*bob);
    EXPECT_EQ(notifications_received(*bob), 0u) << "each item once";

    auto items = iq(*bob, "get", "<query xmlns='http://jabber.org/protocol/disco#items'/>");
    ASSERT_TRUE(items);
    EXPECT_TRUE(items->has("query/item[@node='" + node[1].str() + "'][@name='Example News']")) << items->xml();
    EXPECT_EQ(count_rows(herald_->database_path(), "SELECT count(*) FROM feed_seen WHERE node = ?1", node[1].str()), 3);
}

TEST_F(FeedsE2E, ChatCommandsShareOneNodePerFeedAndDedupeById) {
    LiveFeed feed(server_, "/shared.xml");
    feed.set("Shared", {{"x1", "First"}});
    auto bob = online_user("bob");
    auto carol = online_user("carol");

    const auto added = chat(*bob, "feed add " + server_.url("/shared.xml") + " 1");
    EXPECT_NE(added.find("following " + server_.url("/shared.xml")), std::string::npos) << added;
    const auto again = chat(*carol, "feed add " + server_.url("/shared.xml"));
    std::smatch bob_node, carol_node;
    ASSERT_TRUE(std::regex_search(added, bob_node, std::regex(R"(feed/[0-9a-f]{12})")));
    ASSERT_TRUE(std::regex_search(again, carol_node, std::regex(R"(feed/[0-9a-f]{12})")));
    EXPECT_EQ(bob_node.str(), carol_node.str()) << "one node per feed URL";
    EXPECT_EQ(count_rows(herald_->database_path(), "SELECT count(*) FROM feeds WHERE url = ?1",
                         server_.url("/shared.xml")),
              1);
    ASSERT_TRUE(polls_of("/shared.xml", 2));
    const auto list = chat(*bob, "list");
    EXPECT_NE(list.find("your feeds:\nShared - " + server_.url("/shared.xml")), std::string::npos) << list;

    // Same id, new title: not new. A new id with the old title: new.
    feed.set("Shared", {{"x1", "First, edited"}});
    ASSERT_TRUE(polls_of("/shared.xml", 2));
    storage_barrier(*bob);
    EXPECT_EQ(notifications_received(*bob), 0u);
    feed.set("Shared", {{"x1-renamed", "First, edited"}});
    auto to_bob = next_notification(*bob);
    auto to_carol = next_notification(*carol);
    ASSERT_TRUE(to_bob && to_carol);
    EXPECT_NE(to_bob->text("body").find("First, edited"), std::string::npos);
    EXPECT_EQ(to_bob->find("notification")->attr("item"), to_carol->find("notification")->attr("item"))
        << "one item on the shared node";

    // Polling stops when the last subscriber leaves.
    EXPECT_EQ(chat(*bob, "feed remove " + server_.url("/shared.xml")), "no longer following " + server_.url("/shared.xml"));
    EXPECT_TRUE(chat(*bob, "list").find("your feeds") == std::string::npos);
    EXPECT_EQ(chat(*carol, "feed remove " + server_.url("/shared.xml")),
              "no longer following " + server_.url("/shared.xml"));
    EXPECT_TRUE(herald_->wait_log("has no subscriber left; no longer polled"));
    EXPECT_EQ(count_rows(herald_->database_path(), "SELECT count(*) FROM feeds WHERE url = ?1",
                         server_.url("/shared.xml")),
              0);
    EXPECT_EQ(chat(*bob, "feed remove " + server_.url("/shared.xml")), "there is no feed " + server_.url("/shared.xml"));
}

TEST_F(FeedsE2E, BadFeedsAreCountedAndPollingGoesOn) {
    server_.serve("/broken.xml", HttpTestResponse{200, {}, "<rss><channel><item><title>oops</channel>"});
    server_.serve("/huge.xml", HttpTestResponse{200, {}, std::string(100 * 1024, ' ')});
    server_.serve("/loop.xml", HttpTestResponse{302, {{"Location", "/loop.xml"}}, ""});
    server_.serve("/slow.xml", HttpTestResponse{200, {}, rss("Slow", {}), 5s});
    std::string lol = "<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY l0 'lol'>";
    for (int level = 1; level <= 9; ++level) {
        lol += "<!ENTITY l" + std::to_string(level) + " '";
        for (int i = 0; i < 10; ++i) lol += "&l" + std::to_string(level - 1) + ";";
        lol += "'>";
    }
    lol += "]><rss version='2.0'><channel><title>&l9;</title><item><guid>1</guid><title>&l9;</title></item></channel></rss>";
    server_.serve("/laughs.xml", HttpTestResponse{200, {}, lol});
    LiveFeed good(server_, "/good.xml");
    good.set("Good", {{"g1", "Old"}});
    auto bob = online_user("bob");
    for (const char* path : {"/broken.xml", "/huge.xml", "/loop.xml", "/slow.xml", "/laughs.xml", "/good.xml"}) {
        const auto answer = chat(*bob, "feed add " + server_.url(path) + " 1");
        EXPECT_EQ(answer.rfind("following", 0), 0u) << answer;
    }
    EXPECT_EQ(chat(*bob, "feed add file:///etc/passwd"), "only http and https URLs are allowed");
    EXPECT_EQ(chat(*bob, "feed add gopher://example.org/"), "only http and https URLs are allowed");

    for (const char* line : {"unreadable feed: not well-formed XML", "the response is larger than 65536 bytes",
                             "more than 3 redirects", "no complete answer within 1 s"})
        EXPECT_TRUE(herald_->log().wait_for(line, kWait, 0)) << line;
    // The failing feeds are polled again (after their backoff), and the good one goes on.
    ASSERT_TRUE(server_.wait_for_requests("/broken.xml", 2, kWait));
    good.set("Good", {{"g2", "New"}, {"g1", "Old"}});
    auto message = next_notification(*bob);
    ASSERT_TRUE(message);
    EXPECT_NE(message->text("body").find("New: about New"), std::string::npos) << message->text("body");

    const auto text = metrics();
    EXPECT_GE(metric(text, "herald_feed_errors_total"), 5) << text;
    EXPECT_GT(metric(text, "herald_feed_polls_total"), metric(text, "herald_feed_errors_total")) << text;
    EXPECT_GE(count_rows(herald_->database_path(), "SELECT count(*) FROM feeds WHERE failures > 0 AND url LIKE ?1",
                         "%.xml"),
              4);
}

// The default policy: a feed on a loopback address is refused where curl
// connects, so the server never sees a request.
class FeedsDefaultPolicyE2E : public FeedsE2E {
protected:
    std::string extra_config() const override {
        return "feeds:\n  min_interval_seconds: 1\n  default_interval_seconds: 1\n";
    }
};

TEST_F(FeedsDefaultPolicyE2E, LoopbackFeedsAreNeverFetched) {
    server_.serve("/inside.xml", HttpTestResponse{200, {}, rss("Inside", {{"s", "secret"}})});
    auto bob = online_user("bob");
    EXPECT_EQ(chat(*bob, "feed add " + server_.url("/inside.xml") + " 1").rfind("following", 0), 0u);
    EXPECT_TRUE(herald_->log().wait_for("the address 127.0.0.1 is not public", kWait, 0)) << herald_->log().tail();
    EXPECT_TRUE(herald_->log().wait_for("the address 127.0.0.1 is not public", kWait)) << "and again, backing off";
    EXPECT_EQ(server_.request_count("/inside.xml"), 0u);
}

}  // namespace
