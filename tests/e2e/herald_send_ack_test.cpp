// herald-send --ack --wait, the real binary, against a private ejabberd and
// the real herald: the publisher waits until a subscriber acknowledges the
// item (PROTOCOL.md, "Acknowledgements"), or exits 75 when nobody does.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "tests/e2e/herald_e2e_fixture.h"
#include "tests/support/log_file.h"
#include "tests/support/process.h"

namespace herald::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kCommandDeadline = std::chrono::seconds(40);

class HeraldSendAckE2E : public HeraldE2E {
protected:
    // herald-send logged in as alice (the owner of "backups", from
    // with_topic()), publishing to herald.
    std::vector<std::string> herald_send_argv(const std::vector<std::string>& arguments) const {
        std::vector<std::string> argv{HERALD_SEND_BINARY, "--jid",  ejabberd_.jid("alice"),
                                      "--server",         "127.0.0.1", "--port",
                                      std::to_string(ejabberd_.c2s_port()),
                                      "--tls",            "off",    "--to",
                                      component(),        "--node", "backups"};
        argv.insert(argv.end(), arguments.begin(), arguments.end());
        return argv;
    }

    static std::map<std::string, std::string> alice_password() { return {{"HERALD_PASSWORD", "secret-alice"}}; }

    // The first line herald-send printed: the published item's id.
    static std::string first_line(const std::string& output) { return output.substr(0, output.find('\n')); }
};

TEST_F(HeraldSendAckE2E, WaitRunsOutWith75WhenNobodyAcknowledges) {
    with_topic();
    const auto started = Clock::now();
    const auto argv = herald_send_argv({"--title", "db1 down", "--ack", "--wait", "2"});
    const CommandResult result = run_command(argv, kCommandDeadline, alice_password());
    const auto took = Clock::now() - started;
    ASSERT_FALSE(result.timed_out) << describe_command(argv);
    EXPECT_EQ(result.exit_code, 75) << result.output;
    EXPECT_NE(result.output.find("nobody acknowledged item"), std::string::npos) << result.output;
    EXPECT_NE(result.output.find("within 2 seconds"), std::string::npos) << result.output;
    EXPECT_GE(took, std::chrono::seconds(2)) << "it did not wait";
    EXPECT_LT(took, kWait) << "it waited far past --wait";

    // Published all the same: its id came first, and bob got it.
    const std::string item_id = first_line(result.output);
    ASSERT_FALSE(item_id.empty()) << result.output;
    const auto delivered = next_notification(*bob_);
    ASSERT_TRUE(delivered) << "bob got no notification";
    EXPECT_EQ(delivered->text("notification/notification/title"), "db1 down") << delivered->xml();
    EXPECT_EQ(delivered->find("notification")->attr("item"), item_id) << delivered->xml();
    EXPECT_TRUE(delivered->has("ack-request[@xmlns='urn:herald:0'][@item='" + item_id + "']")) << delivered->xml();
}

// Waits on the server side of issue 18: herald must send the publisher the
// <acknowledged/> message once bob says "ack".
TEST_F(HeraldSendAckE2E, WaitEndsWhenASubscriberAcknowledges) {
    with_topic();
    const auto output = ejabberd_.dir() / "herald-send-ack.out";
    const auto argv = herald_send_argv({"--title", "db1 down", "--ack", "--wait", "60"});
    ChildProcess herald_send(argv, output, alice_password());

    const auto delivered = next_notification(*bob_);
    ASSERT_TRUE(delivered) << "bob got no notification; herald-send said: " << LogFile(output).contents();
    EXPECT_TRUE(delivered->has("ack-request[@xmlns='urn:herald:0']")) << delivered->xml();
    EXPECT_EQ(herald_send.wait_exit(std::chrono::milliseconds(500)), std::nullopt)
        << "herald-send ended before anyone acknowledged: " << LogFile(output).contents();
    bob_->send(chat(component(), "ack"));

    const auto status = herald_send.wait_exit(kWait);
    const std::string printed = LogFile(output).contents();
    ASSERT_TRUE(status) << "herald-send still waits after bob acknowledged; it printed: " << printed;
    EXPECT_EQ(*status, 0) << printed;
    const std::string item_id = first_line(printed);
    EXPECT_EQ(delivered->find("ack-request") ? delivered->find("ack-request")->attr("item") : "", item_id)
        << printed;
    std::smatch acknowledged;
    ASSERT_TRUE(std::regex_search(printed, acknowledged,
                                  std::regex("\nacknowledged by " + bob_->bare_jid() + R"( at (\S+)\n)")))
        << printed;
    EXPECT_TRUE(std::regex_match(acknowledged[1].str(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)")))
        << acknowledged[1];
}

// herald-send relies on ejabberd routing a message to the full JID of a
// session that never sent presence (it sends none, so that it never gets
// anybody's chat traffic).
TEST_F(HeraldSendAckE2E, SessionWithoutPresenceGetsMessagesToItsFullJid) {
    ejabberd_.register_user("quiet", "secret-quiet");
    auto quiet = ejabberd_.client("quiet", "secret-quiet", "waiting");
    ASSERT_TRUE(quiet->connect(kWait)) << quiet->last_error();
    auto sender = login("sender");
    sender->send("<message to='" + quiet->jid() + "'><acknowledged xmlns='urn:herald:0' node='n' item='i'/></message>");
    EXPECT_TRUE(quiet->wait_for([](const ReceivedStanza& s) { return s.name() == "message" && s.has("acknowledged"); },
                                kWait));
}

// The binary alone: no server needed.
TEST(HeraldSendAckCommandTest, WaitWithoutAckIsAUsageError) {
    const auto result = run_command({HERALD_SEND_BINARY, "--jid", "a@localhost", "--to", "notify.localhost",
                                     "--node", "n", "--title", "t", "--wait", "10"},
                                    kCommandDeadline, {{"HERALD_PASSWORD", "x"}});
    EXPECT_EQ(result.exit_code, 64) << result.output;
    EXPECT_NE(result.output.find("--wait needs --ack"), std::string::npos) << result.output;

    const auto bad_renotify = run_command({HERALD_SEND_BINARY, "--jid", "a@localhost", "--to", "notify.localhost",
                                           "--node", "n", "--title", "t", "--ack", "--renotify", "0"},
                                          kCommandDeadline, {{"HERALD_PASSWORD", "x"}});
    EXPECT_EQ(bad_renotify.exit_code, 64) << bad_renotify.output;
}

}  // namespace
}  // namespace herald::testing
