#pragma once

// What the private-server fixtures (PrivateEjabberd, PrivateCluster,
// PrivatePostgresql) share: a temporary directory per server, the
// launchers in ejabberd-config/ run as child processes, and the KEY=VALUE
// files those launchers write.

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "process.h"

namespace herald::testing {

// $<environment_variable> when set, else HERALD_SOURCE_DIR/ejabberd-config/<name>.
std::filesystem::path launcher_path(const char* environment_variable, const std::string& name);

// A fresh directory $TMPDIR/<prefix>-XXXXXX (/tmp without TMPDIR). `owner`
// names the fixture in error messages. Throws std::runtime_error.
std::filesystem::path make_private_dir(const std::string& prefix, const std::string& owner);

// Deletes the directory, or keeps it (saying so on stderr) when the
// environment variable HERALD_KEEP_TEST_DIRS is set. Never throws.
void remove_private_dir(const std::filesystem::path& dir, const std::string& owner);

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
