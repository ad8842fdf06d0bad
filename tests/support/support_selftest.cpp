// Self-test of the end-to-end test infrastructure: stanza matching, child
// processes and log files on their own, then XmppTestClient against a real
// private ejabberd.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <string>
#include <thread>

#include <csignal>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "log_file.h"
#include "private_ejabberd.h"
#include "process.h"
#include "received_stanza.h"
#include "xmpp_test_client.h"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kXmppDeadline = 10s;

// ---------------------------------------------------------------- stanzas

constexpr const char* kDeliveredNotification = R"(
<message type='chat' from='notify.localhost' to='alice@localhost/phone' id='m1'>
  <body>[backups] Backup failed &amp; more</body>
  <event xmlns='http://jabber.org/protocol/pubsub#event'>
    <items node='backups'>
      <item id='i1'><entry xmlns='http://www.w3.org/2005/Atom'><title>one</title></entry></item>
      <item id='i2'><entry xmlns='http://www.w3.org/2005/Atom'><title>two</title></entry></item>
    </items>
  </event>
  <request xmlns='urn:xmpp:receipts'/>
  <x xmlns='jabber:x:data' type='result'>
    <field var='FORM_TYPE'><value>urn:herald:0</value></field>
    <field var='priority'><value>high</value></field>
  </x>
</message>)";

TEST(ReceivedStanzaTest, FindsElementsByPath)
{
    const auto message = ReceivedStanza::parse(kDeliveredNotification);
    EXPECT_EQ(message.name(), "message");
    EXPECT_EQ(message.ns(), "jabber:client");
    EXPECT_EQ(message.attr("type"), "chat");
    EXPECT_EQ(message.from(), "notify.localhost");
    EXPECT_EQ(message.attr("missing"), "");
    EXPECT_FALSE(message.has_attr("missing"));
    EXPECT_EQ(message.text("body"), "[backups] Backup failed & more");

    ASSERT_TRUE(message.has("event/items/item"));
    EXPECT_EQ(message.find("event/items/item")->attr("id"), "i1");
    const auto items = message.find_all("event/items/item");
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(items[1].attr("id"), "i2");
    EXPECT_EQ(items[1].text("entry/title"), "two");
    EXPECT_EQ(message.find_all("event/items/item/entry[@xmlns='http://www.w3.org/2005/Atom']").size(), 2u);

    EXPECT_TRUE(message.has("event[@xmlns='http://jabber.org/protocol/pubsub#event']/items[@node='backups']"));
    EXPECT_FALSE(message.has("event[@xmlns='urn:other']"));
    EXPECT_FALSE(message.has("event/items[@node='other']"));
    EXPECT_TRUE(message.has("request[@xmlns=\"urn:xmpp:receipts\"]"));
    EXPECT_EQ(message.text("x/field[@var='priority']/value"), "high");
    EXPECT_TRUE(message.has("*/items/item[@id]"));
    EXPECT_FALSE(message.has("body/item"));
    // Children inherit the namespace of their parent.
    EXPECT_EQ(message.find("event/items")->ns(), "http://jabber.org/protocol/pubsub#event");

    // A found element keeps the tree alive on its own.
    std::optional<ReceivedStanza> title;
    {
        const auto copy = ReceivedStanza::parse(kDeliveredNotification);
        title = copy.find("event/items/item/entry/title");
    }
    ASSERT_TRUE(title);
    EXPECT_EQ(title->text(), "one");
}

TEST(ReceivedStanzaTest, SerializesForFailureMessages)
{
    const auto iq = ReceivedStanza::parse(
        "<iq type='result' id='a&amp;b'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
        "<publish node='n'><item id='x'/></publish></pubsub></iq>");
    EXPECT_EQ(iq.xml(),
              "<iq id='a&amp;b' type='result'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
              "<publish node='n'><item id='x'/></publish></pubsub></iq>");
    std::ostringstream printed;
    printed << *iq.find("pubsub");
    EXPECT_EQ(printed.str(),
              "<pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n'><item id='x'/>"
              "</publish></pubsub>");
}

TEST(ReceivedStanzaTest, RejectsMalformedInput)
{
    EXPECT_THROW(ReceivedStanza::parse("<message><body></message>"), std::invalid_argument);
    const auto message = ReceivedStanza::parse("<message/>");
    EXPECT_THROW(message.find(""), std::invalid_argument);
    EXPECT_THROW(message.find("a//b"), std::invalid_argument);
    EXPECT_THROW(message.find("a[@x='1'"), std::invalid_argument);
    EXPECT_THROW(message.find("a[x='1']"), std::invalid_argument);
    EXPECT_THROW(message.find("a[@x=1]"), std::invalid_argument);
}

// ---------------------------------------------------------------- processes

class ScratchDir {
public:
    ScratchDir()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "herald-selftest-XXXXXX").string();
        if (!::mkdtemp(pattern.data()))
            throw std::runtime_error("mkdtemp failed for " + pattern);
        path_ = pattern;
    }
    ~ScratchDir() { std::filesystem::remove_all(path_); }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

TEST(ChildProcessTest, RunCommandCapturesOutputAndExitCode)
{
    const auto result = run_command({"sh", "-c", "echo out; echo err >&2; exit 3"}, 10s);
    EXPECT_FALSE(result.timed_out);
    EXPECT_EQ(result.exit_code, 3);
    EXPECT_NE(result.output.find("out\n"), std::string::npos) << result.output;
    EXPECT_NE(result.output.find("err\n"), std::string::npos) << result.output;
}

TEST(ChildProcessTest, RunCommandKillsAtTheDeadline)
{
    const auto started = std::chrono::steady_clock::now();
    const auto result = run_command({"sleep", "30"}, 200ms);
    EXPECT_TRUE(result.timed_out);
    EXPECT_EQ(result.exit_code, 128 + SIGKILL);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(ChildProcessTest, SignalsWaitsAndPassesEnvironment)
{
    ScratchDir scratch;
    const auto log_path = scratch.path() / "child.log";
    ChildProcess child({"sh", "-c", "echo \"ready $HERALD_SELFTEST_VALUE\"; exec sleep 30"}, log_path,
                       {{"HERALD_SELFTEST_VALUE", "42"}});
    LogFile log(log_path);
    EXPECT_TRUE(log.wait_for("ready 42", 10s)) << log.contents();
    EXPECT_TRUE(child.running());
    EXPECT_FALSE(child.wait_exit(50ms));
    child.signal(SIGTERM);
    EXPECT_EQ(child.wait_exit(10s), 128 + SIGTERM);
    EXPECT_FALSE(child.running());
}

TEST(ChildProcessTest, ReportsAMissingProgram)
{
    ScratchDir scratch;
    try {
        ChildProcess missing({"/nonexistent/herald"}, scratch.path() / "missing.log");
        // posix_spawn without exec-failure reporting (e.g. under valgrind)
        EXPECT_EQ(missing.wait_exit(10s), 127);
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find("/nonexistent/herald"), std::string::npos) << error.what();
    }
}

TEST(LogFileTest, WaitsForTheNextOccurrence)
{
    ScratchDir scratch;
    const auto path = scratch.path() / "growing.log";
    LogFile log(path);
    EXPECT_EQ(log.size(), 0u);
    EXPECT_FALSE(log.wait_for("anything", 50ms));

    std::thread writer([path] {
        std::ofstream out(path, std::ios::app);
        out << "presence alice available\nnoise\n" << std::flush;
        std::this_thread::sleep_for(100ms);  // a writer that takes its time, not synchronization
        out << "presence alice away\npresence alice unava" << std::flush;
        std::this_thread::sleep_for(100ms);
        out << "ilable\n" << std::flush;
    });
    const auto first = log.wait_for("presence alice", 10s);
    const auto second = log.wait_for(std::regex("presence alice (away|xa)"), 10s);
    const auto third = log.wait_for("presence alice", 10s);
    writer.join();
    EXPECT_EQ(first, "presence alice available");
    EXPECT_EQ(second, "presence alice away");
    EXPECT_EQ(third, "presence alice unavailable");
    EXPECT_FALSE(log.wait_for("presence alice", 50ms));

    // From a mark: only what came after it.
    const auto mark = log.size();
    { std::ofstream(path, std::ios::app) << "presence alice dnd\n"; }
    EXPECT_EQ(log.wait_for("presence", 10s, mark), "presence alice dnd");
    EXPECT_EQ(wait_for_line_in_file(path, "available", 1s), "presence alice available");
    EXPECT_EQ(log.tail(2), "presence alice unavailable\npresence alice dnd\n");
}

// ---------------------------------------------------------------- ejabberd

class PrivateEjabberdTest : public ::testing::Test {
protected:
    // One instance for the suite: starting ejabberd takes seconds.
    static void SetUpTestSuite()
    {
        try {
            ejabberd_ = std::make_unique<PrivateEjabberd>();
            ejabberd_->register_users({{"alice", "alice-secret"}, {"bob", "bob-secret"}});
        } catch (const std::exception& error) {
            ejabberd_.reset();
            start_error_ = error.what();
        }
    }
    static void TearDownTestSuite() { ejabberd_.reset(); }

    void SetUp() override { ASSERT_TRUE(ejabberd_) << start_error_; }

    std::unique_ptr<XmppTestClient> connected(const std::string& user, const std::string& resource)
    {
        auto client = ejabberd_->client(user, user + "-secret", resource);
        EXPECT_TRUE(client->connect(kXmppDeadline)) << client->last_error();
        return client;
    }

    inline static std::unique_ptr<PrivateEjabberd> ejabberd_;
    inline static std::string start_error_;
};

TEST_F(PrivateEjabberdTest, ParsesThePortsFile)
{
    EXPECT_EQ(ejabberd_->domain(), "localhost");
    EXPECT_EQ(ejabberd_->component_host(), "notify.localhost");
    EXPECT_FALSE(ejabberd_->component_secret().empty());
    EXPECT_GT(ejabberd_->c2s_port(), 0);
    EXPECT_GT(ejabberd_->component_port(), 0);
    EXPECT_GT(ejabberd_->http_port(), 0);
    EXPECT_NE(ejabberd_->c2s_port(), ejabberd_->component_port());
    EXPECT_TRUE(std::filesystem::is_directory(ejabberd_->dir()));
}

TEST_F(PrivateEjabberdTest, ExchangesAChatMessage)
{
    auto alice = connected("alice", "laptop");
    auto bob = connected("bob", "phone");
    ASSERT_TRUE(alice->connected() && bob->connected());
    EXPECT_EQ(bob->jid(), "bob@localhost/phone");
    EXPECT_EQ(bob->bare_jid(), "bob@localhost");

    alice->send("<message type='chat' to='" + bob->jid() + "' id='" + alice->next_id() +
                "'><body>first</body></message>");
    alice->send("<message type='chat' to='" + bob->jid() + "' id='" + alice->next_id() +
                "'><body>second &amp; last</body></message>");

    // Waiting for the second leaves the first queued for a later wait.
    const auto second = bob->wait_for(
        [](const ReceivedStanza& s) { return s.name() == "message" && s.text("body") == "second & last"; },
        kXmppDeadline);
    ASSERT_TRUE(second) << "received: " << ::testing::PrintToString(bob->received());
    EXPECT_EQ(second->from(), alice->jid());
    EXPECT_EQ(second->type(), "chat");

    const auto first = bob->wait_for(
        [](const ReceivedStanza& s) { return s.name() == "message" && s.has("body"); }, kXmppDeadline);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->text("body"), "first");

    // Nothing else: a short wait times out.
    EXPECT_FALSE(bob->wait_for([](const ReceivedStanza& s) { return s.name() == "message"; }, 200ms));
    EXPECT_FALSE(alice->disconnected());
    EXPECT_FALSE(bob->disconnected());
}

TEST_F(PrivateEjabberdTest, RequestsReachTheServer)
{
    auto alice = connected("alice", "disco");

    const auto info = alice->request(
        "<iq type='get' to='localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>",
        kXmppDeadline);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->type(), "result") << *info;
    EXPECT_TRUE(info->has("query[@xmlns='http://jabber.org/protocol/disco#info']/identity[@category='server']"))
        << *info;

    const std::string id = alice->next_id();
    const auto pong = alice->request(
        "<iq type='get' to='localhost' id='" + id + "'><ping xmlns='urn:xmpp:ping'/></iq>", kXmppDeadline);
    ASSERT_TRUE(pong);
    EXPECT_EQ(pong->id(), id);
    EXPECT_EQ(pong->type(), "result") << *pong;

    const auto refused = alice->request(
        "<iq type='get' to='localhost'><query xmlns='urn:herald:no-such-thing'/></iq>", kXmppDeadline);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->type(), "error") << *refused;

    EXPECT_THROW(alice->request("<iq type='get'>", kXmppDeadline), std::invalid_argument);
    EXPECT_THROW(alice->request("<message/>", kXmppDeadline), std::invalid_argument);
}

TEST_F(PrivateEjabberdTest, AnswersAndRecordsIqsSentToTheClient)
{
    auto alice = connected("alice", "asker");
    auto bob = connected("bob", "answerer");

    // Default responder: pings get a result, anything else service-unavailable.
    const auto pong = alice->request(
        "<iq type='get' to='" + bob->jid() + "'><ping xmlns='urn:xmpp:ping'/></iq>", kXmppDeadline);
    ASSERT_TRUE(pong);
    EXPECT_EQ(pong->type(), "result") << *pong;
    const auto refused = alice->request(
        "<iq type='get' to='" + bob->jid() + "'><query xmlns='jabber:iq:version'/></iq>", kXmppDeadline);
    ASSERT_TRUE(refused);
    EXPECT_TRUE(refused->has("error/service-unavailable[@xmlns='urn:ietf:params:xml:ns:xmpp-stanzas']"))
        << *refused;
    // Bob saw both.
    EXPECT_TRUE(bob->wait_for([](const ReceivedStanza& s) { return s.has("ping"); }, kXmppDeadline));
    EXPECT_TRUE(bob->wait_for([](const ReceivedStanza& s) { return s.has("query"); }, kXmppDeadline));

    // A test can hold the answer back and give it itself.
    bob->set_iq_responder([](const ReceivedStanza&) { return std::nullopt; });
    const std::string id = alice->next_id();
    alice->send("<iq type='get' id='" + id + "' to='" + bob->jid() + "'><ping xmlns='urn:xmpp:ping'/></iq>");
    const auto ping = bob->wait_for([&id](const ReceivedStanza& s) { return s.id() == id; }, kXmppDeadline);
    ASSERT_TRUE(ping);
    EXPECT_FALSE(alice->wait_for([&id](const ReceivedStanza& s) { return s.id() == id; }, 300ms));
    bob->send(iq_result_for(*ping));
    const auto answer = alice->wait_for([&id](const ReceivedStanza& s) { return s.id() == id; }, kXmppDeadline);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->type(), "result");
    EXPECT_EQ(answer->from(), bob->jid());
}

TEST_F(PrivateEjabberdTest, RejectsAWrongPassword)
{
    auto intruder = ejabberd_->client("alice", "wrong", "intruder");
    EXPECT_FALSE(intruder->connect(kXmppDeadline));
    EXPECT_FALSE(intruder->last_error().empty());
    EXPECT_FALSE(intruder->connected());
}

TEST_F(PrivateEjabberdTest, NoticesTheServerGoingAwayAndReconnects)
{
    auto alice = connected("alice", "restart");
    const int c2s_port = ejabberd_->c2s_port();
    EXPECT_FALSE(alice->disconnected());

    ejabberd_->stop();
    EXPECT_TRUE(alice->wait_disconnected(kXmppDeadline));
    EXPECT_TRUE(alice->disconnected());
    EXPECT_FALSE(alice->connected());
    EXPECT_FALSE(alice->last_error().empty());

    ejabberd_->start();
    EXPECT_EQ(ejabberd_->c2s_port(), c2s_port);
    ASSERT_TRUE(alice->connect(kXmppDeadline)) << alice->last_error();
    EXPECT_FALSE(alice->disconnected());
    const auto pong = alice->request("<iq type='get' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>",
                                     kXmppDeadline);
    ASSERT_TRUE(pong);
    EXPECT_EQ(pong->type(), "result");

    alice->disconnect();  // our own close is not "disconnected by the server"
    EXPECT_FALSE(alice->disconnected());
    EXPECT_FALSE(alice->connected());
}

}  // namespace
}  // namespace herald::testing
