// `herald admin` as an operator runs it: the real binary on the database of
// a herald that is running against a private ejabberd.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <fstream>
#include <thread>

#include "storage/sqlite/database.h"
#include "storage/sqlite/sqlite_delivery_queue.h"
#include "tests/e2e/herald_e2e_fixture.h"
#include "tests/support/process.h"

using namespace herald::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

class AdminE2E : public HeraldE2E {
protected:
    // Requeued deliveries reach online users at the next expiry check.
    std::string extra_config() const override { return "delivery:\n  expiry_check_seconds: 1\n"; }

    CommandResult admin(std::vector<std::string> arguments) {
        arguments.insert(arguments.begin(), {HERALD_BINARY, "admin", "--config", herald_->config_path().string()});
        auto result = run_command(arguments, 60s);
        EXPECT_FALSE(result.timed_out) << describe_command(arguments);
        return result;
    }

    // The command's --json answer; a test failure unless it exits 0.
    json admin_json(std::vector<std::string> arguments) {
        arguments.push_back("--json");
        const auto result = admin(arguments);
        EXPECT_EQ(result.exit_code, 0) << describe_command(arguments) << ": " << result.output;
        return result.exit_code == 0 ? json::parse(result.output, nullptr, false) : json();
    }

    // What herald's router does to a delivery in flight each time the
    // stream died (Router::blame_deliveries_in_flight), through the same
    // repository call, on a connection of our own while herald runs.
    void set_aside(const std::string& user, std::int64_t seq) {
        herald::storage::Database db(herald_->database_path().string());
        herald::storage::SqliteDeliveryQueue(db).set_aside(user, seq, 1);
    }

    std::filesystem::path scratch(const std::string& name) { return ejabberd_.dir() / name; }

    // alice publishes on backups while bob is away: bob's queue, as show-queue tells it.
    json published_while_bob_is_away(const std::vector<std::string>& titles) {
        with_topic();
        bob_->send("<presence type='unavailable'/>");
        EXPECT_TRUE(state_logged(*bob_, "offline"));
        for (const auto& title : titles) publish_ok(*alice_, "backups", notification(title));
        storage_barrier(*alice_);
        return admin_json({"show-queue", "bob@localhost"});
    }
};

TEST_F(AdminE2E, ASetAsideDeliveryRequeuedWhileHeraldRunsReachesItsUser) {
    const auto queue = published_while_bob_is_away({"poison", "healthy"});
    ASSERT_EQ(queue.size(), 2u) << queue.dump();
    EXPECT_EQ(queue[0]["title"], "poison");
    EXPECT_EQ(queue[0]["topic"], "backups");
    const std::int64_t poison = queue[0]["seq"];
    set_aside("bob@localhost", poison);

    const auto set_aside = admin_json({"list-set-aside"});
    ASSERT_EQ(set_aside.size(), 1u) << set_aside.dump();
    const std::string id = set_aside[0]["id"];
    EXPECT_EQ(id, std::to_string(poison) + ":bob@localhost");
    EXPECT_EQ(set_aside[0]["title"], "poison");
    const auto text = admin({"list-set-aside"});
    EXPECT_EQ(text.exit_code, 0);
    EXPECT_NE(text.output.find(id + "  "), std::string::npos) << "a table, the ID first:\n" << text.output;

    const auto users = admin_json({"list-users"});
    ASSERT_EQ(users.size(), 2u) << users.dump();
    EXPECT_EQ(users[1]["jid"], "bob@localhost");
    EXPECT_EQ(users[1]["queued"], 1);
    EXPECT_EQ(users[1]["set_aside"], 1);
    const auto topics = admin_json({"list-topics"});
    ASSERT_EQ(topics.size(), 1u) << topics.dump();
    EXPECT_EQ(topics[0]["topic"], "backups");
    EXPECT_EQ(topics[0]["owner"], "alice@localhost");
    EXPECT_EQ(topics[0]["subscribers"], 1);
    EXPECT_EQ(topics[0]["queued"], 1);

    bob_->send("<presence/>");
    auto healthy = next_notification(*bob_);
    ASSERT_TRUE(healthy);
    EXPECT_EQ(healthy->text("notification/notification/title"), "healthy") << "the set-aside one is not sent";
    send_receipt(*bob_, *healthy);

    EXPECT_EQ(admin({"requeue", "12x:bob@localhost"}).exit_code, 64);
    EXPECT_EQ(admin({"requeue", std::to_string(poison + 100) + ":bob@localhost"}).exit_code, 65);
    EXPECT_EQ(admin_json({"requeue", id})["requeued"], 1);
    auto requeued = next_notification(*bob_);
    ASSERT_TRUE(requeued) << "the running herald did not pick the requeued delivery up";
    EXPECT_EQ(requeued->text("notification/notification/title"), "poison");
    send_receipt(*bob_, *requeued);
    EXPECT_TRUE(admin_json({"list-set-aside"}).empty());
    EXPECT_EQ(admin({"requeue", id}).exit_code, 65) << "requeued already";
}

TEST_F(AdminE2E, DropShowStatsAndRemoveOnARunningHerald) {
    const auto queue = published_while_bob_is_away({"one", "two"});
    ASSERT_EQ(queue.size(), 2u);
    set_aside("bob@localhost", queue[0]["seq"]);
    set_aside("bob@localhost", queue[1]["seq"]);

    EXPECT_EQ(admin_json({"drop", "--all"})["dropped"], 2);
    EXPECT_TRUE(admin_json({"list-set-aside"}).empty());
    EXPECT_EQ(admin_json({"requeue", "--all"})["requeued"], 0) << "dropped is final";

    const auto alice = admin_json({"show-user", "alice@localhost"});
    EXPECT_EQ(alice["owned_topics"], json::array({"backups"})) << alice.dump();
    EXPECT_EQ(admin_json({"show-user", "bob@localhost"})["subscribed"], json::array({"backups"}));
    EXPECT_EQ(admin_json({"show-user", "bob@localhost"})["preferences"]["paused"], false);
    EXPECT_EQ(admin({"show-user", "nobody@localhost"}).exit_code, 67);
    EXPECT_EQ(admin({"show-queue", "nobody@localhost"}).exit_code, 67);

    const auto stats = admin_json({"stats"});
    EXPECT_EQ(stats["users"], 2) << stats.dump();
    EXPECT_EQ(stats["topics"], 1);
    EXPECT_EQ(stats["set aside"], 0);
    EXPECT_EQ(stats["items"], 2);
    const auto text = admin({"stats"});
    EXPECT_NE(text.output.find("users: 2\n"), std::string::npos) << text.output;

    EXPECT_EQ(admin({"list-users", "extra"}).exit_code, 64);
    EXPECT_EQ(admin({"frobnicate"}).exit_code, 64);
    EXPECT_EQ(admin_json({"remove-user", "alice@localhost"})["topics"], json::array({"backups"}));
    EXPECT_TRUE(admin_json({"list-topics"}).empty());
    EXPECT_EQ(admin({"remove-user", "alice@localhost"}).exit_code, 67);
}

TEST_F(AdminE2E, BackupWhileHeraldPublishesIsRestorable) {
    with_topic();
    for (int i = 0; i < 20; ++i) publish_ok(*alice_, "backups", notification("before " + std::to_string(i)));
    // Publishing goes on while the backup copies page after page.
    std::atomic<bool> done{false};
    std::thread publisher([&] {
        for (int i = 0; !done && i < 200; ++i) publish(*alice_, "backups", notification("during " + std::to_string(i)));
    });
    const auto backup = admin({"backup", scratch("herald-backup.db").string(), "--json"});
    done = true;
    publisher.join();
    ASSERT_EQ(backup.exit_code, 0) << backup.output;

    const auto check = admin_json({"check-backup", scratch("herald-backup.db").string()});
    EXPECT_EQ(check["restorable"], true) << check.dump();
    EXPECT_EQ(check["counts"]["users"], 2);
    EXPECT_EQ(check["counts"]["topics"], 1);
    EXPECT_GE(check["counts"]["items"], 20);

    // A herald started on the copy has the same users and topics.
    herald_->stop();
    std::filesystem::copy_file(scratch("herald-backup.db"), herald_->database_path(),
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::remove(herald_->database_path().string() + "-wal");
    std::filesystem::remove(herald_->database_path().string() + "-shm");
    start_herald();
    auto reply = pubsub(*alice_, "get", "<items node='backups' max_items='1'/>");
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->type(), "result") << reply->xml();

    std::filesystem::copy_file(scratch("herald-backup.db"), scratch("damaged.db"));
    {
        std::fstream file(scratch("damaged.db"), std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(4096 * 2);
        file << std::string(8192, '\x5a');
    }
    const auto damaged = admin({"check-backup", scratch("damaged.db").string()});
    EXPECT_EQ(damaged.exit_code, 65) << damaged.output;
    EXPECT_EQ(admin({"check-backup", scratch("absent.db").string()}).exit_code, 66);
    EXPECT_EQ(admin({"backup", scratch("no-such-dir/copy.db").string()}).exit_code, 73);
}

}  // namespace
