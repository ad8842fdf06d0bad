#pragma once

// A private ejabberd cluster for one test (suite), driven by
// `herald-ejabberd cluster-start`: N nodes (2 by default) on 127.0.0.1 with
// their own private epmd, one Mnesia cluster (an account registered through
// one node logs in through any), one component host and secret. Stopped and
// deleted by the destructor. Nodes are numbered from 1, as in cluster.env.

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "launcher_support.h"
#include "process.h"
#include "xmpp_test_client.h"

namespace herald::testing {

class PrivateCluster {
public:
    struct Options {
        int nodes = 2;
        // domain_balancing (bare_source) over this many component slots.
        std::optional<int> component_number;
    };

    struct Node {
        std::string name;  // Erlang node, e.g. herald1-<random>@localhost
        std::filesystem::path dir;
        int c2s_port = 0;
        int component_port = 0;
        int http_port = 0;
    };

    // Makes a fresh directory under $TMPDIR (or /tmp) and starts the
    // cluster there. Throws std::runtime_error, with the launcher's output,
    // on failure.
    PrivateCluster();
    explicit PrivateCluster(Options options);
    // Stops every node and the epmd and deletes the directory (kept when
    // HERALD_KEEP_TEST_DIRS is set).
    ~PrivateCluster();

    PrivateCluster(const PrivateCluster&) = delete;
    PrivateCluster& operator=(const PrivateCluster&) = delete;

    // The whole cluster; start() again after stop() reuses ports and data.
    void start();
    void stop();

    // One node: a clean stop, a start (it rejoins from the others' Mnesia),
    // or SIGKILL of its VM as a crash would.
    void stop_node(int node);
    void start_node(int node);
    void kill_node(int node);
    bool node_running(int node) const;

    // Through `node`'s HTTP API; the account is cluster-wide.
    void register_user(const std::string& user, const std::string& password, int node = 1);
    // PREFIX1 .. PREFIX<count>, all with the same password, in one call.
    void register_many(const std::string& prefix, int count, const std::string& password, int node = 1);

    // ejabberdctl against one node, e.g. ctl({"list_cluster"}, 2).
    CommandResult ctl(const std::vector<std::string>& arguments, int node = 1) const;

    // Until `node` knows the session of full_jid (user@domain/resource).
    // Sessions reach the other nodes' Mnesia copies asynchronously: a
    // stanza routed by another node just after a login can find no session.
    bool wait_for_session(const std::string& full_jid, int node,
                          std::chrono::milliseconds deadline) const;

    // A client for user@domain/resource entering through `node`'s c2s port
    // (not connected).
    std::unique_ptr<XmppTestClient> client(const std::string& user, const std::string& password,
                                           const std::string& resource = "test", int node = 1,
                                           XmppTestClient::Options options = {}) const;

    std::string jid(const std::string& user) const { return user + "@" + domain_; }

    int node_count() const { return static_cast<int>(nodes_.size()); }
    const Node& node(int node) const;
    int c2s_port(int node) const { return this->node(node).c2s_port; }
    int component_port(int node) const { return this->node(node).component_port; }
    const std::string& node_name(int node) const { return this->node(node).name; }

    const std::filesystem::path& dir() const { return dir_; }
    const std::string& domain() const { return domain_; }
    const std::string& component_host() const { return component_host_; }
    const std::string& component_secret() const { return component_secret_; }
    int epmd_port() const { return epmd_port_; }
    // Any entry of cluster.env ("" when absent).
    std::string setting(const std::string& key) const { return env_.get(key); }

private:
    CommandResult run_launcher(const std::string& command, const std::filesystem::path& dir,
                               std::vector<std::string> arguments,
                               std::chrono::milliseconds deadline) const;
    void load_cluster_env();

    const std::filesystem::path launcher_;
    const Options options_;
    std::filesystem::path dir_;

    EnvFile env_;
    std::vector<Node> nodes_;
    std::string domain_;
    std::string component_host_;
    std::string component_secret_;
    int epmd_port_ = 0;
};

}  // namespace herald::testing
