#include "launcher_support.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <system_error>
#include <utility>

#include <stdlib.h>

#ifndef HERALD_SOURCE_DIR
#error "HERALD_SOURCE_DIR must be defined (tests/support/CMakeLists.txt does it)"
#endif

namespace herald::testing {

std::filesystem::path launcher_path(const char* environment_variable, const std::string& name)
{
    if (const char* launcher = std::getenv(environment_variable); launcher && *launcher)
        return launcher;
    return std::filesystem::path(HERALD_SOURCE_DIR) / "ejabberd-config" / name;
}

namespace {

std::filesystem::path make_private_dir(const std::string& prefix, const std::string& owner)
{
    const char* tmpdir = std::getenv("TMPDIR");
    const std::filesystem::path base = tmpdir && *tmpdir ? tmpdir : "/tmp";
    std::string pattern = (base / (prefix + "-XXXXXX")).string();
    if (!::mkdtemp(pattern.data()))
        throw std::runtime_error(owner + ": mkdtemp(" + pattern + "): " + std::strerror(errno));
    return pattern;
}

void remove_private_dir(const std::filesystem::path& dir, const std::string& owner)
{
    if (std::getenv("HERALD_KEEP_TEST_DIRS")) {
        std::cerr << owner << ": kept " << dir.string() << '\n';
        return;
    }
    std::error_code error;
    std::filesystem::remove_all(dir, error);
    if (error)
        std::cerr << owner << ": cannot remove " << dir.string() << ": " << error.message() << '\n';
}

}  // namespace

void start_in_private_dir(std::filesystem::path& dir, const std::string& prefix, const std::string& owner,
                          const std::function<void()>& start, const std::function<void()>& stop)
{
    dir = make_private_dir(prefix, owner);
    try {
        start();
    } catch (...) {
        try {
            stop();
        } catch (const std::exception&) {
        }
        remove_private_dir(dir, owner);
        throw;
    }
}

void stop_and_remove_private_dir(const std::filesystem::path& dir, const std::string& owner,
                                 const std::function<void()>& stop)
{
    try {
        stop();
    } catch (const std::exception& error) {
        std::cerr << owner << ": " << error.what() << '\n';
    }
    remove_private_dir(dir, owner);
}

CommandResult run_launcher_command(const std::string& owner, const std::vector<std::string>& argv,
                                   std::chrono::milliseconds deadline,
                                   const std::map<std::string, std::string>& environment)
{
    const auto started = std::chrono::steady_clock::now();
    CommandResult result = run_command(argv, deadline, environment);
    if (result.exit_code != 0) {
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        throw std::runtime_error(owner + ": `" + describe_command(argv) + "` " +
                                 (result.timed_out ? "timed out" : "failed with exit status " +
                                                                       std::to_string(result.exit_code)) +
                                 " after " + std::to_string(took.count()) + " ms; its output:\n" +
                                 result.output);
    }
    return result;
}

EnvFile::EnvFile(const std::filesystem::path& file, std::string owner)
    : file_(file), owner_(std::move(owner))
{
    std::ifstream in(file_);
    if (!in)
        throw std::runtime_error(owner_ + ": the launcher wrote no " + file_.string());
    for (std::string line; std::getline(in, line);) {
        const auto equals = line.find('=');
        if (line.empty() || line.front() == '#' || equals == std::string::npos)
            continue;
        std::string value = line.substr(equals + 1);
        if (value.size() >= 2 && (value.front() == '\'' || value.front() == '"') &&
            value.back() == value.front())
            value = value.substr(1, value.size() - 2);
        values_[line.substr(0, equals)] = value;
    }
}

std::string EnvFile::get(const std::string& key) const
{
    const auto found = values_.find(key);
    return found == values_.end() ? std::string() : found->second;
}

std::string EnvFile::required(const std::string& key) const
{
    std::string value = get(key);
    if (value.empty())
        throw std::runtime_error(owner_ + ": " + file_.string() + " has no " + key);
    return value;
}

int EnvFile::port(const std::string& key) const
{
    const std::string value = required(key);
    try {
        std::size_t used = 0;
        const int port = std::stoi(value, &used);
        if (used == value.size() && port > 0 && port <= 65535)
            return port;
    } catch (const std::exception&) {
    }
    throw std::runtime_error(owner_ + ": " + file_.string() + ": " + key + " is not a port: '" +
                             value + "'");
}

}  // namespace herald::testing
