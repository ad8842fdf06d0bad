// The test infrastructure for several Herald instances (issue 17): a private
// two-node ejabberd cluster (PrivateCluster, `herald-ejabberd cluster-*`)
// and a private PostgreSQL (PrivatePostgresql, `herald-postgresql`).
//
// The cluster starts once for the suite (about 10 s). One test stops it and
// the next starts it again, so the tests run in declaration order (no
// --gtest_shuffle); each also passes alone.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#ifdef HERALD_TEST_LIBPQ
#include <libpq-fe.h>
#endif

#include "private_cluster.h"
#include "private_postgresql.h"
#include "raw_component.h"
#include "xmpp_test_client.h"

namespace herald::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kXmppDeadline = 10s;
constexpr const char* kPassword = "secret";

// ---------------------------------------------------------------- processes

// A live (not zombie) process.
bool process_alive(int pid)
{
    if (pid <= 0)
        return false;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line))
        return false;
    const auto after_name = line.rfind(')');
    return after_name != std::string::npos && after_name + 2 < line.size() &&
           line[after_name + 2] != 'Z';
}

int read_pid(const std::filesystem::path& file)
{
    std::ifstream in(file);
    int pid = 0;
    return in >> pid ? pid : 0;
}

// Live processes whose command line contains `text` (arguments joined by
// spaces).
std::vector<std::string> processes_mentioning(const std::string& text)
{
    std::vector<std::string> found;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename();
        if (name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        std::ifstream in(entry.path() / "cmdline");
        std::string command_line((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (char& c : command_line)
            if (c == '\0')
                c = ' ';
        if (command_line.find(text) != std::string::npos && process_alive(std::stoi(name)))
            found.push_back(name + ": " + command_line);
    }
    return found;
}

// ---------------------------------------------------------------- XMPP

std::unique_ptr<XmppTestClient> login(const PrivateCluster& cluster, const std::string& user,
                                      const std::string& resource, int node)
{
    auto client = cluster.client(user, kPassword, resource, node);
    EXPECT_TRUE(client->connect(kXmppDeadline))
        << user << "/" << resource << " via node " << node << ": " << client->last_error();
    return client;
}

std::string chat(const std::string& to, const std::string& body)
{
    return "<message type='chat' to='" + to + "'><body>" + body + "</body></message>";
}

bool receives_body(XmppTestClient& client, const std::string& body)
{
    return client
        .wait_for([&](const ReceivedStanza& stanza) {
            return stanza.name() == "message" && stanza.text("body") == body;
        },
                  kXmppDeadline)
        .has_value();
}

// ---------------------------------------------------------------- cluster

class ClusterSupport : public ::testing::Test {
protected:
    static constexpr int kBalancedUsers = 8;

    static void SetUpTestSuite()
    {
        cluster_ = new PrivateCluster(PrivateCluster::Options{.nodes = 2, .component_number = 2});
        cluster_->register_user("alice", kPassword, 1);
        cluster_->register_user("bob", kPassword, 2);
        for (int i = 1; i <= kBalancedUsers; ++i)
            cluster_->register_user("user" + std::to_string(i), kPassword, 1 + i % 2);
    }

    static void TearDownTestSuite()
    {
        delete cluster_;
        cluster_ = nullptr;
    }

    static PrivateCluster* cluster_;
};

PrivateCluster* ClusterSupport::cluster_ = nullptr;

TEST_F(ClusterSupport, TwoRunningNodesSeeEachOther)
{
    ASSERT_EQ(cluster_->node_count(), 2);
    EXPECT_NE(cluster_->node_name(1), cluster_->node_name(2));
    EXPECT_NE(cluster_->c2s_port(1), cluster_->c2s_port(2));
    EXPECT_NE(cluster_->component_port(1), cluster_->component_port(2));
    for (int node = 1; node <= 2; ++node) {
        EXPECT_TRUE(cluster_->node_running(node)) << node;
        const CommandResult members = cluster_->ctl({"list_cluster"}, node);
        ASSERT_EQ(members.exit_code, 0) << members.output;
        EXPECT_NE(members.output.find(cluster_->node_name(1)), std::string::npos) << members.output;
        EXPECT_NE(members.output.find(cluster_->node_name(2)), std::string::npos) << members.output;
    }
    EXPECT_NE(cluster_->epmd_port(), 4369) << "the cluster must not use the system's epmd";
}

TEST_F(ClusterSupport, AccountsAreSharedAndUsersOnDifferentNodesChat)
{
    cluster_->register_user("carol", kPassword, 1);
    auto carol = login(*cluster_, "carol", "phone", 2);
    EXPECT_TRUE(carol->connected()) << "registered through node 1, logged in through node 2";

    auto alice = login(*cluster_, "alice", "desk", 1);
    auto bob = login(*cluster_, "bob", "desk", 2);
    ASSERT_TRUE(alice->connected() && bob->connected());
    ASSERT_TRUE(cluster_->wait_for_session(bob->jid(), 1, kXmppDeadline));
    ASSERT_TRUE(cluster_->wait_for_session(alice->jid(), 2, kXmppDeadline));
    alice->send(chat(bob->jid(), "hello from node 1"));
    EXPECT_TRUE(receives_body(*bob, "hello from node 1"));
    bob->send(chat(alice->jid(), "hello from node 2"));
    EXPECT_TRUE(receives_body(*alice, "hello from node 2"));
}

// With domain_balancing over 2 slots, one component through each node: each
// user's stanzas, from every resource and whichever node it entered
// through, reach exactly one component, always the same.
TEST_F(ClusterSupport, ComponentsAreAcceptedOnEachNodeAndEachUserHasOne)
{
    RawComponent impostor(cluster_->component_host(), "wrong-secret", cluster_->component_port(1));
    EXPECT_FALSE(impostor.connect(kXmppDeadline)) << "a wrong secret must be refused";

    std::vector<std::unique_ptr<RawComponent>> components;
    for (int node = 1; node <= 2; ++node) {
        components.push_back(std::make_unique<RawComponent>(
            cluster_->component_host(), cluster_->component_secret(), cluster_->component_port(node)));
        ASSERT_TRUE(components.back()->connect(kXmppDeadline))
            << "node " << node << ": " << components.back()->last_error();
    }

    std::vector<std::unique_ptr<XmppTestClient>> clients;
    std::vector<std::string> markers;
    for (int i = 1; i <= kBalancedUsers; ++i) {
        for (int node = 1; node <= 2; ++node) {
            const std::string user = "user" + std::to_string(i);
            clients.push_back(login(*cluster_, user, "via-node" + std::to_string(node), node));
            ASSERT_TRUE(clients.back()->connected());
            markers.push_back("marker-" + user + "-node" + std::to_string(node) + "-end");
            clients.back()->send(chat(cluster_->component_host(), markers.back()));
        }
    }

    auto arrived = [&](const std::string& marker) {
        for (const auto& component : components)
            if (component->received().find(marker) != std::string::npos)
                return true;
        return false;
    };
    const auto deadline = std::chrono::steady_clock::now() + kXmppDeadline;
    while (std::chrono::steady_clock::now() < deadline &&
           !std::all_of(markers.begin(), markers.end(), arrived)) {
        for (auto& component : components)
            component->read_for(20ms);
    }
    // A duplicate would travel with the original: a short last look.
    for (auto& component : components)
        component->read_for(200ms);

    std::set<int> owners_used;
    for (int i = 1; i <= kBalancedUsers; ++i) {
        std::set<int> owners;
        int deliveries = 0;
        for (int node = 1; node <= 2; ++node) {
            const std::string marker = markers[static_cast<std::size_t>((i - 1) * 2 + node - 1)];
            for (int c = 0; c < 2; ++c) {
                if (components[static_cast<std::size_t>(c)]->received().find(marker) != std::string::npos) {
                    owners.insert(c);
                    ++deliveries;
                }
            }
        }
        EXPECT_EQ(deliveries, 2) << "user" << i << ": each of its 2 stanzas exactly once";
        EXPECT_EQ(owners.size(), 1u) << "user" << i << " is split across components";
        owners_used.insert(owners.begin(), owners.end());
    }
    std::cout << "[ info ] " << kBalancedUsers << " users on " << owners_used.size()
              << " of 2 components\n";
    EXPECT_EQ(owners_used.size(), 2u) << "every user hashed to the same slot";
}

TEST_F(ClusterSupport, NodeOneServesWhileNodeTwoIsKilledAndNodeTwoRejoins)
{
    auto bob = login(*cluster_, "bob", "on-node-2", 2);
    ASSERT_TRUE(bob->connected());

    cluster_->kill_node(2);
    EXPECT_FALSE(cluster_->node_running(2));
    EXPECT_TRUE(bob->wait_disconnected(kXmppDeadline)) << "the session on the killed node ends";

    auto alice = login(*cluster_, "alice", "after-kill", 1);
    auto user1 = login(*cluster_, "user1", "after-kill", 1);
    ASSERT_TRUE(alice->connected() && user1->connected());
    alice->send(chat(user1->jid(), "node 1 still serves"));
    EXPECT_TRUE(receives_body(*user1, "node 1 still serves"));

    cluster_->start_node(2);
    EXPECT_TRUE(cluster_->node_running(2));
    auto bob_again = login(*cluster_, "bob", "after-restart", 2);
    ASSERT_TRUE(bob_again->connected());
    bob_again->send(chat(alice->jid(), "back on node 2"));
    EXPECT_TRUE(receives_body(*alice, "back on node 2"));
    ASSERT_TRUE(cluster_->wait_for_session(bob_again->jid(), 1, kXmppDeadline));
    alice->send(chat(bob_again->jid(), "welcome back"));
    EXPECT_TRUE(receives_body(*bob_again, "welcome back"));
    const CommandResult members = cluster_->ctl({"list_cluster"}, 2);
    EXPECT_NE(members.output.find(cluster_->node_name(1)), std::string::npos) << members.output;
}

// Stops the suite's cluster (the next test starts it again).
TEST_F(ClusterSupport, StopLeavesNoProcessAndIsIdempotent)
{
    std::vector<int> pids{read_pid(cluster_->dir() / "epmd.pid")};
    for (int node = 1; node <= 2; ++node)
        pids.push_back(read_pid(cluster_->node(node).dir / "ejabberd.pid"));
    for (const int pid : pids)
        ASSERT_TRUE(process_alive(pid)) << pid;

    cluster_->stop();
    for (const int pid : pids)
        EXPECT_FALSE(process_alive(pid)) << pid;
    EXPECT_EQ(processes_mentioning(cluster_->dir().string()), std::vector<std::string>{});
    EXPECT_EQ(processes_mentioning("-port " + std::to_string(cluster_->epmd_port()) + " "),
              std::vector<std::string>{});
    EXPECT_FALSE(cluster_->node_running(1));
    EXPECT_NO_THROW(cluster_->stop());
}

TEST_F(ClusterSupport, StartsAgainOnTheSamePortsWithTheSameAccounts)
{
    const int c2s_port = cluster_->c2s_port(2);
    cluster_->start();
    EXPECT_EQ(cluster_->c2s_port(2), c2s_port);
    for (int node = 1; node <= 2; ++node) {
        EXPECT_TRUE(cluster_->node_running(node)) << node;
        auto alice = login(*cluster_, "alice", "restarted", node);
        EXPECT_TRUE(alice->connected()) << "node " << node;
    }
    const CommandResult members = cluster_->ctl({"list_cluster"}, 2);
    EXPECT_NE(members.output.find(cluster_->node_name(1)), std::string::npos) << members.output;
}

// ---------------------------------------------------------------- PostgreSQL

TEST(PrivatePostgresqlTest, AnswersKeepsDataOverARestartAndStopsCleanly)
{
    if (const std::string why = PrivatePostgresql::unavailable_reason(); !why.empty())
        GTEST_SKIP() << why;
    PrivatePostgresql postgresql;
    ASSERT_TRUE(postgresql.running());
    EXPECT_NE(postgresql.connection_string().find(":" + std::to_string(postgresql.port()) + "/herald"),
              std::string::npos)
        << postgresql.connection_string();

#ifdef HERALD_TEST_LIBPQ
    {
        std::unique_ptr<PGconn, decltype(&PQfinish)> connection(
            PQconnectdb(postgresql.connection_string().c_str()), &PQfinish);
        ASSERT_EQ(PQstatus(connection.get()), CONNECTION_OK) << PQerrorMessage(connection.get());
        std::unique_ptr<PGresult, decltype(&PQclear)> result(
            PQexec(connection.get(), "SELECT 1, current_user, current_database()"), &PQclear);
        ASSERT_EQ(PQresultStatus(result.get()), PGRES_TUPLES_OK) << PQerrorMessage(connection.get());
        EXPECT_STREQ(PQgetvalue(result.get(), 0, 0), "1");
        EXPECT_STREQ(PQgetvalue(result.get(), 0, 1), "herald");
        EXPECT_STREQ(PQgetvalue(result.get(), 0, 2), "herald");
    }
#endif
    const CommandResult one = postgresql.psql({"-c", "SELECT 1"});
    ASSERT_EQ(one.exit_code, 0) << one.output;
    EXPECT_EQ(one.output, "1\n");

    ASSERT_EQ(postgresql.psql({"-c", "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('before restart')"})
                  .exit_code,
              0);
    const int first_pid = postgresql.server_pid();
    postgresql.restart();
    EXPECT_FALSE(process_alive(first_pid)) << "restart starts a new server";
    const CommandResult kept = postgresql.psql({"-c", "SELECT v FROM kept"});
    EXPECT_EQ(kept.output, "before restart\n");

    const int pid = postgresql.server_pid();
    ASSERT_TRUE(process_alive(pid));
    postgresql.stop();
    EXPECT_FALSE(postgresql.running());
    EXPECT_FALSE(process_alive(pid));
    EXPECT_EQ(processes_mentioning(postgresql.dir().string()), std::vector<std::string>{});
    EXPECT_NO_THROW(postgresql.stop());
}

}  // namespace
}  // namespace herald::testing
