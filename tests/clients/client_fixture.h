#pragma once

// Real XMPP clients nobody on the team wrote (Debian's Profanity and
// poezio), run in tmux and driven as a person would: the e2e fixture's
// private ejabberd and herald, a publisher "ops" who owns the topic
// "backups", and the real herald-send publishing to it.

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/herald_e2e_fixture.h"
#include "tests/support/process.h"
#include "tests/support/tmux_terminal.h"

namespace herald::testing {

// How long a person waits for something to show on the screen.
constexpr auto kScreenWait = std::chrono::seconds(20);

class ClientE2E : public HeraldE2E {
protected:
    void SetUp() override {
        HeraldE2E::SetUp();
        ops_ = online_user("ops");
        create_node(*ops_, "backups");
        ops_password_file_ = ejabberd_.dir() / "ops.password";
        std::ofstream(ops_password_file_) << "secret-ops\n";
    }

    void TearDown() override {
        if (terminal_ && HasFailure() && terminal_->program_running())
            std::cerr << "the client's screen at the end:\n" << terminal_->screen();
        terminal_.reset();
    }

    // Fails the test, saying how to install them, when programs are missing.
    static void require_programs(const std::string& programs) {
        ASSERT_EQ(run_command({"sh", "-c", "for p in " + programs + "; do command -v $p || exit 1; done"},
                              std::chrono::seconds(5))
                      .exit_code,
                  0)
            << programs << " needed (scripts/setup installs them: apt-get install " << programs << ")";
    }

    // Starts the client `argv` in tmux (socket in `tmux_dir`) with a
    // private profile in `home`: nothing of the machine's ~/.config or
    // ~/.local is read or written. Times show in UTC.
    TmuxTerminal& start_client(const std::filesystem::path& tmux_dir, std::vector<std::string> argv,
                               const std::filesystem::path& home) {
        terminal_.reset();  // the previous one's tmux server goes first
        terminal_ = std::make_unique<TmuxTerminal>(
            tmux_dir, std::move(argv),
            TmuxTerminal::Options{200, 50,
                                  {{"HOME", home.string()},
                                   {"XDG_CONFIG_HOME", (home / ".config").string()},
                                   {"XDG_DATA_HOME", (home / ".local/share").string()},
                                   {"XDG_CACHE_HOME", (home / ".cache").string()},
                                   {"TERM", "screen"},
                                   {"LANG", "C.UTF-8"},
                                   {"TZ", "UTC"}}});
        return *terminal_;
    }

    // A publish with the real herald-send as ops, as a script would; the
    // wall-clock seconds around it, for times shown by the client.
    struct Published {
        std::time_t before = 0;
        std::time_t after = 0;
    };
    Published herald_send(const std::string& title, const std::string& body,
                          const std::vector<std::string>& more = {}) {
        Published when;
        when.before = std::time(nullptr);
        std::vector<std::string> argv{HERALD_SEND_BINARY, "--jid", ejabberd_.jid("ops"), "--password-file",
                                      ops_password_file_.string(), "--server", "127.0.0.1", "--port",
                                      std::to_string(ejabberd_.c2s_port()), "--tls", "off", "--to", component(),
                                      "--node", "backups", "--title", title, "--body", body};
        argv.insert(argv.end(), more.begin(), more.end());
        auto result = run_command(argv, std::chrono::seconds(40));
        when.after = std::time(nullptr);
        EXPECT_EQ(result.exit_code, 0) << describe_command(argv) << ": " << result.output;
        return when;
    }

    // Waits until `pattern` shows on `terminal`; a test failure, with the
    // screen, when it does not within kScreenWait.
    static std::vector<std::string> expect_screen(TmuxTerminal& terminal, const std::string& pattern,
                                                  const std::string& what,
                                                  std::chrono::milliseconds deadline = kScreenWait) {
        auto groups = terminal.wait_for(pattern, deadline);
        if (!groups) {
            ADD_FAILURE() << what << ": /" << pattern << "/ never showed on the screen; the screen:\n"
                          << terminal.last_screen();
            return {};
        }
        return *groups;
    }

    // "HH:MM:SS" of a time in UTC (the clients run with TZ=UTC).
    static std::string utc_clock(std::time_t t) {
        std::tm tm{};
        gmtime_r(&t, &tm);
        char text[16];
        std::strftime(text, sizeof text, "%H:%M:%S", &tm);
        return text;
    }

    // "HH:MM:SS" of every second a publish took.
    static std::set<std::string> seconds_of(const Published& published) {
        std::set<std::string> clocks;
        for (auto t = published.before; t <= published.after; ++t) clocks.insert(utc_clock(t));
        return clocks;
    }

    // Waits until the wall clock is at least one second past `t`, so a time
    // shown later cannot be mistaken for one of `t`'s second.
    static void let_a_second_pass(std::time_t t) {
        while (std::time(nullptr) <= t) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }

    std::unique_ptr<XmppTestClient> ops_;
    std::filesystem::path ops_password_file_;
    std::unique_ptr<TmuxTerminal> terminal_;
};

}  // namespace herald::testing
