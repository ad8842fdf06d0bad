#pragma once

// A private ejabberd for one test (suite), driven by
// ejabberd-config/herald-ejabberd: its own temporary directory, its own free
// ports, stopped and deleted by the destructor.

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "launcher_support.h"
#include "process.h"
#include "xmpp_test_client.h"

namespace herald::testing {

// The "component:" and "storage:" sections of a herald config attaching to
// the component port `port` on 127.0.0.1 and reconnecting quickly; writes
// the secret file they name into `config_dir`. (PrivateEjabberd's and a
// cluster node's.)
std::string herald_component_config(const std::filesystem::path& config_dir,
                                    const std::filesystem::path& database,
                                    const std::string& component_host,
                                    const std::string& component_secret, int port);

class PrivateEjabberd {
public:
    struct Account {
        std::string user;  // local part, or user@host
        std::string password;
    };

    // The launcher: $HERALD_EJABBERD_LAUNCHER, else
    // HERALD_SOURCE_DIR/ejabberd-config/herald-ejabberd.
    static std::filesystem::path default_launcher();

    // Makes a fresh directory under $TMPDIR (or /tmp) and starts ejabberd
    // there. Throws std::runtime_error, with the launcher's output, on failure.
    PrivateEjabberd();
    explicit PrivateEjabberd(std::filesystem::path launcher);
    // Stops ejabberd and deletes the directory (kept when the environment
    // variable HERALD_KEEP_TEST_DIRS is set).
    ~PrivateEjabberd();

    PrivateEjabberd(const PrivateEjabberd&) = delete;
    PrivateEjabberd& operator=(const PrivateEjabberd&) = delete;

    // Starts again after stop(), on the same ports, with the same accounts.
    void start();
    void stop();
    bool running() const { return running_; }

    void register_user(const std::string& user, const std::string& password);
    void register_users(const std::vector<Account>& accounts);
    // PREFIX1 .. PREFIX<count>, all with the same password.
    void register_many(const std::string& prefix, int count, const std::string& password);

    // ejabberdctl against this node, e.g. ctl({"connected_users"}).
    CommandResult ctl(const std::vector<std::string>& arguments) const;

    // A client for user@domain/resource on 127.0.0.1:c2s_port (not connected).
    std::unique_ptr<XmppTestClient> client(const std::string& user, const std::string& password,
                                           const std::string& resource = "test",
                                           XmppTestClient::Options options = {}) const;

    std::string jid(const std::string& user) const { return user + "@" + domain_; }

    const std::filesystem::path& dir() const { return dir_; }
    std::filesystem::path log_dir() const { return dir_ / "logs"; }
    const std::string& domain() const { return domain_; }
    int c2s_port() const { return c2s_port_; }
    int component_port() const { return component_port_; }
    const std::string& component_host() const { return component_host_; }
    const std::string& component_secret() const { return component_secret_; }
    int http_port() const { return http_port_; }
    const std::string& node() const { return node_; }
    // Any other entry of ports.env ("" when absent).
    std::string setting(const std::string& key) const;

    // The "component:" and "storage:" sections of a herald config attaching
    // to this server and reconnecting quickly; writes the secret file they
    // name into `config_dir`.
    std::string herald_config(const std::filesystem::path& config_dir,
                              const std::filesystem::path& database) const;

private:
    CommandResult run_launcher(const std::string& command, std::vector<std::string> arguments,
                               std::chrono::milliseconds deadline) const;
    void load_ports_env();

    const std::filesystem::path launcher_;
    std::filesystem::path dir_;
    bool running_ = false;

    EnvFile env_;
    std::string domain_;
    int c2s_port_ = 0;
    int component_port_ = 0;
    std::string component_host_;
    std::string component_secret_;
    int http_port_ = 0;
    std::string node_;
};

}  // namespace herald::testing
