#include "private_ejabberd.h"

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

namespace {

using namespace std::chrono_literals;

// The launcher waits up to 30 s for ejabberd itself (and up to 120 s for the
// instance lock); these only catch a launcher that hangs.
constexpr std::chrono::milliseconds kStartDeadline = 180s;
constexpr std::chrono::milliseconds kStopDeadline = 90s;
constexpr std::chrono::milliseconds kRegisterDeadline = 300s;
constexpr std::chrono::milliseconds kCtlDeadline = 60s;

std::filesystem::path make_temp_dir()
{
    const char* tmpdir = std::getenv("TMPDIR");
    const std::filesystem::path base = tmpdir && *tmpdir ? tmpdir : "/tmp";
    std::string pattern = (base / "herald-ejabberd-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
        throw std::runtime_error("PrivateEjabberd: mkdtemp(" + pattern +
                                 "): " + std::strerror(errno));
    return pattern;
}

int parse_port(const std::string& key, const std::string& value, const std::filesystem::path& file)
{
    try {
        std::size_t used = 0;
        const int port = std::stoi(value, &used);
        if (used == value.size() && port > 0 && port <= 65535)
            return port;
    } catch (const std::exception&) {
    }
    throw std::runtime_error("PrivateEjabberd: " + file.string() + ": " + key +
                             " is not a port: '" + value + "'");
}

}  // namespace

std::filesystem::path PrivateEjabberd::default_launcher()
{
    if (const char* launcher = std::getenv("HERALD_EJABBERD_LAUNCHER"); launcher && *launcher)
        return launcher;
    return std::filesystem::path(HERALD_SOURCE_DIR) / "ejabberd-config" / "herald-ejabberd";
}

PrivateEjabberd::PrivateEjabberd() : PrivateEjabberd(default_launcher()) {}

PrivateEjabberd::PrivateEjabberd(std::filesystem::path launcher) : launcher_(std::move(launcher))
{
    if (!std::filesystem::exists(launcher_))
        throw std::runtime_error("PrivateEjabberd: launcher not found: " + launcher_.string());
    dir_ = make_temp_dir();
    try {
        start();
    } catch (...) {
        try {
            run_launcher("stop", {}, kStopDeadline);
        } catch (const std::exception&) {
        }
        if (!std::getenv("HERALD_KEEP_TEST_DIRS")) {
            std::error_code ignored;
            std::filesystem::remove_all(dir_, ignored);
        }
        throw;
    }
}

PrivateEjabberd::~PrivateEjabberd()
{
    try {
        stop();
    } catch (const std::exception& error) {
        std::cerr << "PrivateEjabberd: " << error.what() << '\n';
    }
    if (std::getenv("HERALD_KEEP_TEST_DIRS")) {
        std::cerr << "PrivateEjabberd: kept " << dir_.string() << '\n';
        return;
    }
    std::error_code error;
    std::filesystem::remove_all(dir_, error);
    if (error)
        std::cerr << "PrivateEjabberd: cannot remove " << dir_.string() << ": " << error.message()
                  << '\n';
}

void PrivateEjabberd::start()
{
    run_launcher("start", {}, kStartDeadline);
    running_ = true;
    load_ports_env();
}

void PrivateEjabberd::stop()
{
    run_launcher("stop", {}, kStopDeadline);
    running_ = false;
}

void PrivateEjabberd::register_user(const std::string& user, const std::string& password)
{
    register_users({{user, password}});
}

void PrivateEjabberd::register_users(const std::vector<Account>& accounts)
{
    if (accounts.empty())
        return;
    std::vector<std::string> arguments;
    arguments.reserve(accounts.size() * 2);
    for (const auto& account : accounts) {
        arguments.push_back(account.user);
        arguments.push_back(account.password);
    }
    run_launcher("register", std::move(arguments), kRegisterDeadline);
}

void PrivateEjabberd::register_many(const std::string& prefix, int count,
                                    const std::string& password)
{
    run_launcher("register-many", {prefix, std::to_string(count), password}, kRegisterDeadline);
}

CommandResult PrivateEjabberd::ctl(const std::vector<std::string>& arguments) const
{
    std::vector<std::string> argv{launcher_.string(), "ctl", dir_.string()};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return run_command(argv, kCtlDeadline);
}

std::unique_ptr<XmppTestClient> PrivateEjabberd::client(const std::string& user,
                                                        const std::string& password,
                                                        const std::string& resource,
                                                        XmppTestClient::Options options) const
{
    return std::make_unique<XmppTestClient>(jid(user) + "/" + resource, password, "127.0.0.1",
                                            c2s_port_, options);
}

std::string PrivateEjabberd::herald_config(const std::filesystem::path& config_dir,
                                           const std::filesystem::path& database) const {
    std::ofstream(config_dir / "component.secret") << component_secret_ << "\n";
    return "component:\n"
           "  jid: " + component_host_ + "\n"
           "  server: 127.0.0.1\n"
           "  port: " + std::to_string(component_port_) + "\n"
           "  secret_file: component.secret\n"
           "  reconnect_initial_seconds: 0.2\n"
           "  reconnect_max_seconds: 1\n"
           "storage:\n"
           "  database: " + database.string() + "\n";
}

std::string PrivateEjabberd::setting(const std::string& key) const
{
    const auto found = settings_.find(key);
    return found == settings_.end() ? std::string() : found->second;
}

CommandResult PrivateEjabberd::run_launcher(const std::string& command,
                                            std::vector<std::string> arguments,
                                            std::chrono::milliseconds deadline) const
{
    std::vector<std::string> argv{launcher_.string(), command, dir_.string()};
    argv.insert(argv.end(), std::make_move_iterator(arguments.begin()),
                std::make_move_iterator(arguments.end()));
    const auto started = std::chrono::steady_clock::now();
    CommandResult result = run_command(argv, deadline);
    if (result.exit_code != 0) {
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        throw std::runtime_error("PrivateEjabberd: `" + describe_command(argv) + "` " +
                                 (result.timed_out ? "timed out" : "failed with exit status " +
                                                                       std::to_string(result.exit_code)) +
                                 " after " + std::to_string(took.count()) + " ms; its output:\n" +
                                 result.output);
    }
    return result;
}

void PrivateEjabberd::load_ports_env()
{
    const auto file = dir_ / "ports.env";
    std::ifstream in(file);
    if (!in)
        throw std::runtime_error("PrivateEjabberd: the launcher wrote no " + file.string());
    settings_.clear();
    for (std::string line; std::getline(in, line);) {
        const auto equals = line.find('=');
        if (line.empty() || line.front() == '#' || equals == std::string::npos)
            continue;
        std::string value = line.substr(equals + 1);
        if (value.size() >= 2 && (value.front() == '\'' || value.front() == '"') &&
            value.back() == value.front())
            value = value.substr(1, value.size() - 2);
        settings_[line.substr(0, equals)] = value;
    }
    auto required = [&](const std::string& key) {
        const auto found = settings_.find(key);
        if (found == settings_.end() || found->second.empty())
            throw std::runtime_error("PrivateEjabberd: " + file.string() + " has no " + key);
        return found->second;
    };
    domain_ = required("XMPP_DOMAIN");
    c2s_port_ = parse_port("C2S_PORT", required("C2S_PORT"), file);
    component_port_ = parse_port("COMPONENT_PORT", required("COMPONENT_PORT"), file);
    component_host_ = required("COMPONENT_HOST");
    component_secret_ = required("COMPONENT_SECRET");
    http_port_ = parse_port("HTTP_PORT", required("HTTP_PORT"), file);
    node_ = required("EJABBERD_NODE");
}

}  // namespace herald::testing
