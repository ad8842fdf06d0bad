// Several Herald instances (issue 17): real herald processes attached to the
// two nodes of a private ejabberd cluster (domain_balancing over 2 component
// slots), sharing one private PostgreSQL; clients entering through both
// nodes. Each test prints
//   acknowledged=A delivered=D duplicated=U lost=L
// counted per (subscriber, item): A = acknowledged items x subscribers,
// D = those received at least once, U = receptions beyond the first, L =
// A - D, which must be 0.
//
// The cluster and the PostgreSQL server start once for the suite (this file
// runs as one ctest entry, MultiInstance.Cluster); each test has a database
// of its own on that server and users of its own (their rosters live in the
// cluster's Mnesia), so each also passes alone.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/herald_e2e_fixture.h"
#include "tests/e2e/publish_storm.h"
#include "tests/support/http_test_server.h"
#include "tests/support/private_cluster.h"
#include "tests/support/private_postgresql.h"
#include "tests/support/smtp_sink.h"

namespace herald::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kPassword = "secret";
// A step of ejabberd + herald (login, IQ round trip, a presence reaching its owner).
constexpr auto kStep = 20s;
// Everything due reaching every subscriber.
constexpr auto kDrain = 60s;
// Issue 17: a dead instance's users are served again by the standby within this.
constexpr auto kServedAgainWithin = 30s;
constexpr int kHeartbeatSeconds = 1;
constexpr int kDeadAfterSeconds = 3;

// The single-instance fixture's stanza builders (static members, reused).
struct Stanzas : HeraldE2E {
    using HeraldE2E::notification;
    using HeraldE2E::publish_iq;
    using HeraldE2E::send_receipt;
    using HeraldE2E::chat;
};

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Polls `done` until it holds or the deadline passes (a condition over
// several processes' files and a database: nothing to block on).
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds deadline) {
    const auto give_up_at = Clock::now() + deadline;
    while (!done()) {
        if (Clock::now() >= give_up_at) return false;
        std::this_thread::sleep_for(50ms);
    }
    return true;
}

// What is left until `until` (0 once past).
std::chrono::milliseconds left(Clock::time_point until) {
    return std::max(0ms, std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()));
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// One subscriber's session, read on a thread of its own as a client would:
// every notification is counted by title and, while acking, confirmed with a
// receipt. While not acking the client answers no ping either (herald counts
// an answered ping as confirming what it sent before), so its messages stay
// in flight: a stalled client. A session that ends (its node killed) logs in
// again and sends its presence, as a client does.
class Receiver {
public:
    Receiver(std::unique_ptr<XmppTestClient> client, std::string component, bool acking)
        : client_(std::move(client)), component_(std::move(component)), acking_(acking) {
        bare_jid_ = client_->bare_jid();
        client_->set_iq_responder([this](const ReceivedStanza& iq) -> std::optional<std::string> {
            if (!acking_) return std::nullopt;
            return answer_pings_refuse_others(iq);
        });
        thread_ = std::thread([this] { run(); });
    }
    ~Receiver() { stop(); }

    void stop() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        changed_.notify_all();
        if (thread_.joinable()) thread_.join();
        client_->disconnect();
    }

    // Acking on again also confirms what arrived while it was off.
    void set_acking(bool acking) {
        std::vector<ReceivedStanza> held;
        {
            std::lock_guard lock(mutex_);
            acking_ = acking;
            if (acking) held.swap(unconfirmed_);
        }
        for (const auto& message : held) Stanzas::send_receipt(*client_, message);
    }

    const std::string& bare_jid() const { return bare_jid_; }
    XmppTestClient& client() { return *client_; }

    std::map<std::string, int> received() const {
        std::lock_guard lock(mutex_);
        return received_;
    }
    // Titles in arrival order, duplicates included.
    std::vector<std::string> arrivals() const {
        std::lock_guard lock(mutex_);
        return arrivals_;
    }
    std::size_t distinct() const {
        std::lock_guard lock(mutex_);
        return received_.size();
    }

    // Until every one of `titles` has arrived.
    bool wait_for_all(const std::set<std::string>& titles, Clock::time_point deadline) {
        std::unique_lock lock(mutex_);
        return changed_.wait_until(lock, deadline, [&] {
            return std::all_of(titles.begin(), titles.end(), [&](const auto& t) { return received_.count(t) > 0; });
        });
    }
    bool wait_for_count(std::size_t distinct, Clock::time_point deadline) {
        std::unique_lock lock(mutex_);
        return changed_.wait_until(lock, deadline, [&] { return received_.size() >= distinct; });
    }
    // When the first notification came after `since` (nullopt: none yet).
    std::optional<Clock::time_point> first_arrival_after(Clock::time_point since) const {
        std::lock_guard lock(mutex_);
        for (const auto& at : arrival_times_)
            if (at > since) return at;
        return std::nullopt;
    }

private:
    void run() {
        while (true) {
            {
                std::unique_lock lock(mutex_);
                if (stopping_) return;
            }
            if (!client_->connected()) {
                // The session ended under us: log in again, as a client does.
                if (client_->connect(5s)) {
                    client_->send("<presence/>");
                } else {
                    std::unique_lock lock(mutex_);
                    changed_.wait_for(lock, 200ms, [this] { return stopping_; });
                }
                continue;
            }
            auto message = client_->wait_for(
                [&](const ReceivedStanza& s) {
                    return s.name() == "message" && from_herald(s, component_) &&
                           s.has("notification[@xmlns='urn:herald:0']");
                },
                200ms);
            if (!message) continue;
            const auto title = message->text("notification/notification/title");
            bool ack = false;
            {
                std::lock_guard lock(mutex_);
                ++received_[title];
                arrivals_.push_back(title);
                arrival_times_.push_back(Clock::now());
                ack = acking_;
                if (!ack) unconfirmed_.push_back(*message);
            }
            if (ack) Stanzas::send_receipt(*client_, *message);
            changed_.notify_all();
        }
    }

    std::unique_ptr<XmppTestClient> client_;
    const std::string component_;
    std::string bare_jid_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    bool stopping_ = false;
    std::atomic<bool> acking_;
    std::map<std::string, int> received_;
    std::vector<std::string> arrivals_;
    std::vector<Clock::time_point> arrival_times_;
    std::vector<ReceivedStanza> unconfirmed_;
    std::thread thread_;  // last: started after everything above exists
};

// Per (subscriber, item) over every subscriber; prints the line the issue asks for.
struct Tally {
    std::size_t acknowledged = 0, delivered = 0, duplicated = 0, lost = 0;

    void add(const std::set<std::string>& acknowledged_titles, const std::map<std::string, int>& received) {
        const auto count = DeliveryCount::of(acknowledged_titles, received);
        acknowledged += count.acknowledged;
        delivered += count.delivered;
        duplicated += count.duplicated;
        lost += count.lost;
    }

    std::string line() const {
        std::ostringstream out;
        out << "acknowledged=" << acknowledged << " delivered=" << delivered << " duplicated=" << duplicated
            << " lost=" << lost;
        return out.str();
    }
};

class MultiInstanceE2E : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        ::signal(SIGPIPE, SIG_IGN);
        if (!PrivatePostgresql::unavailable_reason().empty()) return;  // each test skips (or fails in CI)
        postgresql_ = new PrivatePostgresql;
        cluster_ = new PrivateCluster(PrivateCluster::Options{.nodes = 2, .component_number = 2});
    }

    static void TearDownTestSuite() {
        delete cluster_;
        cluster_ = nullptr;
        delete postgresql_;
        postgresql_ = nullptr;
    }

    void SetUp() override {
        if (const auto reason = PrivatePostgresql::unavailable_reason(); !reason.empty()) {
            const char* ci = std::getenv("CI");
            if (ci && *ci && std::string(ci) != "false" && std::string(ci) != "0") FAIL() << reason << " (CI is set)";
            GTEST_SKIP() << reason;
        }
        ASSERT_TRUE(cluster_ && postgresql_);
        started_ = Clock::now();
        // A database and a user name prefix of the test's own.
        database_ = "multi" + std::to_string(++tests_started_);
        const auto created = postgresql_->psql({"-c", "CREATE DATABASE " + database_});
        ASSERT_EQ(created.exit_code, 0) << created.output;
        const auto& url = postgresql_->connection_string();
        connection_ = url.substr(0, url.rfind('/')) + "/" + database_;
    }

    void TearDown() override {
        receivers_.clear();
        clients_.clear();
        instances_.clear();  // SIGTERM each
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        std::cout << "[ time ] " << info->name() << ": " << seconds_since(started_) << " s" << std::endl;
    }

    const std::string& component() const { return cluster_->component_host(); }

    // ------------------------------------------------------------ instances

    // A herald instance attached to `node`, on this test's database, started
    // and announced serving (or standing by).
    HeraldUnderTest& start_instance(const std::string& name, int node, bool standby = false,
                                    const std::string& log_level = "debug", const std::string& extra = {}) {
        const HeraldUnderTest::Attachment attachment{cluster_->component_host(), cluster_->component_secret(),
                                                     cluster_->component_port(node), cluster_->domain()};
        const std::string config = "cluster:\n  instance: " + name + "\n  standby: " + (standby ? "true" : "false") +
                                   "\n  heartbeat_seconds: " + std::to_string(kHeartbeatSeconds) +
                                   "\n  dead_after_seconds: " + std::to_string(kDeadAfterSeconds) +
                                   "\n  rescan_seconds: 60\n"
                                   "limits:\n  requests_per_second: 100000\n" + extra;
        auto instance = std::make_unique<HeraldUnderTest>(attachment, cluster_->dir() / (database_ + "-" + name),
                                                          log_level, config, connection_);
        auto& herald = *instance;
        instances_[name] = std::move(instance);
        herald.start();
        const auto announced = "cluster: instance " + name + (standby ? " standing by" : " serving");
        EXPECT_TRUE(herald.log().wait_for(announced, kStep, 0)) << name << ": no '" << announced << "'; its log:\n"
                                                                << herald.log().tail();
        return herald;
    }

    HeraldUnderTest& instance(const std::string& name) { return *instances_.at(name); }

    // The instances whose log says `text` (from the start).
    std::vector<std::string> instances_logging(const std::string& text) const {
        std::vector<std::string> names;
        for (const auto& [name, herald] : instances_)
            if (contains(herald->log().contents(), text)) names.push_back(name);
        return names;
    }

    std::string available_line(const std::string& bare_jid) const { return "user " + bare_jid + " is now available"; }

    // Which instances saw the user available (exactly one when not split).
    std::vector<std::string> owners_by_log(const std::string& bare_jid) const {
        return instances_logging(available_line(bare_jid));
    }

    // ------------------------------------------------------------ database

    // One value (or lines) from this test's database, as psql -At prints it.
    std::string query(const std::string& sql) const {
        const auto result = postgresql_->psql({"-d", database_, "-c", sql});
        EXPECT_EQ(result.exit_code, 0) << sql << "\n" << result.output;
        auto value = result.output;
        while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
        return value;
    }

    // users.present_on of each present user whose JID starts with `prefix`.
    std::map<std::string, std::string> present_on(const std::string& prefix) const {
        std::map<std::string, std::string> owners;
        std::istringstream rows(query("SELECT jid, present_on FROM users WHERE away_since_ms IS NULL AND "
                                      "present_on IS NOT NULL AND jid LIKE '" + prefix + "%' ORDER BY jid"));
        for (std::string row; std::getline(rows, row);) {
            const auto bar = row.find('|');
            if (bar != std::string::npos) owners[row.substr(0, bar)] = row.substr(bar + 1);
        }
        return owners;
    }

    // ------------------------------------------------------------ users

    std::string user_name(const std::string& letter, int i) const { return database_ + letter + std::to_string(i); }

    // Users <database><letter>1..count: ejabberd accounts, one session each
    // (resource "n<node>") through node_of(i), available, registered with
    // herald over XEP-0077 and herald's presence subscription approved, as
    // HeraldE2E::register_and_approve does, then seen available by an
    // instance. Registration runs for all users at once.
    // Every client disconnects, and some instance logs each user offline.
    // Returns their bare JIDs.
    std::vector<std::string> take_offline(std::vector<std::unique_ptr<XmppTestClient>>& clients) {
        std::vector<std::string> jids;
        for (auto& client : clients) {
            jids.push_back(client->bare_jid());
            client->disconnect();
        }
        EXPECT_TRUE(eventually(
            [&] {
                return std::all_of(jids.begin(), jids.end(), [&](const auto& jid) {
                    return !instances_logging("user " + jid + " is now offline").empty();
                });
            },
            kStep))
            << "not every user was seen leaving";
        return jids;
    }

    std::vector<std::unique_ptr<XmppTestClient>> online_users(const std::string& letter, int count,
                                                              const std::function<int(int)>& node_of) {
        std::vector<std::unique_ptr<XmppTestClient>> clients;
        cluster_->register_many(database_ + letter, count, kPassword);
        for (int i = 1; i <= count; ++i) {
            const int node = node_of(i);
            clients.push_back(cluster_->client(user_name(letter, i), kPassword, "n" + std::to_string(node), node));
            EXPECT_TRUE(clients.back()->connect(kStep)) << clients.back()->last_error();
            // Subscription requests reach only available resources.
            clients.back()->send("<presence/>");
        }
        for (auto& client : clients)
            client->send("<iq type='set' id='register' to='" + component() +
                         "'><query xmlns='jabber:iq:register'/></iq>");
        const auto from_herald_typed = [this](const std::string& name, const std::string& type) {
            return [this, name, type](const ReceivedStanza& s) {
                return s.name() == name && s.type() == type && from_herald(s, component());
            };
        };
        // One deadline for each step of all users (a failure does not wait once per user).
        auto until = Clock::now() + kStep;
        for (auto& client : clients) {
            auto reply = client->wait_for(
                [](const ReceivedStanza& s) { return s.name() == "iq" && s.id() == "register"; }, left(until));
            EXPECT_TRUE(reply && reply->type() == "result")
                << client->bare_jid() << ": " << (reply ? reply->xml() : "no answer to registration");
        }
        until = Clock::now() + kStep;
        for (auto& client : clients) {
            EXPECT_TRUE(client->wait_for(from_herald_typed("presence", "subscribe"), left(until)))
                << client->bare_jid() << ": herald asked for no presence subscription";
            client->send("<presence type='subscribed' to='" + component() + "'/>");
            // Clients offer to add the contact back; herald approves registered users.
            client->send("<presence type='subscribe' to='" + component() + "'/>");
        }
        until = Clock::now() + kStep;
        for (auto& client : clients)
            EXPECT_TRUE(client->wait_for(from_herald_typed("presence", "subscribed"), left(until)))
                << client->bare_jid();
        EXPECT_TRUE(eventually(
            [&] {
                return std::all_of(clients.begin(), clients.end(),
                                   [&](const auto& c) { return !owners_by_log(c->bare_jid()).empty(); });
            },
            kStep))
            << "not every user was seen available by an instance";
        return clients;
    }

    // ------------------------------------------------------------ publishing

    // Publish IQs for an open topic; the id is the title.
    PublishStorm::MakePublish publish_on(const std::string& topic) const {
        return [component = component(), topic](const std::string& id, const std::string& title) {
            // publish_iq() starts with "<iq "; the id goes right after it.
            return "<iq id='" + id + "' " +
                   Stanzas::publish_iq(component, topic, Stanzas::notification(title)).substr(4);
        };
    }

    // Publishers' sessions: user on `node` (password kPassword).
    PublishStorm::MakeClient publishers_through(int node) const {
        return [cluster = cluster_, node](const std::string& user) {
            return cluster->client(user, kPassword, "storm", node);
        };
    }

    // An open topic created by `owner`, which every registered user may publish to.
    void create_open_topic(XmppTestClient& owner, const std::string& topic) {
        auto reply = owner.request(
            "<iq type='set' to='" + component() + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
            "<create node='" + topic + "'/><configure><x xmlns='jabber:x:data' type='submit'>"
            "<field var='pubsub#publish_model'><value>open</value></field></x></configure></pubsub></iq>",
            kStep);
        ASSERT_TRUE(reply) << "no answer to create " << topic;
        ASSERT_EQ(reply->type(), "result") << reply->xml();
    }

    void subscribe(XmppTestClient& client, const std::string& topic) {
        auto reply = client.request("<iq type='set' to='" + component() +
                                        "'><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscribe node='" +
                                        topic + "' jid='" + client.bare_jid() + "'/></pubsub></iq>",
                                    kStep);
        ASSERT_TRUE(reply) << client.bare_jid() << ": no answer to subscribe";
        ASSERT_EQ(reply->type(), "result") << reply->xml();
    }

    // Types `body` in the chat with herald; the body of its answer ("" when none).
    std::string say(XmppTestClient& client, const std::string& body) {
        client.send(Stanzas::chat(component(), body));
        auto answer = client.wait_for(
            [&](const ReceivedStanza& s) {
                return s.name() == "message" && from_herald(s, component()) && s.has("body") &&
                       !s.has("notification");
            },
            kStep);
        EXPECT_TRUE(answer) << client.bare_jid() << ": no answer to '" << body << "'";
        return answer ? answer->text("body") : "";
    }

    // Turns sessions into receivers (the clients are theirs from then on).
    void receive_with(std::vector<std::unique_ptr<XmppTestClient>>& clients, bool acking) {
        for (auto& client : clients)
            receivers_.push_back(std::make_unique<Receiver>(std::move(client), component(), acking));
        clients.clear();
    }

    // Waits until every receiver has every acknowledged title (or the
    // deadline), then counts; prints the line and checks nothing is lost.
    Tally drain_and_count(const std::string& what, const std::set<std::string>& acknowledged,
                          std::chrono::milliseconds deadline = kDrain) {
        const auto until = Clock::now() + deadline;
        for (auto& receiver : receivers_)
            EXPECT_TRUE(receiver->wait_for_all(acknowledged, until))
                << receiver->bare_jid() << " has " << receiver->distinct() << " of " << acknowledged.size();
        Tally tally;
        for (auto& receiver : receivers_) tally.add(acknowledged, receiver->received());
        std::cout << "[ count ] " << what << " (" << acknowledged.size() << " items x " << receivers_.size()
                  << " subscribers): " << tally.line() << std::endl;
        EXPECT_EQ(tally.lost, 0u) << what;
        return tally;
    }

    // Per publisher (title "<publisher>-<n>", n counting up in publish
    // order), a receiver's first arrivals come in increasing n.
    static std::string order_violation(const Receiver& receiver) {
        std::map<std::string, long> last;  // publisher -> last n
        std::set<std::string> seen;
        for (const auto& title : receiver.arrivals()) {
            if (!seen.insert(title).second) continue;  // a copy: where it falls says nothing
            const auto dash = title.rfind('-');
            if (dash == std::string::npos) continue;
            const auto publisher = title.substr(0, dash);
            const long n = std::stol(title.substr(dash + 1));
            if (last.count(publisher) && n < last[publisher])
                return receiver.bare_jid() + " got " + title + " after " + publisher + "-" +
                       std::to_string(last[publisher]);
            last[publisher] = n;
        }
        return {};
    }

    static PrivatePostgresql* postgresql_;
    static PrivateCluster* cluster_;
    static int tests_started_;

    Clock::time_point started_;
    std::string database_;
    std::string connection_;
    std::vector<std::unique_ptr<Receiver>> receivers_;   // before instances_: they stop first
    std::vector<std::unique_ptr<XmppTestClient>> clients_;
    std::map<std::string, std::unique_ptr<HeraldUnderTest>> instances_;
};

PrivatePostgresql* MultiInstanceE2E::postgresql_ = nullptr;
PrivateCluster* MultiInstanceE2E::cluster_ = nullptr;
int MultiInstanceE2E::tests_started_ = 0;

// ---------------------------------------------------------------- ownership

// Two instances, one per node; 30 users with one resource through each node.
// Every stanza of a user (both resources' presence and a marker IQ from each)
// reaches one instance, always the same, and users.present_on names it; each
// instance owns 35-65 % of the users.
TEST_F(MultiInstanceE2E, EachUserIsOwnedByExactlyOneInstanceAndTheSharesAreBalanced) {
    constexpr int kUsers = 30;
    // Trace: each instance logs every stanza it receives ("in: ...").
    start_instance("herald-a", 1, false, "trace");
    start_instance("herald-b", 2, false, "trace");

    auto first = online_users("u", kUsers, [](int) { return 1; });
    std::vector<std::unique_ptr<XmppTestClient>> second;
    for (int i = 1; i <= kUsers; ++i) {
        second.push_back(cluster_->client(user_name("u", i), kPassword, "n2", 2));
        ASSERT_TRUE(second.back()->connect(kStep)) << second.back()->last_error();
        second.back()->send("<presence><show>away</show></presence>");
    }
    // A marker IQ from every resource, answered: by then its presence (sent
    // before on the same stream, to the same component) was handled too.
    const auto marker = [](const XmppTestClient& client) { return "owner-marker-" + client.jid(); };
    for (auto* resources : {&first, &second})
        for (auto& client : *resources)
            client->send("<iq type='get' id='" + marker(*client) + "' to='" + component() +
                         "'><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscriptions/></pubsub></iq>");
    const auto answered_by = Clock::now() + kStep;
    for (auto* resources : {&first, &second})
        for (auto& client : *resources)
            EXPECT_TRUE(client->wait_for([&](const ReceivedStanza& s) { return s.id() == marker(*client); },
                                         left(answered_by)))
                << client->jid() << ": no answer to its marker";

    const auto in_db = present_on(database_ + "u");
    std::map<std::string, int> shares;
    int split = 0;
    for (int i = 0; i < kUsers; ++i) {
        const auto bare = first[static_cast<std::size_t>(i)]->bare_jid();
        std::set<std::string> reached;
        for (const auto* client : {first[static_cast<std::size_t>(i)].get(), second[static_cast<std::size_t>(i)].get()}) {
            // Its id in either quoting, in the "in: " line (and the answer's "out: " line).
            std::set<std::string> got;
            for (const auto& quoted : {"id='" + marker(*client) + "'", "id=\"" + marker(*client) + "\""})
                for (const auto& name : instances_logging(quoted)) got.insert(name);
            EXPECT_EQ(got.size(), 1u) << client->jid() << "'s marker reached " << got.size() << " instances";
            reached.insert(got.begin(), got.end());
        }
        const auto by_presence = owners_by_log(bare);
        reached.insert(by_presence.begin(), by_presence.end());
        EXPECT_EQ(by_presence.size(), 1u) << bare << " seen available by " << by_presence.size() << " instances";
        if (reached.size() != 1) {
            ++split;
            ADD_FAILURE() << bare << " reached " << reached.size() << " instances";
            continue;
        }
        const auto& owner = *reached.begin();
        ++shares[owner];
        const auto row = in_db.find(bare);
        EXPECT_TRUE(row != in_db.end() && row->second == owner)
            << bare << ": users.present_on is '" << (row == in_db.end() ? "(no row)" : row->second)
            << "', its stanzas reached " << owner;
    }
    std::cout << "[ info ] " << kUsers << " users x 2 resources (one through each node): herald-a owns "
              << shares["herald-a"] << ", herald-b owns " << shares["herald-b"] << ", split " << split << std::endl;
    std::cout << "[ db ] " << query("SELECT present_on || ' ' || count(*) FROM users WHERE away_since_ms IS NULL "
                                    "GROUP BY present_on ORDER BY present_on")
              << std::endl;
    for (const auto* name : {"herald-a", "herald-b"}) {
        EXPECT_GE(shares[name] * 100, 35 * kUsers) << name << " owns too few";
        EXPECT_LE(shares[name] * 100, 65 * kUsers) << name << " owns too many";
    }
    // No item in this test: the delivery line is all zeros.
    std::cout << "[ count ] ownership: " << Tally{}.line() << std::endl;
}

// ---------------------------------------------------------------- delivery

// Publishers owned by both instances publish to a topic whose subscribers are
// owned by both: every subscriber gets every acknowledged item. Publish
// order across instances is reported, not yet asserted: a publisher's first
// item was seen arriving after later ones in every run (issue 17, open).
TEST_F(MultiInstanceE2E, APublishThroughOneInstanceReachesSubscribersOwnedByTheOther) {
    constexpr int kSubscribers = 12, kPublishers = 4, kPerPublisher = 40;
    start_instance("herald-a", 1);
    start_instance("herald-b", 2);

    auto publishers = online_users("p", kPublishers, [](int i) { return 1 + i % 2; });
    auto subscribers = online_users("s", kSubscribers, [](int i) { return 1 + i % 2; });
    create_open_topic(*publishers.front(), "news");
    std::set<std::string> publisher_owners, subscriber_owners;
    std::vector<std::string> publisher_names;
    for (auto& p : publishers) {
        const auto owners = owners_by_log(p->bare_jid());
        publisher_owners.insert(owners.begin(), owners.end());
        publisher_names.push_back(p->bare_jid().substr(0, p->bare_jid().find('@')));
    }
    for (auto& s : subscribers) {
        subscribe(*s, "news");
        const auto owners = owners_by_log(s->bare_jid());
        subscriber_owners.insert(owners.begin(), owners.end());
    }
    ASSERT_EQ(publisher_owners.size(), 2u) << "the publishers must be owned by both instances";
    ASSERT_EQ(subscriber_owners.size(), 2u) << "the subscribers must be owned by both instances";
    for (auto& p : publishers) p->disconnect();  // the storm logs them in again
    receive_with(subscribers, true);

    std::set<std::string> acknowledged;
    {
        PublishStorm storm(publishers_through(1), publisher_names, publish_on("news"), 8);
        EXPECT_TRUE(storm.wait_acknowledged(kPublishers * kPerPublisher, kDrain)) << storm.summary();
        storm.stop();
        std::cout << storm.summary() << std::endl;
        EXPECT_EQ(storm.refused_count() + storm.unanswered(), 0u) << storm.summary();
        acknowledged = storm.acknowledged();
    }
    // Which instance committed each publish: its publisher's owner.
    for (const auto& name : {"herald-a", "herald-b"})
        std::cout << "[ info ] " << name << " owns "
                  << std::count_if(receivers_.begin(), receivers_.end(),
                                   [&](const auto& r) { return owners_by_log(r->bare_jid()) == std::vector<std::string>{name}; })
                  << " subscribers" << std::endl;

    drain_and_count("cross-instance delivery", acknowledged);
    int reordered = 0;
    for (const auto& receiver : receivers_) {
        const auto violation = order_violation(*receiver);
        if (violation.empty()) continue;
        ++reordered;
        const auto publisher = violation.substr(violation.rfind(' ') + 1);
        const auto publisher_jid = publisher.substr(0, publisher.rfind('-')) + "@" + cluster_->domain();
        std::cout << "[ order ] out of publish order: " << violation << " (publisher owned by "
                      << ::testing::PrintToString(owners_by_log(publisher_jid)) << ", subscriber by "
                      << ::testing::PrintToString(owners_by_log(receiver->bare_jid())) << ")" << std::endl;
    }
    std::cout << "[ count ] subscribers who saw a publisher's items out of order: reordered=" << reordered << std::endl;
}

// ---------------------------------------------------------------- failover

// Two serving instances and a standby. Subscribers are offline while items
// are queued for them, then log in; their clients hold back receipts, so each
// owner has a full window in flight and the rest queued. herald-b is killed
// (-9) mid-flush: the standby takes its slot and its users get everything,
// within 30 s of the kill.
TEST_F(MultiInstanceE2E, KillNineOfAnInstanceMidFlushTheStandbyServesItsUsersLosingNothing) {
    constexpr int kSubscribers = 12, kItems = 150;
    constexpr std::size_t kWindow = 64;  // herald's default delivery.window
    start_instance("herald-a", 1);
    start_instance("herald-b", 2);
    start_instance("herald-standby", 1, true);

    auto publishers = online_users("p", 1, [](int) { return 1; });
    auto subscribers = online_users("s", kSubscribers, [](int i) { return 1 + i % 2; });
    create_open_topic(*publishers.front(), "alerts");
    for (auto& s : subscribers) subscribe(*s, "alerts");
    const auto away_users = take_offline(subscribers);
    if (HasFailure()) return;

    const auto publisher = publishers.front()->bare_jid().substr(0, publishers.front()->bare_jid().find('@'));
    publishers.front()->disconnect();
    std::set<std::string> acknowledged;
    {
        PublishStorm storm(publishers_through(1), {publisher}, publish_on("alerts"), 16);
        EXPECT_TRUE(storm.wait_acknowledged(kItems, kDrain)) << storm.summary();
        storm.stop();
        acknowledged = storm.acknowledged();
    }

    // Back online, stalled (no receipt, no ping answered): each owner
    // sends its window and waits.
    for (int i = 1; i <= kSubscribers; ++i) {
        const int node = 1 + i % 2;
        clients_.push_back(cluster_->client(user_name("s", i), kPassword, "back", node));
        ASSERT_TRUE(clients_.back()->connect(kStep)) << clients_.back()->last_error();
    }
    receive_with(clients_, false);
    for (auto& receiver : receivers_) receiver->client().send("<presence/>");
    const auto until = Clock::now() + kStep;
    for (auto& receiver : receivers_)
        ASSERT_TRUE(receiver->wait_for_count(kWindow, until))
            << receiver->bare_jid() << " has " << receiver->distinct() << ": the flush did not start";

    std::vector<Receiver*> of_b, of_a;
    for (auto& receiver : receivers_) {
        const auto owners = owners_by_log(receiver->bare_jid());
        ASSERT_FALSE(owners.empty()) << receiver->bare_jid();
        (owners.back() == "herald-b" ? of_b : of_a).push_back(receiver.get());
    }
    ASSERT_FALSE(of_b.empty()) << "herald-b owns none of the subscribers";
    for (auto* receiver : of_a) receiver->set_acking(true);
    std::size_t held_by_b = 0;
    for (auto* receiver : of_b) held_by_b += receiver->distinct();
    std::cout << "[ info ] herald-b owns " << of_b.size() << " subscribers; " << held_by_b << " of their "
              << of_b.size() * acknowledged.size() << " items reached them before the kill" << std::endl;
    EXPECT_EQ(held_by_b, of_b.size() * kWindow) << "herald-b sends its window and waits for receipts";
    ASSERT_LT(held_by_b, of_b.size() * acknowledged.size()) << "herald-b had finished its flush: nothing to fail over";

    for (auto& receiver : receivers_)
        EXPECT_FALSE(contains(instance("herald-standby").log().contents(), available_line(receiver->bare_jid())))
            << "the standby got traffic before taking a slot";
    const auto killed_at = Clock::now();
    instance("herald-b").kill_hard();
    for (auto* receiver : of_b) receiver->set_acking(true);
    const auto takeover = instance("herald-standby").log().wait_for(
        std::regex("cluster: instance herald-b silent for .*; herald-standby takes its place"), kServedAgainWithin);
    EXPECT_TRUE(takeover) << "the standby did not take herald-b's place; its log:\n"
                          << instance("herald-standby").log().tail();
    if (takeover) std::cout << "[ info ] after " << seconds_since(killed_at) << " s: " << *takeover << std::endl;

    const auto served_by = killed_at + kServedAgainWithin;
    for (auto* receiver : of_b)
        EXPECT_TRUE(receiver->wait_for_all(acknowledged, served_by))
            << receiver->bare_jid() << " (herald-b's) has " << receiver->distinct() << " of " << acknowledged.size()
            << " 30 s after the kill";
    double first_again = 0;
    for (auto* receiver : of_b)
        if (const auto at = receiver->first_arrival_after(killed_at))
            first_again = std::max(first_again, std::chrono::duration<double>(*at - killed_at).count());
    std::cout << "[ info ] herald-b's users: first item after the kill within " << first_again
              << " s, all of them within " << seconds_since(killed_at) << " s" << std::endl;

    const auto tally = drain_and_count("kill -9 of a serving instance mid-flush, standby takes over", acknowledged);
    std::cout << "[ info ] duplicates (what herald-b had in flight, sent again by the standby): " << tally.duplicated
              << std::endl;
    std::cout << "[ db ] " << query("SELECT name || ' serving=' || serving || ' replaced_by=' || "
                                    "coalesce(replaced_by, '-') FROM instances ORDER BY name")
              << std::endl;
}

// ---------------------------------------------------------------- faults

// herald-a on node 1, herald-b on node 2, a publish storm through node 1 and
// subscribers on both nodes; node 2's VM is killed (-9), then started again:
// herald-b reconnects, the subscribers of node 2 log in again, and every
// acknowledged item reaches every subscriber.
TEST_F(MultiInstanceE2E, KillNineOfAnEjabberdNodeLosesNothingAndDeliveryResumes) {
    constexpr int kSubscribers = 10;
    start_instance("herald-a", 1);
    auto& herald_b = start_instance("herald-b", 2);

    auto publishers = online_users("p", 2, [](int) { return 1; });
    auto subscribers = online_users("s", kSubscribers, [](int i) { return 1 + i % 2; });
    create_open_topic(*publishers.front(), "status");
    for (auto& s : subscribers) subscribe(*s, "status");
    std::vector<std::string> names;
    for (auto& p : publishers) {
        names.push_back(p->bare_jid().substr(0, p->bare_jid().find('@')));
        p->disconnect();
    }
    receive_with(subscribers, true);

    PublishStorm storm(publishers_through(1), names, publish_on("status"), 8);
    ASSERT_TRUE(storm.wait_acknowledged(100, kDrain)) << storm.summary();
    const auto mark = herald_b.log().size();
    cluster_->kill_node(2);
    const auto killed_at = Clock::now();
    EXPECT_TRUE(herald_b.log().wait_for("lost connection", kStep, mark)) << herald_b.log().tail();
    const auto at_kill = storm.acknowledged_count();
    cluster_->start_node(2);
    const auto restarted_at = Clock::now();
    std::cout << "[ info ] node 2 down " << std::chrono::duration<double>(restarted_at - killed_at).count()
              << " s; " << storm.acknowledged_count() - at_kill << " publishes acknowledged meanwhile" << std::endl;
    EXPECT_TRUE(herald_b.log().wait_for("handshake accepted", kStep, mark))
        << "herald-b did not reconnect to node 2\n" << herald_b.log().tail();
    const auto after = storm.acknowledged_count();
    ASSERT_TRUE(storm.wait_acknowledged(after + 100, kDrain)) << "publishes after the restart\n" << storm.summary();
    // Publishes sent to herald-b's slot while it was cut off are never
    // answered: stop() waits for each publisher's last answers that long.
    storm.stop();
    std::cout << storm.summary() << std::endl;

    // No new publish: what is due drains by itself.
    const auto stopped_at = Clock::now();
    drain_and_count("kill -9 of ejabberd node 2 during a publish storm", storm.acknowledged(), 90s);
    std::cout << "[ info ] every subscriber had everything " << seconds_since(stopped_at)
              << " s after the storm stopped, " << seconds_since(restarted_at) << " s after node 2 was started again"
              << std::endl;
}

// Two instances and publishers through both nodes; the shared PostgreSQL
// server is restarted in the middle of the storm. Every acknowledged item
// reaches every subscriber (the queue backlog drains with no new publish);
// every publish is answered, those not stored with an error.
TEST_F(MultiInstanceE2E, PostgresqlRestartDuringAPublishStormDeliversEveryAcknowledgedItem) {
    constexpr int kSubscribers = 8, kPublishers = 4;
    start_instance("herald-a", 1);
    start_instance("herald-b", 2);

    auto publishers = online_users("p", kPublishers, [](int i) { return 1 + i % 2; });
    auto subscribers = online_users("s", kSubscribers, [](int i) { return 1 + i % 2; });
    create_open_topic(*publishers.front(), "storm");
    for (auto& s : subscribers) subscribe(*s, "storm");
    std::vector<std::string> names;
    for (auto& p : publishers) {
        names.push_back(p->bare_jid().substr(0, p->bare_jid().find('@')));
        p->disconnect();
    }
    receive_with(subscribers, true);

    // Each publisher through the node it registered through.
    const auto through_both = [this](const std::string& user) {
        const int i = std::stoi(user.substr(user.rfind('p') + 1));
        return cluster_->client(user, kPassword, "storm", 1 + i % 2);
    };
    PublishStorm storm(through_both, names, publish_on("storm"), 8);
    ASSERT_TRUE(storm.wait_acknowledged(150, kDrain)) << storm.summary();
    const auto restarting = Clock::now();
    postgresql_->restart();
    std::cout << "[ info ] PostgreSQL restarted in " << seconds_since(restarting) << " s" << std::endl;
    const auto after = storm.acknowledged_count();
    ASSERT_TRUE(storm.wait_acknowledged(after + 150, kDrain)) << "service resumes\n" << storm.summary();
    storm.stop();
    std::cout << storm.summary() << std::endl;
    EXPECT_EQ(storm.unanswered(), 0u) << "every publish is answered: stored, or refused with an error\n"
                                      << storm.summary();
    for (const auto& [condition, times] : storm.refusals())
        EXPECT_TRUE(condition == "resource-constraint/wait" || condition == "internal-server-error/wait")
            << times << " refusals with " << condition;

    drain_and_count("PostgreSQL restarted during a publish storm", storm.acknowledged());
    for (const auto& name : {"herald-a", "herald-b"})
        EXPECT_TRUE(contains(instance(name).log().contents(), "cluster: listening for queue changes of other instances"))
            << name;
}

// ---------------------------------------------------------------- shared work

// Two instances, each with mail escalation to one SMTP sink; users owned by
// both instances go offline with items queued: each user gets one digest
// mail and each item is mailed once (only the instance holding the leader
// lock escalates).
TEST_F(MultiInstanceE2E, EscalationIsDoneOnceAcrossInstances) {
    constexpr int kUsers = 6, kItems = 3;
    SmtpSink smtp(cluster_->dir() / (database_ + "-smtp"));
    const auto mail = mail_escalation_config(smtp.port(), 1);
    start_instance("herald-a", 1, false, "debug", mail);
    start_instance("herald-b", 2, false, "debug", mail);

    auto publishers = online_users("p", 1, [](int) { return 1; });
    auto users = online_users("e", kUsers, [](int i) { return 1 + i % 2; });
    create_open_topic(*publishers.front(), "backups");
    std::set<std::string> owners;
    for (auto& user : users) {
        subscribe(*user, "backups");
        const auto by = owners_by_log(user->bare_jid());
        owners.insert(by.begin(), by.end());
        EXPECT_TRUE(contains(say(*user, "prefs escalation mail " + user->bare_jid() + " 1"), "saved"));
    }
    EXPECT_EQ(owners.size(), 2u) << "the users must be owned by both instances";
    const auto jids = take_offline(users);
    if (HasFailure()) return;

    std::set<std::string> acknowledged;
    auto& publisher = *publishers.front();
    for (int i = 0; i < kItems; ++i) {
        const auto title = "escalated-" + std::to_string(i);
        auto reply = publisher.request(Stanzas::publish_iq(component(), "backups", Stanzas::notification(title)), kStep);
        ASSERT_TRUE(reply && reply->type() == "result") << (reply ? reply->xml() : "no answer to a publish");
        acknowledged.insert(title);
    }

    // A check may fall between two publishes: a user's items may come in
    // more than one mail, but each item once.
    const auto mailed_to = [&](const std::string& jid) {
        std::map<std::string, int> mailed;
        for (const auto& message : smtp.messages()) {
            if (!contains(message, "To: <" + jid + ">")) continue;
            for (const auto& title : acknowledged)
                if (contains(message, title)) ++mailed[title];
        }
        return mailed;
    };
    EXPECT_TRUE(eventually(
        [&] {
            return std::all_of(jids.begin(), jids.end(),
                               [&](const auto& jid) { return mailed_to(jid).size() == acknowledged.size(); });
        },
        kDrain))
        << smtp.messages().size() << " mails";
    // Several escalation checks of both instances: a second sender would show.
    const auto mails = smtp.messages().size();
    EXPECT_FALSE(smtp.wait_for_messages(mails + 1, 3500ms)) << "escalated again";
    Tally tally;
    for (const auto& jid : jids) tally.add(acknowledged, mailed_to(jid));
    std::cout << "[ count ] escalation by mail across instances (" << acknowledged.size() << " items x " << kUsers
              << " users, mailed): " << tally.line() << std::endl;
    EXPECT_EQ(tally.lost, 0u);
    EXPECT_EQ(tally.duplicated, 0u);
    const auto leaders = instances_logging("leads the shared work");
    std::cout << "[ info ] " << leaders.size() << " instance(s) logged leading the shared work" << std::endl;
    EXPECT_EQ(leaders.size(), 1u);
}

// Two instances with mail escalation; the one leading the shared work is
// killed (-9). The other takes the lead; the dead instance's users, still
// connected but served by nobody, count as away since its last heartbeat and
// get each item by mail once; the survivor's users get them over XMPP and
// no mail.
TEST_F(MultiInstanceE2E, TheLeaderKilledTheOtherEscalatesForTheDeadInstancesUsersOnce) {
    constexpr int kUsers = 6, kPublishers = 4, kItems = 2;
    SmtpSink smtp(cluster_->dir() / (database_ + "-smtp"));
    const auto mail = mail_escalation_config(smtp.port(), 1);
    start_instance("herald-a", 1, false, "debug", mail);
    start_instance("herald-b", 2, false, "debug", mail);
    std::string leader;
    ASSERT_TRUE(eventually(
        [&] {
            const auto leaders = instances_logging("leads the shared work");
            if (leaders.size() == 1) leader = leaders.front();
            return !leader.empty();
        },
        kStep))
        << "no instance leads the shared work";
    const std::string survivor = leader == "herald-a" ? "herald-b" : "herald-a";

    auto publishers = online_users("p", kPublishers, [](int i) { return 1 + i % 2; });
    auto users = online_users("e", kUsers, [](int i) { return 1 + i % 2; });
    // A publisher the survivor owns (the dead one's slot drops what is sent to it).
    XmppTestClient* publisher = nullptr;
    for (auto& p : publishers)
        if (owners_by_log(p->bare_jid()) == std::vector<std::string>{survivor}) publisher = p.get();
    ASSERT_TRUE(publisher) << "none of the " << kPublishers << " publishers is owned by " << survivor;
    create_open_topic(*publisher, "backups");
    std::set<std::string> of_dead;
    for (auto& user : users) {
        subscribe(*user, "backups");
        EXPECT_TRUE(contains(say(*user, "prefs escalation mail " + user->bare_jid() + " 1"), "saved"));
        if (owners_by_log(user->bare_jid()) == std::vector<std::string>{leader}) of_dead.insert(user->bare_jid());
    }
    ASSERT_FALSE(of_dead.empty()) << leader << " owns none of the users";
    ASSERT_LT(of_dead.size(), static_cast<std::size_t>(kUsers)) << survivor << " owns none of the users";
    receive_with(users, true);

    const auto killed_at = Clock::now();
    instance(leader).kill_hard();
    EXPECT_TRUE(instance(survivor).log().wait_for("cluster: " + survivor + " leads the shared work", kStep, 0))
        << survivor << " did not take the lead; its log:\n" << instance(survivor).log().tail();
    std::cout << "[ info ] " << survivor << " leads " << seconds_since(killed_at) << " s after " << leader
              << " was killed" << std::endl;

    std::set<std::string> acknowledged;
    for (int i = 0; i < kItems; ++i) {
        const auto title = "while-" + leader + "-is-dead-" + std::to_string(i);
        auto reply = publisher->request(Stanzas::publish_iq(component(), "backups", Stanzas::notification(title)), kStep);
        ASSERT_TRUE(reply && reply->type() == "result") << (reply ? reply->xml() : "no answer to a publish");
        acknowledged.insert(title);
    }

    EXPECT_TRUE(smtp.wait_for_messages(of_dead.size(), kDrain))
        << smtp.messages().size() << " mails for " << of_dead.size() << " users of the dead instance";
    const auto until = Clock::now() + kStep;
    for (auto& receiver : receivers_)
        if (!of_dead.count(receiver->bare_jid()))
            EXPECT_TRUE(receiver->wait_for_all(acknowledged, until)) << receiver->bare_jid();
    EXPECT_FALSE(smtp.wait_for_messages(of_dead.size() + 1, 3500ms)) << "escalated twice, or to a served user";

    Tally tally;
    for (auto& receiver : receivers_) {
        const auto& jid = receiver->bare_jid();
        std::map<std::string, int> got;
        int mails = 0;
        for (const auto& message : smtp.messages()) {
            if (!contains(message, "To: <" + jid + ">")) continue;
            ++mails;
            for (const auto& title : acknowledged)
                if (contains(message, title)) ++got[title];
        }
        if (of_dead.count(jid)) {
            EXPECT_EQ(mails, 1) << jid << " (of the dead " << leader << ") got " << mails << " mails";
            EXPECT_EQ(receiver->distinct(), 0u) << jid << ": nobody serves it over XMPP";
        } else {
            EXPECT_EQ(mails, 0) << jid << " is served by " << survivor << ": no mail";
            for (const auto& [title, times] : receiver->received()) got[title] += times;
        }
        tally.add(acknowledged, got);
    }
    std::cout << "[ count ] leader killed; escalation for its users by the survivor (" << acknowledged.size()
              << " items x " << kUsers << " users: " << of_dead.size() << " by mail, the others over XMPP): "
              << tally.line() << std::endl;
    EXPECT_EQ(tally.lost, 0u);
    EXPECT_EQ(tally.duplicated, 0u);
}

// Two instances follow one feed for users owned by both: it is polled at
// the pace of one poller (only the leader polls), and its new item reaches
// each user once.
TEST_F(MultiInstanceE2E, AFeedIsPolledOnceAcrossInstances) {
    constexpr int kUsers = 4;
    HttpTestServer server;
    const auto rss = [](const std::vector<std::string>& titles) {
        std::string items;
        for (const auto& title : titles)
            items += "<item><guid>" + title + "</guid><title>" + title + "</title></item>";
        return "<?xml version='1.0'?><rss version='2.0'><channel><title>Multi</title>" + items +
               "</channel></rss>";
    };
    server.serve("/multi.xml", {200, {}, rss({"old-story"}), 0ms});
    const std::string feeds =
        "feeds:\n  enabled: true\n  min_interval_seconds: 1\n  default_interval_seconds: 1\n"
        "  allow_private_addresses: true\n  timeout_seconds: 1\n  max_response_bytes: 65536\n  max_redirects: 3\n";
    start_instance("herald-a", 1, false, "debug", feeds);
    start_instance("herald-b", 2, false, "debug", feeds);

    auto users = online_users("f", kUsers, [](int i) { return 1 + i % 2; });
    std::set<std::string> owners;
    for (auto& user : users) {
        EXPECT_TRUE(contains(say(*user, "feed add " + server.url("/multi.xml") + " 1"), "following"));
        const auto by = owners_by_log(user->bare_jid());
        owners.insert(by.begin(), by.end());
    }
    EXPECT_EQ(owners.size(), 2u) << "the users must be owned by both instances";
    ASSERT_TRUE(server.wait_for_requests("/multi.xml", 2, kStep)) << "the feed is not polled";

    // Four polls at a one-second interval take three seconds at least; two
    // pollers would make them in half that.
    const auto counted_from = Clock::now();
    const auto before = server.request_count("/multi.xml");
    ASSERT_TRUE(server.wait_for_requests("/multi.xml", before + 4, kStep));
    const auto four_polls = seconds_since(counted_from);
    std::cout << "[ info ] 4 polls of a 1 s feed in " << four_polls << " s" << std::endl;
    EXPECT_GE(four_polls, 2.5) << "polled by more than one instance";

    receive_with(users, true);
    server.serve("/multi.xml", {200, {}, rss({"new-story", "old-story"}), 0ms});
    const std::set<std::string> expected{"new-story"};
    const auto until = Clock::now() + kStep;
    for (auto& receiver : receivers_)
        EXPECT_TRUE(receiver->wait_for_all(expected, until)) << receiver->bare_jid();
    // Two more polls: a second poller's copy would have come by then.
    ASSERT_TRUE(server.wait_for_requests("/multi.xml", server.request_count("/multi.xml") + 2, kStep));
    Tally tally;
    for (auto& receiver : receivers_) {
        auto received = receiver->received();
        received.erase("old-story");  // the first poll only records what is there
        tally.add(expected, received);
    }
    std::cout << "[ count ] a feed item across instances (1 item x " << kUsers << " users): " << tally.line()
              << std::endl;
    EXPECT_EQ(tally.lost, 0u);
    EXPECT_EQ(tally.duplicated, 0u);
}

}  // namespace
}  // namespace herald::testing
