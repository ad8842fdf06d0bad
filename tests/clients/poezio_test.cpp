// poezio (Debian's package, 0.14) in tmux, a second opinion: add the
// service, subscribe by typing in the chat with it, and read on the screen
// the notifications herald-send publishes, live and after being offline.

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>

#include "tests/clients/client_fixture.h"

namespace herald::testing {
namespace {

// poezio refuses to run as root ("Please do not run poezio as root"): as
// root, it runs as this user (nobody), in a directory it owns.
constexpr uid_t kUnprivileged = 65534;

class PoezioTest : public ClientE2E {
protected:
    void SetUp() override {
        ClientE2E::SetUp();
        if (HasFatalFailure()) return;
        require_programs("poezio tmux");
        if (HasFatalFailure()) return;
        ejabberd_.register_user("bob", "secret-bob");

        // Not in ejabberd's directory (mode 0700): poezio may run as nobody.
        std::string pattern = (std::filesystem::temp_directory_path() / "herald-poezio-XXXXXX").string();
        ASSERT_TRUE(::mkdtemp(pattern.data())) << "mkdtemp " << pattern;
        home_ = pattern;
        for (const auto* sub : {".config/poezio", ".local/share", ".cache"})
            std::filesystem::create_directories(home_ / sub);
        std::ofstream(home_ / ".config/poezio/poezio.cfg")
            << "[Poezio]\n"
               "jid = bob@" << ejabberd_.domain() << "\n"
               "password = secret-bob\n"
               "custom_host = 127.0.0.1\n"
               "custom_port = " << ejabberd_.c2s_port() << "\n"
               "force_encryption = false\n";
        start_poezio();
    }

    // Starts poezio, which logs in by itself (its config names the account).
    void start_poezio() {
        std::vector<std::string> argv{"poezio"};
        if (::geteuid() == 0) {
            ASSERT_EQ(run_command({"chown", "-R", std::to_string(kUnprivileged) + ":" + std::to_string(kUnprivileged),
                                   home_.string()},
                                  std::chrono::seconds(10)).exit_code, 0);
            argv = {"setpriv", "--reuid=" + std::to_string(kUnprivileged), "--regid=" + std::to_string(kUnprivileged),
                    "--clear-groups", "poezio"};
        }
        poezio_ = &start_client(ejabberd_.dir() / "poezio-tmux", argv, home_);
        expect_screen(*poezio_, R"(Your JID is bob@localhost/)", "poezio logged in");
    }

    void TearDown() override {
        ClientE2E::TearDown();
        if (!home_.empty() && !std::getenv("HERALD_KEEP_TEST_DIRS")) {
            std::error_code ignored;
            std::filesystem::remove_all(home_, ignored);
        }
    }

    // A command as a person types it. In the roster tab "/" opens the
    // command line and keys that arrive with it are lost, so: "/", wait for
    // the command line, the rest, wait until it shows, Enter.
    void command(const std::string& text) {
        auto& screen = *poezio_;
        screen.type("/");
        ASSERT_TRUE(screen.wait_until([](const std::string& s) { return s.size() >= 2 && s[s.size() - 2] == '/'; },
                                      kScreenWait))
            << "no command line after '/':\n" << screen.last_screen();
        screen.type(text);
        ASSERT_TRUE(screen.wait_until(
            [&](const std::string& s) { return s.find("/" + text + "\n") != std::string::npos; }, kScreenWait))
            << "'/" << text << "' never showed on the command line:\n" << screen.last_screen();
        screen.press("Enter");
    }

    // /add: adds the contact, asks for its presence and pre-approves its
    // request for ours. Then "sub backups" typed in the chat tab.
    void add_herald_and_subscribe() {
        command("add " + component());
        expect_screen(*poezio_, "notify\\.localhost accepted your contact proposal", "herald accepting bob");
        ASSERT_TRUE(herald_->wait_log("user bob@localhost is now available")) << "herald never saw bob online";
        command("message " + component() + " sub backups");
        expect_screen(*poezio_, R"(\d\d:\d\d:\d\d [^\n]*subscribed to backups)", "herald's answer to 'sub backups'");
    }

    std::filesystem::path home_;
    TmuxTerminal* poezio_ = nullptr;
};

TEST_F(PoezioTest, ShowsANotificationPublishedWithHeraldSend) {
    add_herald_and_subscribe();
    auto& screen = *poezio_;
    herald_send("Poezio sees it", "a second opinion");
    expect_screen(screen, R"(\d\d:\d\d:\d\d [^\n]*\[backups\] Poezio sees it: a second opinion)",
                  "the notification in the chat tab");
}

TEST_F(PoezioTest, ShowsWhatWasPublishedWhileItWasClosedAfterStartingAgain) {
    add_herald_and_subscribe();
    command("quit");
    ASSERT_TRUE(herald_->wait_log("user bob@localhost is now offline"));

    const auto first = herald_send("Disk almost full", "db1 /var at 91%");
    const auto second = herald_send("Backup ok", "db1 retried and succeeded");
    let_a_second_pass(second.after);

    start_poezio();
    command("message " + component());
    // Both, each with the time it was published. Not their order: the
    // first one opens the tab, whose loading of poezio's own local log
    // (log_loader.py, tab_open -> add_history_messages, inserting at the
    // top) races with the second arriving; herald sends them oldest first
    // (Profanity's test checks the order).
    for (const auto& [title, published] : {std::pair{std::string("Disk almost full: db1 /var at 91%"), first},
                                           std::pair{std::string("Backup ok: db1 retried and succeeded"), second}}) {
        auto groups = expect_screen(*poezio_, R"((\d\d:\d\d:\d\d) [^\n]*\[backups\] )" + title, "'" + title + "'");
        ASSERT_EQ(groups.size(), 2u);
        EXPECT_TRUE(seconds_of(published).count(groups[1]))
            << "'" << title << "' shows " << groups[1] << ", published at " << utc_clock(published.before)
            << "; the screen:\n" << poezio_->last_screen();
    }
}

}  // namespace
}  // namespace herald::testing
