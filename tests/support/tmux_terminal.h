#pragma once

// A terminal program (an XMPP client such as Profanity or poezio) run in a
// detached tmux session, driven as a person would: keys typed with
// send-keys, the screen read with capture-pane. Each terminal has its own
// tmux server (a socket in its directory, no ~/.tmux.conf), killed by the
// destructor with everything running in it.

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace herald::testing {

class TmuxTerminal {
public:
    struct Options {
        int width = 200;
        int height = 50;
        // The whole environment of the program (it inherits nothing else
        // but PATH, when not given here).
        std::map<std::string, std::string> environment;
    };

    // Starts `argv` in a new tmux session. `dir` holds the tmux socket and
    // config. Throws std::runtime_error when tmux cannot start it.
    TmuxTerminal(std::filesystem::path dir, std::vector<std::string> argv, Options options);
    ~TmuxTerminal();

    TmuxTerminal(const TmuxTerminal&) = delete;
    TmuxTerminal& operator=(const TmuxTerminal&) = delete;

    // Types `text` literally (no key names are interpreted, no Enter).
    void type(const std::string& text);
    // Presses keys by tmux name: "Enter", "Escape", "C-c", "PageUp".
    void press(const std::string& key);
    // Types a line and presses Enter.
    void enter(const std::string& line) {
        type(line);
        press("Enter");
    }

    // The visible screen, one line per row, trailing spaces removed.
    std::string screen();

    // Polls the screen every 150 ms until `pattern` (ECMAScript, matched
    // against the whole screen, `.` not crossing lines) matches; returns the
    // match and its groups ([0] the whole match), or nullopt at the deadline.
    std::optional<std::vector<std::string>> wait_for(const std::string& pattern,
                                                     std::chrono::milliseconds deadline);
    // Polls until `predicate(screen)` holds; false at the deadline.
    template <typename Predicate>
    bool wait_until(Predicate predicate, std::chrono::milliseconds deadline) {
        const auto end = std::chrono::steady_clock::now() + deadline;
        for (;;) {
            if (predicate(screen())) return true;
            if (std::chrono::steady_clock::now() >= end) return false;
            pause();
        }
    }

    // The screen read by the last screen() or wait_for(), for failure messages.
    const std::string& last_screen() const { return last_screen_; }
    // Whether the program still runs in the pane.
    bool program_running();

private:
    std::vector<std::string> tmux(std::vector<std::string> arguments) const;
    std::string run(const std::vector<std::string>& arguments) const;
    static void pause();

    std::filesystem::path dir_;
    std::filesystem::path socket_;
    std::string last_screen_;
};

}  // namespace herald::testing
