#include "process.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace herald::testing {

namespace {

using Clock = std::chrono::steady_clock;

// Only used where pidfd_open is unavailable (old kernel, seccomp).
constexpr std::chrono::milliseconds kExitPollFallback{10};

int decode_wait_status(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return -1;
}

int open_pidfd(pid_t pid)
{
#ifdef SYS_pidfd_open
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
    (void)pid;
    return -1;
#endif
}

std::vector<std::string> environment_with(const std::map<std::string, std::string>& additions)
{
    std::vector<std::string> result;
    for (char** entry = environ; entry && *entry; ++entry) {
        const std::string_view assignment(*entry);
        const std::string key(assignment.substr(0, assignment.find('=')));
        if (additions.find(key) == additions.end())
            result.emplace_back(assignment);
    }
    for (const auto& [key, value] : additions)
        result.push_back(key + "=" + value);
    return result;
}

std::vector<char*> c_strings(std::vector<std::string>& strings)
{
    std::vector<char*> pointers;
    pointers.reserve(strings.size() + 1);
    for (auto& s : strings)
        pointers.push_back(s.data());
    pointers.push_back(nullptr);
    return pointers;
}

// RAII for the two posix_spawn helper objects.
class SpawnSetup {
public:
    SpawnSetup()
    {
        posix_spawn_file_actions_init(&actions);
        posix_spawnattr_init(&attributes);
    }
    ~SpawnSetup()
    {
        posix_spawnattr_destroy(&attributes);
        posix_spawn_file_actions_destroy(&actions);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;

    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
};

}  // namespace

std::string describe_command(const std::vector<std::string>& argv)
{
    std::string out;
    for (const auto& arg : argv) {
        if (!out.empty())
            out += ' ';
        const bool plain = !arg.empty() && std::all_of(arg.begin(), arg.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("-_./=:@,+%", c);
        });
        if (plain) {
            out += arg;
            continue;
        }
        out += '\'';
        for (const char c : arg)
            out += c == '\'' ? std::string("'\\''") : std::string(1, c);
        out += '\'';
    }
    return out;
}

ChildProcess::ChildProcess(std::vector<std::string> argv, const std::filesystem::path& log_file,
                           const std::map<std::string, std::string>& extra_environment)
    : argv_(std::move(argv))
{
    if (argv_.empty())
        throw std::invalid_argument("ChildProcess: empty argv");

    SpawnSetup setup;
    const std::string log_path = log_file.string();
    // stdin from /dev/null, stdout and stderr appended to the log; nothing
    // else inherited (a test's sockets must not live on in the child).
    posix_spawn_file_actions_addopen(&setup.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&setup.actions, STDOUT_FILENO, log_path.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&setup.actions, STDOUT_FILENO, STDERR_FILENO);
    posix_spawn_file_actions_addclosefrom_np(&setup.actions, STDERR_FILENO + 1);

    // Own process group, so kill_hard() reaches the child's children too;
    // default signal dispositions and an empty mask whatever the test set.
    sigset_t empty_mask;
    sigemptyset(&empty_mask);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (const int signal_number : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2})
        sigaddset(&defaults, signal_number);
    posix_spawnattr_setflags(&setup.attributes,
                             POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&setup.attributes, 0);
    posix_spawnattr_setsigmask(&setup.attributes, &empty_mask);
    posix_spawnattr_setsigdefault(&setup.attributes, &defaults);

    auto argv_copy = argv_;
    auto argv_pointers = c_strings(argv_copy);
    auto environment = environment_with(extra_environment);
    auto environment_pointers = c_strings(environment);

    const int error = posix_spawnp(&pid_, argv_[0].c_str(), &setup.actions, &setup.attributes,
                                   argv_pointers.data(), environment_pointers.data());
    if (error != 0) {
        pid_ = -1;
        throw std::runtime_error("cannot start " + describe_command(argv_) + " (output to " +
                                 log_path + "): " + std::strerror(error));
    }
    pidfd_ = open_pidfd(pid_);
}

ChildProcess::~ChildProcess()
{
    if (pid_ > 0 && !exit_status_)
        kill_hard();
    if (pidfd_ >= 0)
        ::close(pidfd_);
}

void ChildProcess::signal(int signal_number)
{
    if (pid_ > 0 && !exit_status_)
        ::kill(pid_, signal_number);
}

bool ChildProcess::try_reap()
{
    if (exit_status_)
        return true;
    int status = 0;
    const pid_t reaped = ::waitpid(pid_, &status, WNOHANG);
    if (reaped == pid_) {
        exit_status_ = decode_wait_status(status);
    } else if (reaped < 0 && errno == ECHILD) {
        exit_status_ = -1;  // reaped elsewhere (SIGCHLD ignored?): status unknown
    } else {
        return false;
    }
    if (pidfd_ >= 0) {
        ::close(pidfd_);
        pidfd_ = -1;
    }
    return true;
}

std::optional<int> ChildProcess::wait_exit(std::chrono::milliseconds deadline)
{
    const auto give_up_at = Clock::now() + deadline;
    while (!try_reap()) {
        const auto remaining =
            std::chrono::ceil<std::chrono::milliseconds>(give_up_at - Clock::now());
        if (remaining.count() <= 0)
            return std::nullopt;
        if (pidfd_ >= 0) {
            pollfd exited{pidfd_, POLLIN, 0};
            ::poll(&exited, 1, static_cast<int>(std::min<long long>(remaining.count(), 60'000)));
        } else {
            std::this_thread::sleep_for(std::min(remaining, kExitPollFallback));
        }
    }
    return exit_status_;
}

bool ChildProcess::running() { return !try_reap(); }

int ChildProcess::kill_hard()
{
    if (!exit_status_) {
        ::kill(-pid_, SIGKILL);
        ::kill(pid_, SIGKILL);  // in case it left its group
        int status = 0;
        pid_t reaped;
        do {
            reaped = ::waitpid(pid_, &status, 0);
        } while (reaped < 0 && errno == EINTR);
        exit_status_ = reaped == pid_ ? decode_wait_status(status) : -1;
        if (pidfd_ >= 0) {
            ::close(pidfd_);
            pidfd_ = -1;
        }
    }
    return *exit_status_;
}

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds deadline,
                          const std::map<std::string, std::string>& extra_environment)
{
    std::string output_path =
        (std::filesystem::temp_directory_path() / "herald-command-XXXXXX").string();
    const int fd = ::mkstemp(output_path.data());
    if (fd < 0)
        throw std::runtime_error("run_command: mkstemp in " +
                                 std::filesystem::temp_directory_path().string() + ": " +
                                 std::strerror(errno));
    ::close(fd);

    CommandResult result;
    try {
        ChildProcess child(argv, output_path, extra_environment);
        if (const auto status = child.wait_exit(deadline)) {
            result.exit_code = *status;
        } else {
            result.timed_out = true;
            result.exit_code = child.kill_hard();
        }
    } catch (...) {
        std::filesystem::remove(output_path);
        throw;
    }
    std::ifstream in(output_path, std::ios::binary);
    result.output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    in.close();
    std::filesystem::remove(output_path);
    if (result.timed_out)
        result.output += "\n[killed: still running after " + std::to_string(deadline.count()) + " ms]";
    return result;
}

}  // namespace herald::testing
