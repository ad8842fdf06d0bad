// `herald ingest-mail` as an MTA runs it: a fixture piped into the real
// binary, published through the running daemon's HTTP API, delivered through
// ejabberd to a subscribed client; and every failure with its exit status.

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "tests/e2e/herald_e2e_fixture.h"
#include "tests/support/process.h"

using namespace herald::testing;
using namespace std::chrono_literals;

namespace {

constexpr const char* kMailDomain = "notify-mail.example.org";

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(HERALD_SOURCE_DIR) + "/tests/fixtures/mail/" + name, std::ios::binary);
    EXPECT_TRUE(in) << name;
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class MailIngestE2E : public HeraldE2E {
protected:
    std::string extra_config() const override { return "http:\n  enabled: true\n  port: 0\n"; }

    void SetUp() override {
        HeraldE2E::SetUp();
        const int port = http_api_port();
        ASSERT_GT(port, 0) << herald_->log().tail();
        // What the MTA's user reads: the API's address, and a component
        // secret file it cannot read (ingest-mail never needs it).
        config_ = ejabberd_.dir() / "mail-pipe.yaml";
        std::ofstream(config_) << "component:\n  jid: " << component() << "\n  secret_file: /nonexistent/secret\n"
                               << "http:\n  enabled: true\n  port: " << port << "\n";
    }

    std::filesystem::path write_message(const std::string& name, const std::string& content) {
        const auto path = ejabberd_.dir() / name;
        std::ofstream(path, std::ios::binary) << content;
        return path;
    }

    // herald ingest-mail with `message` on stdin (through /bin/sh, since
    // run_command gives /dev/null), as a Postfix pipe runs it.
    CommandResult ingest(const std::filesystem::path& message, const std::optional<std::string>& recipient,
                         const std::string& token = {}, const std::vector<std::string>& options = {}) {
        std::vector<std::string> argv{"/bin/sh", "-c", "exec \"$0\" \"$@\" < \"$MAIL_INPUT\"", HERALD_BINARY,
                                      "ingest-mail", "--config", config_.string(), "--timeout", "10"};
        if (recipient) argv.insert(argv.end(), {"--recipient", *recipient});
        argv.insert(argv.end(), options.begin(), options.end());
        const auto result = run_command(argv, 30s, {{"MAIL_INPUT", message.string()}});
        EXPECT_FALSE(result.timed_out);
        if (!token.empty()) {
            EXPECT_EQ(result.output.find(token), std::string::npos) << "the token was printed";
        }
        if (result.exit_code != 0) {
            EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1)
                << "one line for the bounce: " << result.output;
        }
        return result;
    }

    std::int64_t items_on(const std::string& node) {
        return count_rows(herald_->database_path(), "SELECT count(*) FROM items WHERE node = ?1", node);
    }

    std::filesystem::path config_;
};

TEST_F(MailIngestE2E, PipedMailReachesTheSubscriber) {
    auto alice = online_user("alice");
    create_node(*alice, "ops/backups");
    auto bob = online_user("bob");
    subscribe(*bob, "ops/backups");
    const auto token = make_token(*alice, "ops/backups", "mail");
    ASSERT_EQ(token.size(), 64u);

    const auto address = "ops=2Fbackups+" + token + "@" + kMailDomain;
    const auto result = ingest(write_message("alt.eml", fixture("multipart_alternative.eml")), address, token);
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(result.output, "");
    auto message = next_notification(*bob);
    ASSERT_TRUE(message);
    const auto notification = message->find("notification/notification");
    ASSERT_TRUE(notification) << message->xml();
    EXPECT_EQ(notification->text("title"), "Backup failed on db1");
    EXPECT_EQ(notification->text("body"), "The nightly backup of db1 failed.\n\nLog: https://ci.example.org/job/42.");
    EXPECT_EQ(notification->text("link"), "https://ci.example.org/job/42");
    EXPECT_EQ(notification->attr("priority"), "high");

    // No --recipient: the Delivered-To header the MTA added names the topic;
    // ISO-8859-1 quoted-printable arrives as UTF-8.
    const auto delivered = "Delivered-To: " + address + "\n" + fixture("iso_8859_1_quoted_printable.eml");
    ASSERT_EQ(ingest(write_message("latin1.eml", delivered), std::nullopt, token).exit_code, 0);
    auto latin1 = next_notification(*bob);
    ASSERT_TRUE(latin1);
    EXPECT_EQ(latin1->text("notification/notification/title"), "Alerte température");
    EXPECT_NE(latin1->text("notification/notification/body").find("42 °C"), std::string::npos) << latin1->xml();
}

// With a token file the address names the topic only: the MTA logs an
// address that holds no secret.
TEST_F(MailIngestE2E, ATokenFileKeepsTheTokenOutOfTheAddress) {
    auto alice = online_user("alice");
    create_node(*alice, "ops/backups");
    auto bob = online_user("bob");
    subscribe(*bob, "ops/backups");
    const auto token = make_token(*alice, "ops/backups", "mail");
    const auto tokens = ejabberd_.dir() / "mail-tokens";
    std::ofstream(tokens) << "# topic token\nops/backups " << token << "\n";
    std::filesystem::permissions(tokens, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    const std::vector<std::string> with_file{"--token-file", tokens.string()};
    const auto message = write_message("alt.eml", fixture("multipart_alternative.eml"));

    const auto result = ingest(message, std::string("ops=2Fbackups@") + kMailDomain, token, with_file);
    ASSERT_EQ(result.exit_code, 0) << result.output;
    auto delivered = next_notification(*bob);
    ASSERT_TRUE(delivered);
    EXPECT_EQ(delivered->text("notification/notification/title"), "Backup failed on db1");

    EXPECT_EQ(ingest(message, std::string("elsewhere@") + kMailDomain, token, with_file).exit_code, 67)
        << "a topic the file has no token for";
    EXPECT_EQ(ingest(message, std::string("ops=2Fbackups@") + kMailDomain, token).exit_code, 67) << "no file";
    std::filesystem::permissions(tokens, std::filesystem::perms::others_read, std::filesystem::perm_options::add);
    EXPECT_EQ(ingest(message, std::string("ops=2Fbackups@") + kMailDomain, token, with_file).exit_code, 78)
        << "a token file every user can read";
    EXPECT_EQ(items_on("ops/backups"), 1);
}

// A wrong token bounces as an unknown topic does (67): herald's answer does
// not say which topics exist. Only a token that cannot be one is 77.
TEST_F(MailIngestE2E, WrongTokenExitsAsAnUnknownTopicAndStoresNothing) {
    auto alice = online_user("alice");
    create_node(*alice, "backups");
    create_node(*alice, "other");
    const auto other_token = make_token(*alice, "other", "mail");
    const auto message = write_message("alt.eml", fixture("multipart_alternative.eml"));
    const std::string wrong(64, 'a');

    const auto unknown = ingest(message, "backups+" + wrong + "@" + kMailDomain, wrong);
    EXPECT_EQ(unknown.exit_code, 67) << unknown.output;
    EXPECT_NE(unknown.output.find("herald ingest-mail: "), std::string::npos) << unknown.output;
    const auto foreign = ingest(message, "backups+" + other_token + "@" + kMailDomain, other_token);
    EXPECT_EQ(foreign.exit_code, 67) << "a token is for its own topic: " << foreign.output;
    const auto malformed = ingest(message, std::string("backups+not-a-token@") + kMailDomain);
    EXPECT_EQ(malformed.exit_code, 77) << malformed.output;
    storage_barrier(*alice);
    EXPECT_EQ(items_on("backups"), 0);
}

TEST_F(MailIngestE2E, UnknownTopicOrNoTokenExits67) {
    auto alice = online_user("alice");
    create_node(*alice, "backups");
    const auto token = make_token(*alice, "backups", "mail");
    const auto message = write_message("alt.eml", fixture("multipart_alternative.eml"));
    const auto unknown = ingest(message, "nosuchtopic+" + token + "@" + kMailDomain, token);
    EXPECT_EQ(unknown.exit_code, 67) << unknown.output;
    const auto no_token = ingest(message, std::string("backups@") + kMailDomain);
    EXPECT_EQ(no_token.exit_code, 67) << no_token.output;
    EXPECT_EQ(items_on("backups"), 0);
}

TEST_F(MailIngestE2E, StoppedDaemonExits75SoTheMtaRetries) {
    auto alice = online_user("alice");
    create_node(*alice, "backups");
    const auto token = make_token(*alice, "backups", "mail");
    ASSERT_EQ(herald_->stop(), 0);
    const auto result = ingest(write_message("alt.eml", fixture("multipart_alternative.eml")),
                               "backups+" + token + "@" + kMailDomain, token);
    EXPECT_EQ(result.exit_code, 75) << result.output;
    EXPECT_NE(result.output.find("try again later"), std::string::npos) << result.output;
}

TEST_F(MailIngestE2E, GarbageExits65AndConfigProblemsExit78) {
    auto alice = online_user("alice");
    create_node(*alice, "backups");
    const auto token = make_token(*alice, "backups", "mail");
    const auto address = "backups+" + token + "@" + kMailDomain;
    const auto garbage = ingest(write_message("garbage.bin", std::string("\x00\x01\xff not a mail\n\x7f", 17)), address, token);
    EXPECT_EQ(garbage.exit_code, 65) << garbage.output;
    EXPECT_EQ(items_on("backups"), 0);

    std::ofstream(config_) << "component:\n  jid: " << component() << "\n  secret: s\nhttp:\n  enabled: false\n";
    const auto disabled = ingest(write_message("alt.eml", fixture("multipart_alternative.eml")), address, token);
    EXPECT_EQ(disabled.exit_code, 78) << disabled.output;
    const auto usage = run_command({HERALD_BINARY, "ingest-mail"}, 10s);
    EXPECT_EQ(usage.exit_code, 64) << usage.output;
}

}  // namespace
