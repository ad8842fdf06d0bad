#include "tmux_terminal.h"

#include <cstdlib>
#include <fstream>
#include <regex>
#include <stdexcept>
#include <thread>

#include "process.h"

namespace herald::testing {
namespace {

constexpr auto kTmuxDeadline = std::chrono::seconds(10);
const std::string kSession = "client";

std::string strip_trailing_spaces(const std::string& screen) {
    std::string out;
    std::size_t start = 0;
    while (start < screen.size()) {
        auto end = screen.find('\n', start);
        if (end == std::string::npos) end = screen.size();
        auto line = screen.substr(start, end - start);
        line.erase(line.find_last_not_of(' ') + 1);
        out += line;
        out += '\n';
        start = end + 1;
    }
    return out;
}

}  // namespace

TmuxTerminal::TmuxTerminal(std::filesystem::path dir, std::vector<std::string> argv, Options options)
    : dir_(std::move(dir)), socket_(dir_ / "tmux.socket") {
    std::filesystem::create_directories(dir_);
    const auto config = dir_ / "tmux.conf";
    {
        std::ofstream out(config);
        // A program that exits leaves its last screen to read; no status
        // line, so the screen is the program's only.
        out << "set -g remain-on-exit on\n"
               "set -g status off\n"
               "set -g history-limit 2000\n";
    }
    if (!options.environment.count("PATH")) {
        const char* path = std::getenv("PATH");
        options.environment["PATH"] = path ? path : "/usr/local/bin:/usr/bin:/bin";
    }
    std::vector<std::string> command{"tmux", "-f", config.string(), "-S", socket_.string(), "new-session",
                                     "-d", "-s", kSession, "-x", std::to_string(options.width),
                                     "-y", std::to_string(options.height), "--", "env", "-i"};
    for (const auto& [name, value] : options.environment) command.push_back(name + "=" + value);
    command.insert(command.end(), argv.begin(), argv.end());
    // Under a loaded machine the tmux server has been seen to exit while
    // starting ("server exited unexpectedly"): a second try, then the error.
    auto result = run_command(command, kTmuxDeadline);
    for (int attempt = 1; attempt < 3 && result.exit_code != 0; ++attempt) result = run_command(command, kTmuxDeadline);
    if (result.exit_code != 0)
        throw std::runtime_error("tmux could not start " + describe_command(argv) + ": " + result.output);
}

TmuxTerminal::~TmuxTerminal() {
    run_command({"tmux", "-S", socket_.string(), "kill-server"}, kTmuxDeadline);
}

std::string TmuxTerminal::run(const std::vector<std::string>& arguments) const {
    std::vector<std::string> command{"tmux", "-S", socket_.string()};
    command.insert(command.end(), arguments.begin(), arguments.end());
    auto result = run_command(command, kTmuxDeadline);
    if (result.exit_code != 0)
        throw std::runtime_error(describe_command(command) + " failed: " + result.output);
    return result.output;
}

void TmuxTerminal::type(const std::string& text) { run({"send-keys", "-t", kSession, "-l", "--", text}); }

void TmuxTerminal::press(const std::string& key) { run({"send-keys", "-t", kSession, key}); }

std::string TmuxTerminal::screen() {
    last_screen_ = strip_trailing_spaces(run({"capture-pane", "-p", "-t", kSession}));
    return last_screen_;
}

bool TmuxTerminal::program_running() {
    return run({"display-message", "-p", "-t", kSession, "#{pane_dead}"}).rfind("0", 0) == 0;
}

void TmuxTerminal::pause() { std::this_thread::sleep_for(std::chrono::milliseconds(150)); }

std::optional<std::vector<std::string>> TmuxTerminal::wait_for(const std::string& pattern,
                                                               std::chrono::milliseconds deadline) {
    const std::regex re(pattern, std::regex::ECMAScript);
    std::optional<std::vector<std::string>> groups;
    wait_until(
        [&](const std::string& text) {
            std::smatch match;
            if (!std::regex_search(text, match, re)) return false;
            groups.emplace();
            for (const auto& group : match) groups->push_back(group.str());
            return true;
        },
        deadline);
    return groups;
}

}  // namespace herald::testing
