#include "private_cluster.h"

#include <iostream>
#include <map>
#include <stdexcept>
#include <utility>

namespace herald::testing {

namespace {

using namespace std::chrono_literals;

constexpr const char* kOwner = "PrivateCluster";
// The launcher's own limits are 30 s per node start, 20 s per stop and 120 s
// for a directory's lock; these only catch a launcher that hangs.
constexpr std::chrono::milliseconds kStartDeadline = 240s;
constexpr std::chrono::milliseconds kStopDeadline = 120s;
constexpr std::chrono::milliseconds kRegisterDeadline = 300s;
constexpr std::chrono::milliseconds kCtlDeadline = 60s;

}  // namespace

PrivateCluster::PrivateCluster() : PrivateCluster(Options{}) {}

PrivateCluster::PrivateCluster(Options options)
    : launcher_(launcher_path("HERALD_EJABBERD_LAUNCHER", "herald-ejabberd")),
      options_(options)
{
    if (options_.nodes < 1)
        throw std::invalid_argument("PrivateCluster: a cluster needs at least one node");
    if (!std::filesystem::exists(launcher_))
        throw std::runtime_error("PrivateCluster: launcher not found: " + launcher_.string());
    start_in_private_dir(dir_, "herald-cluster", kOwner, [this] { start(); }, [this] { stop(); });
}

PrivateCluster::~PrivateCluster()
{
    stop_and_remove_private_dir(dir_, kOwner, [this] { stop(); });
}

void PrivateCluster::start()
{
    std::map<std::string, std::string> environment;
    if (options_.component_number)
        environment["HERALD_COMPONENT_NUMBER"] = std::to_string(*options_.component_number);
    run_launcher_command(kOwner,
                         {launcher_.string(), "cluster-start", dir_.string(),
                          std::to_string(options_.nodes)},
                         kStartDeadline, environment);
    load_cluster_env();
}

void PrivateCluster::stop()
{
    run_launcher_command(kOwner, {launcher_.string(), "cluster-stop", dir_.string()},
                         kStopDeadline);
}

void PrivateCluster::stop_node(int node)
{
    run_launcher("stop", this->node(node).dir, {}, kStopDeadline);
}

void PrivateCluster::start_node(int node)
{
    run_launcher("start", this->node(node).dir, {}, kStartDeadline);
}

void PrivateCluster::kill_node(int node)
{
    run_launcher("kill", this->node(node).dir, {}, kStopDeadline);
}

bool PrivateCluster::node_running(int node) const
{
    return run_command({launcher_.string(), "status", this->node(node).dir.string()}, kCtlDeadline)
               .exit_code == 0;
}

void PrivateCluster::register_user(const std::string& user, const std::string& password, int node)
{
    run_launcher("register", this->node(node).dir, {user, password}, kRegisterDeadline);
}

void PrivateCluster::register_many(const std::string& prefix, int count, const std::string& password,
                                   int node)
{
    run_launcher("register-many", this->node(node).dir, {prefix, std::to_string(count), password},
                 kRegisterDeadline);
}

CommandResult PrivateCluster::ctl(const std::vector<std::string>& arguments, int node) const
{
    std::vector<std::string> argv{launcher_.string(), "ctl", this->node(node).dir.string()};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return run_command(argv, kCtlDeadline);
}

bool PrivateCluster::wait_for_session(const std::string& full_jid, int node,
                                      std::chrono::milliseconds deadline) const
{
    // Each ejabberdctl call boots a VM (a few hundred ms): that paces the loop.
    const auto give_up_at = std::chrono::steady_clock::now() + deadline;
    do {
        const CommandResult users = ctl({"connected_users"}, node);
        if (users.exit_code == 0 && ("\n" + users.output).find("\n" + full_jid + "\n") != std::string::npos)
            return true;
    } while (std::chrono::steady_clock::now() < give_up_at);
    return false;
}

std::unique_ptr<XmppTestClient> PrivateCluster::client(const std::string& user,
                                                       const std::string& password,
                                                       const std::string& resource, int node,
                                                       XmppTestClient::Options options) const
{
    return std::make_unique<XmppTestClient>(jid(user) + "/" + resource, password, "127.0.0.1",
                                            c2s_port(node), options);
}

const PrivateCluster::Node& PrivateCluster::node(int node) const
{
    if (node < 1 || node > node_count())
        throw std::out_of_range("PrivateCluster: no node " + std::to_string(node) + " (nodes 1.." +
                                std::to_string(node_count()) + ")");
    return nodes_[static_cast<std::size_t>(node - 1)];
}

CommandResult PrivateCluster::run_launcher(const std::string& command,
                                           const std::filesystem::path& dir,
                                           std::vector<std::string> arguments,
                                           std::chrono::milliseconds deadline) const
{
    std::vector<std::string> argv{launcher_.string(), command, dir.string()};
    argv.insert(argv.end(), std::make_move_iterator(arguments.begin()),
                std::make_move_iterator(arguments.end()));
    return run_launcher_command(kOwner, argv, deadline);
}

void PrivateCluster::load_cluster_env()
{
    env_ = EnvFile(dir_ / "cluster.env", kOwner);
    domain_ = env_.required("XMPP_DOMAIN");
    component_host_ = env_.required("COMPONENT_HOST");
    component_secret_ = env_.required("COMPONENT_SECRET");
    epmd_port_ = env_.port("EPMD_PORT");
    nodes_.clear();
    for (int i = 1; i <= options_.nodes; ++i) {
        const std::string prefix = "NODE" + std::to_string(i);
        nodes_.push_back(Node{env_.required(prefix), env_.required(prefix + "_DIR"),
                              env_.port(prefix + "_C2S_PORT"), env_.port(prefix + "_COMPONENT_PORT"),
                              env_.port(prefix + "_HTTP_PORT")});
    }
}

}  // namespace herald::testing
