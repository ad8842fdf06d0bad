// Many topics (issue 15): disco#items answers a page at a time (XEP-0059
// Result Set Management), the subscribe command searches, chat `list` shows
// the first few; no answer grows with the number of topics.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "tests/e2e/herald_e2e_fixture.h"

using namespace herald::testing;
using namespace std::chrono_literals;

namespace {

const std::string kCommands = "http://jabber.org/protocol/commands";
const std::string kRsm = "http://jabber.org/protocol/rsm";
constexpr int kTopics = 300;
constexpr std::size_t kMaxStanzaBytes = 128 * 1024;  // limits.max_stanza_bytes, the default

// backup-000, deploy-001, alert-002, backup-003, ...
std::string topic_name(int i) {
    static const char* const words[] = {"backup", "deploy", "alert"};
    const auto number = std::to_string(i);
    return std::string(words[i % 3]) + "-" + std::string(3 - number.size(), '0') + number;
}

class TopicPagingE2E : public HeraldE2E {
protected:
    // Creating 300 topics in one go is the admin's burst, not abuse.
    std::string extra_config() const override { return "limits:\n  requests_per_second: 100000\n"; }

    void SetUp() override {
        HeraldE2E::SetUp();
        admin_ = online_user("admin");
        // Pipelined: every create sent, then every answer collected.
        for (int i = 0; i < kTopics; ++i)
            admin_->send("<iq type='set' id='make-" + std::to_string(i) + "' to='" + component() +
                         "'><pubsub xmlns='http://jabber.org/protocol/pubsub'><create node='" + topic_name(i) +
                         "'/></pubsub></iq>");
        for (int i = 0; i < kTopics; ++i) {
            auto answer = admin_->wait_for(
                [](const ReceivedStanza& s) { return s.name() == "iq" && s.id().rfind("make-", 0) == 0; }, kWait);
            ASSERT_TRUE(answer) << "created " << i << " of " << kTopics;
            ASSERT_EQ(answer->type(), "result") << answer->xml();
        }
    }

    std::optional<ReceivedStanza> items(const std::string& set = {}) {
        auto reply = iq(*admin_, "get", "<query xmlns='http://jabber.org/protocol/disco#items'>" + set + "</query>");
        EXPECT_TRUE(reply);
        if (reply) {
            EXPECT_EQ(reply->type(), "result") << reply->xml();
            EXPECT_LT(reply->xml().size(), kMaxStanzaBytes);
        }
        return reply;
    }

    static std::vector<std::string> nodes(const ReceivedStanza& reply) {
        std::vector<std::string> names;
        for (const auto& item : reply.find_all("query/item")) names.push_back(item.attr("node"));
        return names;
    }

    std::optional<ReceivedStanza> subscribe_command(XmppTestClient& client, const std::string& attributes,
                                                    const std::string& inner = {}) {
        auto reply = iq(client, "set", "<command xmlns='" + kCommands + "' node='subscribe'" + attributes + ">" +
                                           inner + "</command>");
        EXPECT_TRUE(reply);
        if (reply) {
            EXPECT_LT(reply->xml().size(), kMaxStanzaBytes);
        }
        return reply;
    }

    // Submits `fields` (var, value) in the session of `stage`.
    std::optional<ReceivedStanza> submit(XmppTestClient& client, const ReceivedStanza& stage,
                                         const std::vector<std::pair<std::string, std::string>>& fields) {
        std::string form = "<x xmlns='jabber:x:data' type='submit'>";
        for (const auto& [var, value] : fields)
            form += "<field var='" + var + "'><value>" + xml_escape(value) + "</value></field>";
        form += "</x>";
        return subscribe_command(client, " action='complete' sessionid='" + stage.find("command")->attr("sessionid") + "'",
                       form);
    }

    static std::vector<std::string> options(const ReceivedStanza& reply, const std::string& var) {
        std::vector<std::string> values;
        for (const auto& option : reply.find_all("command/x/field[@var='" + var + "']/option/value"))
            values.push_back(option.text());
        return values;
    }

    static std::string first_fixed(const ReceivedStanza& reply) {
        const auto fields = reply.find_all("command/x/field");
        if (fields.empty() || fields.front().attr("type") != "fixed") return "(no fixed field first)";
        return fields.front().text("value");
    }

    std::unique_ptr<XmppTestClient> admin_;
};

TEST_F(TopicPagingE2E, DiscoItemsWithoutRsmAnswersABoundedPageAndTheCount) {
    auto reply = items();
    ASSERT_TRUE(reply);
    EXPECT_EQ(nodes(*reply).size(), 100u) << "disco_page_size, 100 by default";
    ASSERT_TRUE(reply->has("query/set[@xmlns='" + kRsm + "']")) << reply->xml();
    EXPECT_EQ(reply->text("query/set/count"), std::to_string(kTopics));
    EXPECT_EQ(reply->find("query/set/first")->attr("index"), "0");
    EXPECT_EQ(reply->text("query/set/first"), nodes(*reply).front());
    EXPECT_EQ(reply->text("query/set/last"), nodes(*reply).back());
}

TEST_F(TopicPagingE2E, PagingWithMaxAndAfterWalksEveryTopicOnce) {
    std::vector<std::string> seen;
    std::string after;
    for (int pages = 0; pages < 20; ++pages) {
        auto reply = items("<set xmlns='" + kRsm + "'><max>70</max>" +
                           (after.empty() ? "" : "<after>" + after + "</after>") + "</set>");
        ASSERT_TRUE(reply);
        EXPECT_EQ(reply->text("query/set/count"), std::to_string(kTopics));
        const auto page = nodes(*reply);
        if (page.empty()) break;
        EXPECT_LE(page.size(), 70u);
        EXPECT_EQ(reply->find("query/set/first")->attr("index"), std::to_string(seen.size()));
        seen.insert(seen.end(), page.begin(), page.end());
        after = reply->text("query/set/last");
    }
    ASSERT_EQ(seen.size(), static_cast<std::size_t>(kTopics));
    std::set<std::string> expected;
    for (int i = 0; i < kTopics; ++i) expected.insert(topic_name(i));
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), expected);
    EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));

    auto last = items("<set xmlns='" + kRsm + "'><max>10</max><before/></set>");
    ASSERT_TRUE(last);
    EXPECT_EQ(nodes(*last), std::vector<std::string>(seen.end() - 10, seen.end()));
    EXPECT_EQ(last->find("query/set/first")->attr("index"), std::to_string(kTopics - 10));

    auto count_only = items("<set xmlns='" + kRsm + "'><max>0</max></set>");
    ASSERT_TRUE(count_only);
    EXPECT_TRUE(nodes(*count_only).empty());
    EXPECT_EQ(count_only->text("query/set/count"), std::to_string(kTopics));
}

TEST_F(TopicPagingE2E, TheSubscribeFormSearchesTopics) {
    auto bob = online_user("bob");
    auto first = subscribe_command(*bob, " action='execute'");
    ASSERT_TRUE(first);
    ASSERT_EQ(first->find("command")->attr("status"), "executing") << first->xml();
    EXPECT_TRUE(first->has("command/x/field[@var='search']")) << first->xml();
    EXPECT_FALSE(first->has("command/x/field[@var='topic']")) << "not 300 options: " << first->xml();
    EXPECT_EQ(first->find_all("command/x/instructions").size(), 1u);

    auto none = submit(*bob, *first, {{"search", "no such thing"}});
    ASSERT_TRUE(none);
    EXPECT_EQ(none->find("command")->attr("status"), "executing") << none->xml();
    EXPECT_NE(first_fixed(*none).find("matches 'no such thing'"), std::string::npos) << none->xml();
    EXPECT_FALSE(none->has("command/note"));

    auto many = submit(*bob, *none, {{"search", "backup"}});
    ASSERT_TRUE(many);
    EXPECT_EQ(options(*many, "topic").size(), 50u) << many->xml();
    EXPECT_NE(first_fixed(*many).find("50 more"), std::string::npos) << many->xml();

    auto few = submit(*bob, *many, {{"search", "Backup-00"}, {"searched", "backup"}, {"topic", "backup-000"}});
    ASSERT_TRUE(few);
    ASSERT_EQ(few->find("command")->attr("status"), "executing") << few->xml();
    EXPECT_EQ(options(*few, "topic"),
              (std::vector<std::string>{"backup-000", "backup-003", "backup-006", "backup-009"}));
    EXPECT_EQ(few->text("command/x/field[@var='topic']/value"), "backup-000") << "a default";
    EXPECT_EQ(few->find_all("command/x/instructions").size(), 1u);
    for (const auto& field : few->find_all("command/x/field"))
        if (field.attr("type") != "hidden") {
            EXPECT_FALSE(field.attr("label").empty()) << field.xml();
        }

    auto done = submit(*bob, *few, {{"search", "Backup-00"}, {"searched", "Backup-00"}, {"topic", "backup-006"}});
    ASSERT_TRUE(done);
    EXPECT_EQ(done->find("command")->attr("status"), "completed") << done->xml();
    EXPECT_NE(done->text("command/note").find("backup-006"), std::string::npos) << done->xml();
    EXPECT_EQ(count_rows(herald_->database_path(), "SELECT count(*) FROM subscriptions WHERE node = ?1",
                         "backup-006"),
              1);
}

TEST_F(TopicPagingE2E, ChatListShowsTheFirstTopicsAndSearches) {
    auto bob = online_user("bob");
    const auto all = command(*bob, "list");
    EXPECT_NE(all.find("more; send list WORD"), std::string::npos) << all;
    EXPECT_EQ(all.find("deploy-298"), std::string::npos) << "not every topic: " << all;
    EXPECT_LT(all.size(), 4096u);

    const auto some = command(*bob, "list deploy-01");
    for (const auto* topic : {"deploy-010", "deploy-013", "deploy-016", "deploy-019"})
        EXPECT_NE(some.find(topic), std::string::npos) << some;
    EXPECT_EQ(some.find("backup"), std::string::npos) << some;
    EXPECT_EQ(some.find("more"), std::string::npos) << some;
}

// XEP-0059 §2.4 and §2.2: a page from an index, and the page before a name.
TEST_F(TopicPagingE2E, PagesStartAtAnIndexOrEndBeforeAName) {
    std::set<std::string> names;
    for (int i = 0; i < kTopics; ++i) names.insert(topic_name(i));
    const std::vector<std::string> all(names.begin(), names.end());
    const auto set = [](const std::string& inner) { return "<set xmlns='" + kRsm + "'><max>10</max>" + inner + "</set>"; };

    auto at = items(set("<index>150</index>"));
    ASSERT_TRUE(at);
    EXPECT_EQ(nodes(*at), std::vector<std::string>(all.begin() + 150, all.begin() + 160));
    EXPECT_EQ(at->find("query/set/first")->attr("index"), "150");
    EXPECT_EQ(at->text("query/set/count"), std::to_string(kTopics));

    auto back = items(set("<before>" + all[150] + "</before>"));
    ASSERT_TRUE(back);
    EXPECT_EQ(nodes(*back), std::vector<std::string>(all.begin() + 140, all.begin() + 150));
    EXPECT_EQ(back->find("query/set/first")->attr("index"), "140");

    auto past = items(set("<index>" + std::to_string(kTopics + 100) + "</index>"));
    ASSERT_TRUE(past);
    EXPECT_TRUE(nodes(*past).empty());
    EXPECT_EQ(past->text("query/set/count"), std::to_string(kTopics));

    auto bad = iq(*admin_, "get", "<query xmlns='http://jabber.org/protocol/disco#items'>" + set("<index>-1</index>") + "</query>");
    ASSERT_TRUE(bad);
    EXPECT_EQ(error_condition(*bad), "bad-request") << bad->xml();
}

// A user may follow every topic; `list` names the first fifty of them and
// finds the others by a word.
TEST_F(TopicPagingE2E, ChatListNamesTheFirstSubscriptionsAndSearchesTheRest) {
    auto bob = online_user("bob");
    for (int i = 0; i < kTopics; ++i)
        bob->send("<iq type='set' id='follow-" + std::to_string(i) + "' to='" + component() +
                  "'><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscribe node='" + topic_name(i) +
                  "' jid='" + bob->bare_jid() + "'/></pubsub></iq>");
    for (int i = 0; i < kTopics; ++i) {
        auto answer = bob->wait_for(
            [](const ReceivedStanza& s) { return s.name() == "iq" && s.id().rfind("follow-", 0) == 0; }, kWait);
        ASSERT_TRUE(answer) << "subscribed " << i << " of " << kTopics;
        ASSERT_EQ(answer->type(), "result") << answer->xml();
    }
    const auto all = command(*bob, "list");
    const auto named = std::count(all.begin(), all.end(), '\n');
    EXPECT_LE(named, 52) << all;
    EXPECT_NE(all.find("\nand 251 more; send list WORD"), std::string::npos) << "300 topics and the inbox\n" << all;
    EXPECT_LT(all.size(), 4096u);

    const auto some = command(*bob, "list deploy-01");
    EXPECT_EQ(some.rfind("your subscriptions containing 'deploy-01':", 0), 0u) << some;
    for (const auto* topic : {"deploy-010", "deploy-013", "deploy-016", "deploy-019"})
        EXPECT_NE(some.find("\n" + std::string(topic)), std::string::npos) << some;
    EXPECT_EQ(some.find("more"), std::string::npos) << some;
}

}  // namespace
