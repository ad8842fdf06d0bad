// Faults under load: herald killed, ejabberd restarted, a client cut off, the
// disk full, the database locked. Each test ends with the count of items
// acknowledged to publishers, delivered, duplicated and lost; lost must be 0.

#include <gtest/gtest.h>

#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "tests/e2e/herald_e2e_fixture.h"
#include "tests/e2e/publish_storm.h"
#include "tests/e2e/write_lock.h"

using namespace herald::testing;
using namespace std::chrono_literals;

namespace {

// Waiting for what is still due ends after this long without a message: past
// herald's longest retry delay (60 s after repeated bounces), so an item
// still queued for a retry is not counted as lost. Nothing waits this long
// when everything arrives.
constexpr auto kQuiet = 70s;
constexpr int kDeliveryWindow = 64;  // herald's default delivery.window

// How many publishes each test makes, times $HERALD_FAULT_SCALE (default 1;
// scripts/faults runs them larger).
std::size_t scaled(std::size_t count) {
    const char* scale = std::getenv("HERALD_FAULT_SCALE");
    return count * static_cast<std::size_t>(scale ? std::max(1, std::atoi(scale)) : 1);
}

class FaultE2E : public HeraldE2E {
protected:
    std::string extra_config() const override { return "limits:\n  requests_per_second: 100000\n"; }

    // An open node "storm" with bob subscribed, and publishers p1..p<n>
    // registered with herald. Bob stays online unless `bob_offline`.
    std::vector<std::string> storm_topic(int publishers, bool bob_offline) {
        alice_ = online_user("alice");
        create_node(*alice_, "storm", "open");
        std::vector<std::string> users;
        for (int i = 1; i <= publishers; ++i) {
            users.push_back("p" + std::to_string(i));
            online_user(users.back())->disconnect();
        }
        bob_ = online_user("bob");
        subscribe(*bob_, "storm");
        if (bob_offline) {
            bob_->disconnect();
            EXPECT_TRUE(state_logged(*bob_, "offline"));
        }
        return users;
    }

    PublishStorm::MakePublish storm_publish() const {
        return [component = component()](const std::string& id, const std::string& title) {
            // publish_iq() starts with "<iq "; the id goes right after it.
            return "<iq id='" + id + "' " + publish_iq(component, "storm", notification(title)).substr(4);
        };
    }

    // Bob logged in again (as a client comes back), available.
    std::unique_ptr<XmppTestClient> bob_again(const std::string& resource = "again",
                                              XmppTestClient::Options options = {}) {
        auto client = ejabberd_.client("bob", "secret-bob", resource, options);
        EXPECT_TRUE(client->connect(kWait)) << client->last_error();
        client->send("<presence/>");
        return client;
    }

    // Receives notifications, confirming each with a receipt as a client
    // does, until `limit` have arrived, every one of `expected` has, or
    // nothing more comes.
    void receive(XmppTestClient& client, std::map<std::string, int>& received, const std::set<std::string>& expected,
                 std::size_t limit = SIZE_MAX) {
        std::size_t taken = 0, missing = expected.size();
        for (const auto& [title, times] : received) missing -= expected.count(title);
        while (taken < limit && missing > 0) {
            auto message = next_notification(client, kQuiet);
            if (!message) break;
            send_receipt(client, *message);
            const auto title = message->text("notification/notification/title");
            note_id(*message);
            if (received[title]++ == 0 && expected.count(title)) --missing;
            ++taken;
        }
    }

    // Counts what reached the client and is still unread by the test: the
    // client has it (and answered herald's ping for it).
    void take_unread(XmppTestClient& client, std::map<std::string, int>& received) {
        while (auto message = next_notification(client, 0ms)) {
            note_id(*message);
            ++received[message->text("notification/notification/title")];
        }
    }

    // Herald gives every delivery attempt a new stanza id, so a message
    // whose id came before is a copy ejabberd handed over again (from a
    // stream management queue or offline storage), not a resend by herald.
    void note_id(const ReceivedStanza& message) {
        if (!seen_ids_.insert(message.id()).second) ++redelivered_by_ejabberd_;
    }

    std::size_t resent_by_herald(const DeliveryCount& count) const {
        std::cout << "of the duplicates, " << redelivered_by_ejabberd_ << " were ejabberd's copies with their first id"
                  << std::endl;
        return count.duplicated - redelivered_by_ejabberd_;
    }

    std::set<std::string> seen_ids_;
    std::size_t redelivered_by_ejabberd_ = 0;

    DeliveryCount report(const std::string& fault, const std::set<std::string>& acknowledged,
                         const std::map<std::string, int>& received) {
        const auto count = DeliveryCount::of(acknowledged, received);
        std::cout << count.describe(fault) << std::endl;
        EXPECT_EQ(count.lost, 0u) << count.describe(fault);
        return count;
    }

    // `count` publishes acknowledged while bob is offline: his queue.
    std::set<std::string> queue_for_bob(std::size_t count) {
        PublishStorm storm(ejabberd_, {"p1"}, storm_publish(), kDeliveryWindow);
        EXPECT_TRUE(storm.wait_acknowledged(count, 120s * scaled(1))) << storm.summary();
        storm.stop();
        return storm.acknowledged();
    }
};

TEST_F(FaultE2E, KillNineDuringAPublishStormLosesNothing) {
    const auto publishers = storm_topic(3, true);
    PublishStorm storm(ejabberd_, publishers, storm_publish());
    ASSERT_TRUE(storm.wait_acknowledged(scaled(150), 60s * scaled(1))) << storm.summary();
    herald_->kill_hard();
    const auto before_restart = storm.acknowledged_count();
    start_herald();
    ASSERT_TRUE(storm.wait_acknowledged(before_restart + scaled(150), 60s * scaled(1))) << storm.summary();
    storm.stop();
    std::cout << storm.summary() << std::endl;
    EXPECT_GT(storm.refused_count() + storm.unanswered(), 0u) << "the kill landed in the middle of the storm";

    std::map<std::string, int> received;
    receive(*bob_again(), received, storm.acknowledged());
    const auto count = report("kill -9 during a publish storm", storm.acknowledged(), received);
    EXPECT_EQ(count.duplicated, 0u) << "bob was offline: nothing was in flight to him";
}

TEST_F(FaultE2E, EjabberdRestartDuringAPublishStormLosesNothing) {
    const auto publishers = storm_topic(3, true);
    PublishStorm storm(ejabberd_, publishers, storm_publish());
    ASSERT_TRUE(storm.wait_acknowledged(scaled(150), 60s * scaled(1))) << storm.summary();
    ejabberd_.stop();
    ASSERT_TRUE(herald_->wait_log("lost connection", 30s)) << herald_->log().tail();
    ejabberd_.start();
    ASSERT_TRUE(herald_->wait_log("handshake accepted", 30s)) << "herald reconnects by itself\n" << herald_->log().tail();
    const auto after_restart = storm.acknowledged_count();
    ASSERT_TRUE(storm.wait_acknowledged(after_restart + scaled(150), 60s * scaled(1))) << "publishers log in again\n" << storm.summary();
    storm.stop();
    std::cout << storm.summary() << std::endl;

    std::map<std::string, int> received;
    receive(*bob_again(), received, storm.acknowledged());
    const auto count = report("ejabberd restarted during a publish storm", storm.acknowledged(), received);
    EXPECT_EQ(count.duplicated, 0u) << "bob was offline: nothing was in flight to him";
}

TEST_F(FaultE2E, EjabberdRestartDuringAQueueFlushLosesNothing) {
    storm_topic(1, true);
    const auto acknowledged = queue_for_bob(scaled(600));

    std::map<std::string, int> received;
    auto bob = bob_again();
    receive(*bob, received, acknowledged, scaled(100));
    ASSERT_EQ(received.size(), scaled(100)) << "the flush started";
    ejabberd_.stop();
    ASSERT_TRUE(herald_->wait_log("lost connection", 30s)) << herald_->log().tail();
    ejabberd_.start();
    ASSERT_TRUE(herald_->wait_log("handshake accepted", 30s)) << herald_->log().tail();
    ASSERT_TRUE(bob->connect(kWait)) << bob->last_error();
    bob->send("<presence/>");
    receive(*bob, received, acknowledged);
    const auto count = report("ejabberd restarted during a queue flush", acknowledged, received);
    EXPECT_LE(resent_by_herald(count), static_cast<std::size_t>(kDeliveryWindow))
        << "only what was sent and not yet confirmed is sent again";
}

// The socket of the session that `connect` opens, found among this
// process's descriptors as the one to the c2s port that was not there before.
class SocketCutter {
public:
    explicit SocketCutter(int port) : port_(port), before_(sockets_to_port()) {}

    // Shuts the new connection down under its owner, as a crash or a cable
    // pulled would: no stream close, no unavailable presence from the client.
    bool cut() const {
        // The owner may still write: that must fail with EPIPE, not kill the test.
        ::signal(SIGPIPE, SIG_IGN);
        bool cut_any = false;
        for (const int fd : sockets_to_port())
            if (!before_.count(fd)) cut_any |= ::shutdown(fd, SHUT_RDWR) == 0;
        return cut_any;
    }

private:
    std::set<int> sockets_to_port() const {
        std::set<int> found;
        for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
            const int fd = std::stoi(entry.path().filename().string());
            sockaddr_in peer{};
            socklen_t length = sizeof peer;
            if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) == 0 && peer.sin_family == AF_INET &&
                ntohs(peer.sin_port) == port_)
                found.insert(fd);
        }
        return found;
    }

    int port_;
    std::set<int> before_;
};

class ClientCutE2E : public FaultE2E, public ::testing::WithParamInterface<bool> {};

TEST_P(ClientCutE2E, InTheMiddleOfAFlushTheClientGetsTheRestWhenBack) {
    XmppTestClient::Options options;
    options.stream_management = GetParam();
    storm_topic(1, true);
    const auto acknowledged = queue_for_bob(scaled(600));

    std::map<std::string, int> received;
    {
        SocketCutter cutter(ejabberd_.c2s_port());
        auto bob = bob_again("phone", options);
        receive(*bob, received, acknowledged, scaled(100));
        ASSERT_EQ(received.size(), scaled(100)) << "the flush started";
        ASSERT_TRUE(cutter.cut());
        ASSERT_TRUE(bob->wait_disconnected(kWait));
        take_unread(*bob, received);
        // With stream management ejabberd keeps the cut session for a while;
        // the user's next login with the same resource replaces it.
    }
    auto back = bob_again("phone", options);
    receive(*back, received, acknowledged);
    const auto count = report(std::string("client cut in the middle of a flush, stream management ") +
                                  (options.stream_management ? "on" : "off"),
                              acknowledged, received);
    // What was in flight at the cut (at most one window) comes again from
    // Herald. With stream management ejabberd may also hand its copies of
    // what the client had not acknowledged to the stream to offline storage,
    // delivered at login with their first id: ejabberd's doing, not counted.
    EXPECT_LE(resent_by_herald(count), static_cast<std::size_t>(kDeliveryWindow))
        << "only what was sent and not yet confirmed is sent again";
    if (!options.stream_management) {
        EXPECT_EQ(redelivered_by_ejabberd_, 0u);
    }
}

INSTANTIATE_TEST_SUITE_P(StreamManagement, ClientCutE2E, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "On" : "Off"; });

TEST_F(FaultE2E, DatabaseLockedForAWhileThenReleasedLosesNothing) {
    const auto publishers = storm_topic(2, false);
    std::map<std::string, int> received;
    PublishStorm storm(ejabberd_, publishers, storm_publish());
    ASSERT_TRUE(storm.wait_acknowledged(scaled(50), 60s * scaled(1))) << storm.summary();
    std::size_t acknowledged_while_locked = 0;
    {
        WriteLock backup(herald_->database_path());
        const auto before = storm.acknowledged_count();
        // Herald waits five seconds for the lock, then refuses a batch.
        ASSERT_TRUE(storm.wait_refused(2 * publishers.size(), 60s)) << storm.summary();
        acknowledged_while_locked = storm.acknowledged_count() - before;
    }
    const auto released = storm.acknowledged_count();
    ASSERT_TRUE(storm.wait_acknowledged(released + scaled(100), 60s * scaled(1))) << "service resumes\n" << storm.summary();
    storm.stop();
    std::cout << storm.summary() << std::endl;
    for (const auto& [condition, times] : storm.refusals())
        EXPECT_EQ(condition, "resource-constraint/wait") << times << " refusals";
    EXPECT_LE(acknowledged_while_locked, 2u * kDeliveryWindow)
        << "only answers already on their way when the lock was taken";

    receive(*bob_, received, storm.acknowledged());
    report("database locked for a while during a publish storm", storm.acknowledged(), received);
}

// herald.db on a small file system of its own, which a test fills up. It
// must hold the WAL up to SQLite's first checkpoint (1000 pages, 4.1 MB) and
// the database that checkpoint grows: on a 4 MB one the WAL filled the disk
// by itself (4,132,864 bytes, herald.db 28,672, nothing free), the checkpoint
// could never grow the database, and every publish was refused for good.
class DiskFullE2E : public FaultE2E {
protected:
    DiskFullE2E() : small_disk_(ejabberd_.dir() / "small-disk") {
        std::filesystem::create_directories(small_disk_);
        mounted_ = ::mount("tmpfs", small_disk_.c_str(), "tmpfs", 0, "size=16m,mode=0700") == 0;
        if (!mounted_) why_not_ = std::string("mount -t tmpfs: ") + std::strerror(errno);
    }
    ~DiskFullE2E() override {
        herald_.reset();
        if (mounted_) ::umount2(small_disk_.c_str(), MNT_DETACH);
    }

    void SetUp() override {
        if (!mounted_) GTEST_SKIP() << "needs a small file system for the database; " << why_not_;
        FaultE2E::SetUp();
    }

    std::filesystem::path database_dir() const override { return small_disk_; }

    // Writes a file until the file system has no room left.
    void fill_disk() {
        std::ofstream filler(filler_path(), std::ios::binary);
        const std::string block(4096, 'x');
        while (filler.write(block.data(), block.size()) && filler.flush()) {}
    }
    void free_disk() { std::filesystem::remove(filler_path()); }
    std::filesystem::path filler_path() const { return small_disk_ / "filler"; }

    std::filesystem::path small_disk_;
    bool mounted_ = false;
    std::string why_not_;
};

TEST_F(DiskFullE2E, PublishersAreRefusedWhileTheDiskIsFullAndServiceResumes) {
    const auto publishers = storm_topic(2, true);
    PublishStorm storm(ejabberd_, publishers, storm_publish());
    ASSERT_TRUE(storm.wait_acknowledged(scaled(50), 60s * scaled(1))) << storm.summary();
    fill_disk();
    ASSERT_TRUE(storm.wait_refused(20, 60s)) << "a full disk refuses publishes\n" << storm.summary();
    const auto full = storm.acknowledged_count();
    free_disk();
    ASSERT_TRUE(storm.wait_acknowledged(full + scaled(100), 60s * scaled(1))) << "service resumes\n" << storm.summary();
    storm.stop();
    std::cout << storm.summary() << std::endl;
    for (const auto& [condition, times] : storm.refusals())
        EXPECT_TRUE(condition == "resource-constraint/wait" || condition == "internal-server-error/wait")
            << times << " refusals with " << condition;

    std::map<std::string, int> received;
    receive(*bob_again(), received, storm.acknowledged());
    const auto count = report("disk full during a publish storm", storm.acknowledged(), received);
    EXPECT_EQ(count.duplicated, 0u);
}

}  // namespace
