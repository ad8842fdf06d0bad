// herald-send, the real binary, against a real peer: the private ejabberd's
// own XEP-0060 service, mod_pubsub on pubsub.localhost (flat nodes; the
// creator is owner and, with the default publish model, the only publisher).

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/private_ejabberd.h"
#include "tests/support/process.h"
#include "tests/support/received_stanza.h"
#include "tests/support/xmpp_test_client.h"

using namespace herald::testing;
using namespace std::chrono_literals;

namespace {

constexpr auto kWait = 15s;
constexpr auto kCommandDeadline = 40s;
constexpr const char* kPubsubService = "pubsub.localhost";
constexpr const char* kPubsubNs = "http://jabber.org/protocol/pubsub";

// A TCP socket on 127.0.0.1 that listens and never answers: the kernel
// completes connections from its backlog, nothing ever speaks XMPP.
class SilentListener {
public:
    SilentListener() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
            ::listen(fd_, 8) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
            throw std::runtime_error("SilentListener: cannot listen on 127.0.0.1");
        port_ = ntohs(address.sin_port);
    }
    ~SilentListener() {
        if (fd_ >= 0) ::close(fd_);
    }
    SilentListener(const SilentListener&) = delete;
    SilentListener& operator=(const SilentListener&) = delete;

    int port() const { return port_; }

private:
    int fd_;
    int port_ = 0;
};

// A loopback port nobody listens on (any more).
int closed_port() { return SilentListener().port(); }

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

class HeraldSendE2E : public ::testing::Test {
protected:
    static constexpr const char* kNode = "backups";

    void SetUp() override {
        ejabberd_.register_users({{"alice", password("alice")}, {"bob", password("bob")},
                                  {"carol", password("carol")}});
        std::filesystem::create_directories(work_dir());
    }

    static std::string password(const std::string& user) { return "pw-" + user + "-'\"$ &"; }

    std::filesystem::path work_dir() const { return ejabberd_.dir() / "herald-send"; }

    std::filesystem::path write_file(const std::string& name, const std::string& content) const {
        const auto path = work_dir() / name;
        std::ofstream(path, std::ios::binary) << content;
        return path;
    }

    // herald-send logged in as `user` through the private ejabberd's c2s
    // port, the password in HERALD_PASSWORD; with `standard_input`, stdin is
    // that file (through /bin/sh, since run_command gives /dev/null).
    CommandResult herald_send(const std::string& user, const std::string& user_password,
                              const std::vector<std::string>& arguments,
                              const std::optional<std::filesystem::path>& standard_input = std::nullopt,
                              std::optional<int> port = std::nullopt) {
        std::vector<std::string> argv{HERALD_SEND_BINARY, "--jid", ejabberd_.jid(user), "--server", "127.0.0.1",
                                      "--port", std::to_string(port.value_or(ejabberd_.c2s_port())),
                                      "--to", kPubsubService};
        argv.insert(argv.end(), arguments.begin(), arguments.end());
        std::map<std::string, std::string> environment{{"HERALD_PASSWORD", user_password}};
        if (standard_input) {
            argv.insert(argv.begin(), {"/bin/sh", "-c", "exec \"$0\" \"$@\" < \"$HERALD_SEND_STDIN\""});
            environment["HERALD_SEND_STDIN"] = standard_input->string();
        }
        CommandResult result = run_command(argv, kCommandDeadline, environment);
        EXPECT_FALSE(result.timed_out) << describe_command(argv);
        EXPECT_EQ(result.output.find(user_password), std::string::npos) << "the password was printed";
        return result;
    }

    CommandResult herald_send(const std::string& user, const std::vector<std::string>& arguments,
                              const std::optional<std::filesystem::path>& standard_input = std::nullopt) {
        return herald_send(user, password(user), arguments, standard_input);
    }

    std::unique_ptr<XmppTestClient> login(const std::string& user) {
        auto client = ejabberd_.client(user, password(user));
        EXPECT_TRUE(client->connect(kWait)) << client->last_error();
        client->send("<presence/>");
        return client;
    }

    std::optional<ReceivedStanza> pubsub_request(XmppTestClient& client, const std::string& payload) {
        return client.request(std::string("<iq type='set' to='") + kPubsubService + "'><pubsub xmlns='" +
                                  kPubsubNs + "'>" + payload + "</pubsub></iq>",
                              kWait);
    }

    void create_node(XmppTestClient& owner, const std::string& node) {
        const auto reply = pubsub_request(owner, "<create node='" + node + "'/>");
        ASSERT_TRUE(reply) << "no reply to create";
        ASSERT_EQ(reply->type(), "result") << reply->xml();
    }

    void subscribe(XmppTestClient& subscriber, const std::string& node) {
        const auto reply = pubsub_request(
            subscriber, "<subscribe node='" + node + "' jid='" + subscriber.bare_jid() + "'/>");
        ASSERT_TRUE(reply) << "no reply to subscribe";
        ASSERT_EQ(reply->type(), "result") << reply->xml();
    }

    // The pubsub event for item `item_id` of `node`, as the subscriber got it.
    std::optional<ReceivedStanza> event_item(XmppTestClient& subscriber, const std::string& node,
                                             const std::string& item_id) {
        const std::string path = "event[@xmlns='http://jabber.org/protocol/pubsub#event']/items[@node='" + node +
                                 "']/item[@id='" + item_id + "']";
        const auto message = subscriber.wait_for(
            [&](const ReceivedStanza& stanza) { return stanza.name() == "message" && stanza.has(path); }, kWait);
        if (!message) return std::nullopt;
        return message->find(path);
    }

    PrivateEjabberd ejabberd_;
};

TEST_F(HeraldSendE2E, PublishesAndTheSubscriberGetsTheNotification) {
    auto alice = login("alice");
    auto bob = login("bob");
    create_node(*alice, kNode);
    subscribe(*bob, kNode);

    const std::string title = "Backup failed <db1> & 'co'";
    const auto result = herald_send("alice", {"--node", kNode, "--title", title, "--body",
                                              "db1 nightly backup failed\nexit 2", "--link",
                                              "https://ci.example.org/job/42?a=1&b=2"});
    ASSERT_EQ(result.exit_code, 0) << result.output;
    const std::string item_id = trimmed(result.output);
    ASSERT_FALSE(item_id.empty());
    EXPECT_EQ(item_id.find('\n'), std::string::npos) << "more than the item id: " << result.output;

    const auto item = event_item(*bob, kNode, item_id);
    ASSERT_TRUE(item) << "bob got no event for item " << item_id;
    const auto notification = item->find("notification[@xmlns='urn:herald:0']");
    ASSERT_TRUE(notification) << *item;
    EXPECT_EQ(notification->text("title"), title);
    EXPECT_EQ(notification->text("body"), "db1 nightly backup failed\nexit 2");
    EXPECT_EQ(notification->text("link"), "https://ci.example.org/job/42?a=1&b=2");
    EXPECT_FALSE(notification->has_attr("priority"));
}

TEST_F(HeraldSendE2E, PrintsTheItemIdItChose) {
    auto alice = login("alice");
    auto bob = login("bob");
    create_node(*alice, kNode);
    subscribe(*bob, kNode);

    const auto result = herald_send("alice", {"--node", kNode, "--item-id", "nightly-2026-11-24", "--title", "t"});
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(trimmed(result.output), "nightly-2026-11-24");
    EXPECT_TRUE(event_item(*bob, kNode, "nightly-2026-11-24"));
}

TEST_F(HeraldSendE2E, BodyFromAFileFromStdinAndFromAPipedStdin) {
    auto alice = login("alice");
    auto bob = login("bob");
    create_node(*alice, kNode);
    subscribe(*bob, kNode);

    const auto log_tail = write_file("log-tail", "12:00 disk full on /var\n12:01 \x1b[31mbackup aborted\x1b[0m\n\n");
    const std::string expected_body = "12:00 disk full on /var\n12:01 backup aborted";  // colour codes stripped whole
    const std::vector<std::pair<std::string, CommandResult>> runs{
        {"--body-file FILE", herald_send("alice", {"--node", kNode, "--body-file", log_tail.string()})},
        {"--body - (stdin)", herald_send("alice", {"--node", kNode, "--body", "-"}, log_tail)},
        {"no --body, piped stdin", herald_send("alice", {"--node", kNode, "--title", "log"}, log_tail)},
    };
    for (const auto& [how, result] : runs) {
        ASSERT_EQ(result.exit_code, 0) << how << ": " << result.output;
        const auto item = event_item(*bob, kNode, trimmed(result.output));
        ASSERT_TRUE(item) << how;
        EXPECT_EQ(item->text("notification/body"), expected_body) << how << ": " << *item;
    }

    // An empty body and nothing else: nothing to publish.
    const auto empty = herald_send("alice", {"--node", kNode}, write_file("empty", "\n"));
    EXPECT_EQ(empty.exit_code, 65) << empty.output;
    EXPECT_NE(empty.output.find("nothing to publish"), std::string::npos) << empty.output;
}

TEST_F(HeraldSendE2E, WrongPasswordExits77) {
    const auto result = herald_send("alice", "not-the-password", {"--node", kNode, "--title", "t"});
    EXPECT_EQ(result.exit_code, 77) << result.output;
    EXPECT_NE(result.output.find("authentication failed for alice@localhost"), std::string::npos) << result.output;
}

TEST_F(HeraldSendE2E, PasswordFromAFile) {
    auto alice = login("alice");
    create_node(*alice, kNode);
    const auto password_file = write_file("password", password("alice") + "\n");
    // The file wins over the variable.
    const auto result = herald_send("alice", "not-the-password", {"--node", kNode, "--title", "t",
                                                                  "--password-file", password_file.string()});
    EXPECT_EQ(result.exit_code, 0) << result.output;
}

TEST_F(HeraldSendE2E, ClosedPortExits69) {
    const int port = closed_port();
    const auto result = herald_send("alice", password("alice"), {"--node", kNode, "--title", "t"}, std::nullopt, port);
    EXPECT_EQ(result.exit_code, 69) << result.output;
    EXPECT_NE(result.output.find("cannot connect to 127.0.0.1:" + std::to_string(port)), std::string::npos)
        << result.output;
}

TEST_F(HeraldSendE2E, ServerThatNeverAnswersTimesOutWith75) {
    const SilentListener silent;
    const auto started = std::chrono::steady_clock::now();
    const auto result = herald_send("alice", password("alice"), {"--node", kNode, "--title", "t", "--timeout", "2"},
                                    std::nullopt, silent.port());
    EXPECT_EQ(result.exit_code, 75) << result.output;
    EXPECT_NE(result.output.find("timed out"), std::string::npos) << result.output;
    EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

TEST_F(HeraldSendE2E, NodeOfAnotherOwnerIsForbidden) {
    auto alice = login("alice");
    create_node(*alice, kNode);  // publish model: publishers, i.e. alice only

    const auto result = herald_send("carol", {"--node", kNode, "--title", "not mine"});
    EXPECT_EQ(result.exit_code, 77) << result.output;
    EXPECT_NE(result.output.find("publish to node 'backups' on pubsub.localhost failed: forbidden"),
              std::string::npos)
        << result.output;
}

// The binary alone: no server needed.
TEST(HeraldSendCommandTest, HelpAndUsageErrors) {
    const auto help = run_command({HERALD_SEND_BINARY, "--help"}, kCommandDeadline);
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.output.find("Examples:"), std::string::npos) << help.output;

    const auto no_node = run_command({HERALD_SEND_BINARY, "--jid", "a@localhost", "--to", kPubsubService},
                                     kCommandDeadline, {{"HERALD_PASSWORD", "x"}});
    EXPECT_EQ(no_node.exit_code, 64);
    EXPECT_NE(no_node.output.find("--node NODE is required"), std::string::npos) << no_node.output;

    const auto password_argument =
        run_command({HERALD_SEND_BINARY, "--jid", "a@localhost", "--to", kPubsubService, "--node", "n",
                     "--password", "hunter2"},
                    kCommandDeadline);
    EXPECT_EQ(password_argument.exit_code, 64);
    EXPECT_EQ(password_argument.output.find("hunter2"), std::string::npos) << password_argument.output;
}

}  // namespace
