#pragma once

// What the private-server fixtures (PrivateEjabberd, PrivateCluster,
// PrivatePostgresql) share: a temporary directory per server, the
// launchers in ejabberd-config/ run as child processes, and the KEY=VALUE
// files those launchers write.

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "process.h"

namespace herald::testing {

// $<environment_variable> when set, else HERALD_SOURCE_DIR/ejabberd-config/<name>.
std::filesystem::path launcher_path(const char* environment_variable, const std::string& name);

// A server's life in its own directory, for the fixtures' constructors and
// destructors. `start_in_private_dir` sets `dir` to a fresh
// $TMPDIR/<prefix>-XXXXXX (/tmp without TMPDIR) and runs `start`; when that
// throws, it runs `stop` (its own failure ignored) and removes the directory
// before rethrowing, so a server that failed to start leaves nothing behind.
// `owner` names the fixture in messages.
void start_in_private_dir(std::filesystem::path& dir, const std::string& prefix, const std::string& owner,
                          const std::function<void()>& start, const std::function<void()>& stop);
// Runs `stop` (a failure is said on stderr), then deletes the directory, or
// keeps it (saying so) when HERALD_KEEP_TEST_DIRS is set. Never throws.
void stop_and_remove_private_dir(const std::filesystem::path& dir, const std::string& owner,
                                 const std::function<void()>& stop);

// Runs a launcher to completion; throws std::runtime_error, with the
// command, its exit status, duration and output, unless it exits with 0.
CommandResult run_launcher_command(const std::string& owner, const std::vector<std::string>& argv,
                                   std::chrono::milliseconds deadline,
                                   const std::map<std::string, std::string>& environment = {});

// The shell assignments a launcher writes (ports.env, cluster.env,
// postgresql.env): KEY=VALUE per line, quotes around VALUE dropped.
class EnvFile {
public:
    EnvFile() = default;
    // Throws std::runtime_error when the file cannot be read.
    EnvFile(const std::filesystem::path& file, std::string owner);

    // "" when absent.
    std::string get(const std::string& key) const;
    // Throw std::runtime_error when absent, empty or (port) not a TCP port.
    std::string required(const std::string& key) const;
    int port(const std::string& key) const;

private:
    std::filesystem::path file_;
    std::string owner_;
    std::map<std::string, std::string> values_;
};

}  // namespace herald::testing
