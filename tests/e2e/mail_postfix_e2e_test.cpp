// Mail through a real Postfix (Debian's package), set up as docs/mail.md
// tells an operator: its master.cf service, main.cf lines and transport map
// are read from the document itself. Mail sent over SMTP reaches a
// subscribed client; while herald is stopped `herald ingest-mail` exits 75
// and Postfix keeps the mail; a queue run once herald is back delivers it.
// Skipped only where Postfix is not installed or we are not root (CI is).

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <grp.h>
#include <pwd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <regex>
#include <set>

#include "tests/e2e/herald_e2e_fixture.h"
#include "tests/support/log_file.h"
#include "tests/support/process.h"

using namespace herald::testing;
using namespace std::chrono_literals;

namespace {

constexpr const char* kMailDomain = "notify-mail.example.org";
constexpr const char* kPipeUser = "herald-mail";  // the user docs/mail.md has the operator make

int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    ::close(fd);
    return ok ? ntohs(address.sin_port) : 0;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The first fenced block after the line that mentions `marker`.
std::string code_block_after(const std::string& document, const std::string& marker) {
    const auto mentioned = document.find(marker);
    if (mentioned == std::string::npos) return "";
    const auto open = document.find("```", mentioned);
    const auto start = document.find('\n', open) + 1;
    const auto close = document.find("\n```", start);
    return open == std::string::npos || close == std::string::npos ? "" : document.substr(start, close - start + 1);
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

bool postfix_usable(std::string& why) {
    if (::geteuid() != 0) return why = "a private Postfix needs root", false;
    if (!std::filesystem::exists("/usr/sbin/postfix")) return why = "Postfix is not installed (scripts/setup)", false;
    return true;
}

// A Postfix of its own: config, queue and data directories in a temporary
// directory, SMTP on a loopback port, logging to a file; stopped and removed
// by the destructor.
class PrivatePostfix {
public:
    // The pipe runs `herald` with `herald_config`, as the pipe user.
    PrivatePostfix(const std::filesystem::path& dir, const std::filesystem::path& herald,
                   const std::filesystem::path& herald_config)
        : dir_(dir), etc_(dir / "etc"), smtp_port_(free_port()), log_(dir / "maillog") {
        std::filesystem::create_directories(etc_);
        std::filesystem::create_directories(dir / "queue");
        std::filesystem::create_directories(dir / "data");
        if (const auto* owner = ::getpwnam("postfix")) {
            EXPECT_EQ(::chown((dir / "data").c_str(), owner->pw_uid, owner->pw_gid), 0);
        }
        const auto docs = read_file(std::string(HERALD_SOURCE_DIR) + "/docs/mail.md");
        auto as_documented = [&](const std::string& block) {
            EXPECT_FALSE(block.empty()) << "docs/mail.md lost a Postfix example";
            return replace_all(replace_all(replace_all(block, "/usr/sbin/herald", herald.string()),
                                           "/etc/herald/herald.yaml", herald_config.string()),
                               "/etc/postfix/", etc_.string() + "/");
        };
        std::ofstream(etc_ / "main.cf")
            << "# A private instance\n"
            << "compatibility_level = 3.6\n"
            << "queue_directory = " << (dir / "queue").string() << "\n"
            << "data_directory = " << (dir / "data").string() << "\n"
            << "mail_owner = postfix\nsetgid_group = postdrop\n"
            << "myhostname = mta.localhost\nmydestination =\nalias_maps =\nalias_database =\n"
            << "inet_interfaces = 127.0.0.1\ninet_protocols = ipv4\nmynetworks = 127.0.0.0/8\n"
            << "maillog_file = " << log_.path().string() << "\nmaillog_file_prefixes = " << dir.string() << "\n"
            << "# docs/mail.md\n"
            << as_documented(code_block_after(docs, "`/etc/postfix/main.cf`"));
        std::ofstream(etc_ / "master.cf")
            << "127.0.0.1:" << smtp_port_ << " inet n - n - - smtpd\n"
            << R"(pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
)" << "# docs/mail.md\n"
            << as_documented(code_block_after(docs, "`/etc/postfix/master.cf`"));
        std::ofstream(etc_ / "transport") << as_documented(code_block_after(docs, "`/etc/postfix/transport`"));
        started_ = expect_ok({"postmap", "-c", etc_.string(), (etc_ / "transport").string()}) &&
                   expect_ok({"postfix", "-c", etc_.string(), "start"});
    }

    ~PrivatePostfix() {
        if (started_) run_command({"postfix", "-c", etc_.string(), "stop"}, 30s);
    }

    bool started() const { return started_; }
    int smtp_port() const { return smtp_port_; }
    LogFile& log() { return log_; }

    void flush() { expect_ok({"postfix", "-c", etc_.string(), "flush"}); }
    std::string queue_listing() { return run_command({"postqueue", "-c", etc_.string(), "-p"}, 30s).output; }

private:
    bool expect_ok(const std::vector<std::string>& command) {
        const auto result = run_command(command, 60s);
        EXPECT_EQ(result.exit_code, 0) << describe_command(command) << ": " << result.output;
        return result.exit_code == 0;
    }

    std::filesystem::path dir_;
    std::filesystem::path etc_;
    int smtp_port_;
    LogFile log_;
    bool started_ = false;
};

class MailPostfixE2E : public HeraldE2E {
protected:
    // A fixed port: the pipe's configuration must still be right after herald restarts.
    std::string extra_config() const override {
        return "http:\n  enabled: true\n  port: " + std::to_string(http_port_) + "\n";
    }

    void SetUp() override {
        std::string why;
        if (!postfix_usable(why)) GTEST_SKIP() << why;
        ASSERT_GT(http_port_, 0);
        HeraldE2E::SetUp();
        // The pipe user and a configuration it may read, as docs/mail.md says.
        if (!::getgrnam(kPipeUser)) {
            ASSERT_EQ(run_command({"useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                                   kPipeUser}, 30s).exit_code, 0);
        }
        char pattern[] = "/tmp/herald-postfix-XXXXXX";
        ASSERT_TRUE(::mkdtemp(pattern));
        dir_ = pattern;
        std::filesystem::permissions(dir_, std::filesystem::perms::owner_all | std::filesystem::perms::group_exec |
                                               std::filesystem::perms::others_exec);
        const auto config = dir_ / "herald.yaml";
        std::ofstream(config) << "component:\n  jid: " << component() << "\n  secret_file: /nonexistent/secret\n"
                              << "http:\n  enabled: true\n  port: " << http_port_ << "\n";
        ASSERT_EQ(run_command({"chgrp", kPipeUser, config.string()}, 30s).exit_code, 0);
        std::filesystem::permissions(config, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                                                 std::filesystem::perms::group_read);
        // Installed where the pipe user can run it, whatever the build tree's modes.
        const auto herald = dir_ / "herald";
        std::filesystem::copy_file(HERALD_BINARY, herald);
        postfix_ = std::make_unique<PrivatePostfix>(dir_ / "postfix", herald, config);
        ASSERT_TRUE(postfix_->started()) << postfix_->log().tail();
    }

    void TearDown() override {
        if (postfix_ && HasFailure()) {
            std::cerr << "maillog:\n" << postfix_->log().tail() << "\nqueue:\n" << postfix_->queue_listing();
        }
        postfix_.reset();
        if (!dir_.empty()) std::filesystem::remove_all(dir_);
    }

    // An SMTP client hands Postfix a mail for `recipient`.
    void send_mail(const std::string& recipient, const std::string& subject) {
        const auto message = dir_ / "outgoing.eml";
        std::ofstream(message) << "From: Cron Daemon <cron@example.org>\r\nTo: " << recipient
                               << "\r\nSubject: " << subject << "\r\nMessage-ID: <" << subject.size() << "." << sent_++
                               << "@example.org>\r\n\r\n" << subject << ", sent through Postfix.\r\n";
        const auto result = run_command({"curl", "-sS", "--max-time", "20", "--url",
                                         "smtp://127.0.0.1:" + std::to_string(postfix_->smtp_port()) + "/example.org",
                                         "--mail-from", "cron@example.org", "--mail-rcpt", recipient,
                                         "--upload-file", message.string()},
                                        30s);
        ASSERT_EQ(result.exit_code, 0) << "SMTP: " << result.output;
    }

    std::string title_of_next(XmppTestClient& client) {
        auto message = next_notification(client, 30s);
        EXPECT_TRUE(message) << "no notification; maillog:\n" << postfix_->log().tail();
        return message ? message->text("notification/notification/title") : "";
    }

    const int http_port_ = free_port();
    std::filesystem::path dir_;
    std::unique_ptr<PrivatePostfix> postfix_;
    int sent_ = 0;
};

TEST_F(MailPostfixE2E, MailReachesTheSubscriberAndWaitsInPostfixWhileHeraldIsDown) {
    with_topic();  // alice owns backups, bob subscribes
    const auto token = make_token(*alice_, "backups", "mail");
    ASSERT_EQ(token.size(), 64u);
    const auto address = "backups+" + token + "@" + kMailDomain;

    send_mail(address, "first through postfix");
    EXPECT_EQ(title_of_next(*bob_), "first through postfix");
    EXPECT_TRUE(postfix_->log().wait_for(std::regex("relay=herald.*status=sent"), kWait)) << postfix_->log().tail();
    // Its receipt stored: herald stopped before that would send it again
    // after the restart (delivery is at least once), ahead of the deferred ones.
    const auto deadline = std::chrono::steady_clock::now() + kWait;
    while (queued_for(bob_->bare_jid()) != 0 && std::chrono::steady_clock::now() < deadline) storage_barrier(*bob_);
    ASSERT_EQ(queued_for(bob_->bare_jid()), 0);

    herald_->stop();
    send_mail(address, "second while herald is down");
    send_mail(address, "third while herald is down");
    for (int i = 0; i < 2; ++i) {
        const auto deferred = postfix_->log().wait_for(std::regex("relay=herald.*status=deferred"), 30s);
        ASSERT_TRUE(deferred) << "ingest-mail's 75 must defer, not bounce:\n" << postfix_->log().tail();
        EXPECT_NE(deferred->find("herald ingest-mail: "), std::string::npos) << "its one line is the reason: " << *deferred;
    }
    EXPECT_EQ(postfix_->log().contents().find("status=bounced"), std::string::npos) << postfix_->log().tail();
    const auto queued = postfix_->queue_listing();
    EXPECT_NE(queued.find(" in 2 Requests."), std::string::npos) << "both wait in Postfix's queue:\n" << queued;

    start_herald();
    bob_->send("<presence/>");
    ASSERT_TRUE(state_logged(*bob_, "available"));
    postfix_->flush();
    std::set<std::string> titles{title_of_next(*bob_), title_of_next(*bob_)};
    EXPECT_EQ(titles, (std::set<std::string>{"second while herald is down", "third while herald is down"}));
    for (int i = 0; i < 2; ++i)
        EXPECT_TRUE(postfix_->log().wait_for(std::regex("relay=herald.*status=sent"), kWait)) << postfix_->log().tail();
    EXPECT_NE(postfix_->queue_listing().find("Mail queue is empty"), std::string::npos) << "nothing left behind";
}

}  // namespace
