#include "private_ejabberd.h"

#include <fstream>
#include <iostream>
#include <stdexcept>
#include <utility>

namespace herald::testing {

namespace {

using namespace std::chrono_literals;

constexpr const char* kOwner = "PrivateEjabberd";
// The launcher waits up to 30 s for ejabberd itself (and up to 120 s for the
// instance lock); these only catch a launcher that hangs.
constexpr std::chrono::milliseconds kStartDeadline = 180s;
constexpr std::chrono::milliseconds kStopDeadline = 90s;
constexpr std::chrono::milliseconds kRegisterDeadline = 300s;
constexpr std::chrono::milliseconds kCtlDeadline = 60s;

}  // namespace

std::filesystem::path PrivateEjabberd::default_launcher()
{
    return launcher_path("HERALD_EJABBERD_LAUNCHER", "herald-ejabberd");
}

PrivateEjabberd::PrivateEjabberd() : PrivateEjabberd(default_launcher()) {}

PrivateEjabberd::PrivateEjabberd(std::filesystem::path launcher) : launcher_(std::move(launcher))
{
    if (!std::filesystem::exists(launcher_))
        throw std::runtime_error("PrivateEjabberd: launcher not found: " + launcher_.string());
    start_in_private_dir(dir_, "herald-ejabberd", kOwner, [this] { start(); }, [this] { stop(); });
}

PrivateEjabberd::~PrivateEjabberd()
{
    stop_and_remove_private_dir(dir_, kOwner, [this] { stop(); });
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

std::string herald_component_config(const std::filesystem::path& config_dir,
                                    const std::filesystem::path& database,
                                    const std::string& component_host,
                                    const std::string& component_secret, int port) {
    std::ofstream(config_dir / "component.secret") << component_secret << "\n";
    return "component:\n"
           "  jid: " + component_host + "\n"
           "  server: 127.0.0.1\n"
           "  port: " + std::to_string(port) + "\n"
           "  secret_file: component.secret\n"
           "  reconnect_initial_seconds: 0.2\n"
           "  reconnect_max_seconds: 1\n"
           "storage:\n"
           "  database: " + database.string() + "\n";
}

std::string PrivateEjabberd::herald_config(const std::filesystem::path& config_dir,
                                           const std::filesystem::path& database) const {
    return herald_component_config(config_dir, database, component_host_, component_secret_, component_port_);
}

std::string PrivateEjabberd::setting(const std::string& key) const { return env_.get(key); }

CommandResult PrivateEjabberd::run_launcher(const std::string& command,
                                            std::vector<std::string> arguments,
                                            std::chrono::milliseconds deadline) const
{
    std::vector<std::string> argv{launcher_.string(), command, dir_.string()};
    argv.insert(argv.end(), std::make_move_iterator(arguments.begin()),
                std::make_move_iterator(arguments.end()));
    return run_launcher_command(kOwner, argv, deadline);
}

void PrivateEjabberd::load_ports_env()
{
    env_ = EnvFile(dir_ / "ports.env", kOwner);
    domain_ = env_.required("XMPP_DOMAIN");
    c2s_port_ = env_.port("C2S_PORT");
    component_port_ = env_.port("COMPONENT_PORT");
    component_host_ = env_.required("COMPONENT_HOST");
    component_secret_ = env_.required("COMPONENT_SECRET");
    http_port_ = env_.port("HTTP_PORT");
    node_ = env_.required("EJABBERD_NODE");
}

}  // namespace herald::testing
