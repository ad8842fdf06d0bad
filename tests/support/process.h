#pragma once

// Child processes for end-to-end tests: the herald daemon, the ejabberd
// launcher. No shell is involved: argv goes to posix_spawnp as is.

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace herald::testing {

// A spawned process, running in its own process group, with stdin from
// /dev/null and stdout+stderr appended to a log file. The destructor kills
// the group (SIGKILL) and reaps the child if it still runs.
class ChildProcess {
public:
    // Throws std::runtime_error (with the reason) when the spawn fails.
    ChildProcess(std::vector<std::string> argv, const std::filesystem::path& log_file,
                 const std::map<std::string, std::string>& extra_environment = {});
    ~ChildProcess();

    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    const std::vector<std::string>& argv() const { return argv_; }

    // Sends a signal to the child itself (not its group); ignored once reaped.
    void signal(int signal_number);

    // Waits for the child to exit. Returns its exit status, shell style: the
    // exit code, or 128 + signal number when a signal killed it; nullopt if
    // it still runs at the deadline. Once reaped, returns the same status.
    std::optional<int> wait_exit(std::chrono::milliseconds deadline);

    bool running();

    // SIGKILL to the whole process group, then reap; returns the status.
    int kill_hard();

private:
    bool try_reap();

    std::vector<std::string> argv_;
    pid_t pid_ = -1;
    int pidfd_ = -1;  // Linux pidfd: lets wait_exit block with a deadline
    std::optional<int> exit_status_;
};

struct CommandResult {
    int exit_code = -1;  // shell style, as ChildProcess::wait_exit
    bool timed_out = false;
    std::string output;  // stdout and stderr, interleaved
};

// Runs argv to completion (killed at the deadline) and captures its output.
CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds deadline,
                          const std::map<std::string, std::string>& extra_environment = {});

// "a 'b c' d" for messages.
std::string describe_command(const std::vector<std::string>& argv);

}  // namespace herald::testing
