// The daemon on storage.backend postgresql (a private PostgreSQL per test):
// a publish over IQ reaches a subscriber, and what is queued for a user who
// is offline survives a restart of herald, in PostgreSQL.

#include <cstdlib>

#include <fstream>
#include <sstream>

#include "storage/backend_factory.h"
#include "tests/e2e/herald_e2e_fixture.h"
#include "tests/support/private_postgresql.h"

namespace herald::testing {
namespace {

bool running_in_ci() {
    const char* ci = std::getenv("CI");
    return ci && *ci && std::string(ci) != "false" && std::string(ci) != "0";
}

class PostgresqlE2E : public HeraldE2E {
protected:
    void SetUp() override {
        if (const auto reason = PrivatePostgresql::unavailable_reason(); !reason.empty()) {
            // CI installs PostgreSQL (scripts/setup): there a skip would hide a failure.
            if (running_in_ci()) FAIL() << reason << " (CI is set)";
            GTEST_SKIP() << reason;
        }
        postgresql_ = std::make_unique<PrivatePostgresql>();
        herald_ = std::make_unique<HeraldUnderTest>(ejabberd_, ejabberd_.dir() / "herald", log_level(), extra_config(),
                                                    std::filesystem::path(), postgresql_->connection_string());
        HeraldE2E::SetUp();
    }

    // herald stops before its database does.
    void TearDown() override { herald_.reset(); }

    // One number from PostgreSQL, as psql prints it.
    std::string query(const std::string& sql) {
        const auto result = postgresql_->psql({"-c", sql});
        EXPECT_EQ(result.exit_code, 0) << result.output;
        auto value = result.output;
        while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
        return value;
    }

    CommandResult admin(std::vector<std::string> arguments) {
        arguments.insert(arguments.begin(), {HERALD_BINARY, "admin", "--config", herald_->config_path().string()});
        auto result = run_command(arguments, 60s);
        EXPECT_FALSE(result.timed_out) << describe_command(arguments);
        return result;
    }

    std::unique_ptr<PrivatePostgresql> postgresql_;
};

TEST_F(PostgresqlE2E, DeliversAndKeepsTheQueueOfAnOfflineUserAcrossARestart) {
    with_topic();
    const auto live_id = publish_ok(*alice_, "backups", notification("while online"));
    auto live = next_notification(*bob_);
    ASSERT_TRUE(live) << "no delivery from herald on PostgreSQL";
    EXPECT_EQ(live->text("notification/notification/title"), "while online");
    EXPECT_EQ(live->find("notification")->attr("item"), live_id);
    send_receipt(*bob_, *live);
    storage_barrier(*bob_);  // the receipt is recorded: "while online" is not sent again

    bob_->disconnect();
    ASSERT_TRUE(state_logged(*bob_, "offline"));
    ASSERT_FALSE(publish_ok(*alice_, "backups", notification("while away")).empty());
    // The publish was acknowledged: its queue row is committed.
    EXPECT_EQ(query("SELECT count(*) FROM queue q JOIN items i ON i.id = q.item "
                    "WHERE q.user_jid = 'bob@localhost' AND i.title = 'while away'"),
              "1");

    ASSERT_TRUE(herald_->stop()) << "herald did not exit on SIGTERM; its log ends:\n" << herald_->log().tail();
    herald_->start();
    auto back = ejabberd_.client("bob", "secret-bob", "back");
    ASSERT_TRUE(back->connect(kWait)) << back->last_error();
    back->send("<presence/>");
    auto kept = next_notification(*back);
    ASSERT_TRUE(kept) << "the queue did not survive the restart; herald's log ends:\n" << herald_->log().tail();
    EXPECT_EQ(kept->text("notification/notification/title"), "while away");
}

TEST_F(PostgresqlE2E, HeraldAdminReadsThePostgresqlDatabaseAndPointsToPgDumpForBackups) {
    with_topic();
    publish_ok(*alice_, "backups", notification("counted"));
    storage_barrier(*bob_);
    const auto stats = admin({"stats"});
    EXPECT_EQ(stats.exit_code, 0) << stats.output;
    EXPECT_NE(stats.output.find("users: 2"), std::string::npos) << stats.output;
    EXPECT_NE(stats.output.find("topics: 1"), std::string::npos) << stats.output;
    EXPECT_EQ(stats.output.find("database bytes"), std::string::npos) << "no file to measure: " << stats.output;
    const auto topics = admin({"list-topics"});
    EXPECT_EQ(topics.exit_code, 0) << topics.output;
    EXPECT_NE(topics.output.find("backups"), std::string::npos) << topics.output;

    const auto backup = admin({"backup", (ejabberd_.dir() / "copy.db").string()});
    EXPECT_EQ(backup.exit_code, 69) << "EX_UNAVAILABLE: " << backup.output;
    EXPECT_NE(backup.output.find("pg_dump"), std::string::npos) << backup.output;
}

// An operator's move: a SQLite database copied by `herald admin
// migrate-to-postgresql` into an empty database of the configured server.
TEST_F(PostgresqlE2E, HeraldAdminCopiesASqliteDatabaseIntoAnEmptyPostgresqlOne) {
    const auto sqlite_file = ejabberd_.dir() / "old-herald.db";
    {
        const auto old = storage::open_backend({.path = sqlite_file.string()});
        auto& r = old->repositories();
        r.users.upsert({"carol@localhost", {}, 1});
        r.nodes.create({"old-topic", "carol@localhost", "publishers", false, 1});
        r.nodes.subscribe("old-topic", "carol@localhost", 1);
        storage::Item item;
        item.item_id = "kept";
        item.node = "old-topic";
        item.publisher = "carol@localhost";
        item.payload = notification("kept");
        item.title = "kept";
        r.queue.publish(item);
    }
    ASSERT_EQ(query("CREATE DATABASE moved"), "CREATE DATABASE");
    std::stringstream config;
    config << std::ifstream(herald_->config_path()).rdbuf();
    auto text = config.str();
    const auto database = text.find(postgresql_->connection_string());
    ASSERT_NE(database, std::string::npos) << text;
    text.replace(database, postgresql_->connection_string().size(),
                 postgresql_->connection_string().substr(0, postgresql_->connection_string().rfind('/')) + "/moved");
    const auto moved_config = ejabberd_.dir() / "moved.yaml";
    std::ofstream(moved_config) << text;

    const auto moved = run_command({HERALD_BINARY, "admin", "--config", moved_config.string(), "migrate-to-postgresql",
                                    sqlite_file.string()},
                                   60s);
    EXPECT_EQ(moved.exit_code, 0) << moved.output;
    EXPECT_NE(moved.output.find("items: 1"), std::string::npos) << moved.output;
    const auto queue = run_command({HERALD_BINARY, "admin", "--config", moved_config.string(), "show-queue",
                                    "carol@localhost"},
                                   60s);
    EXPECT_EQ(queue.exit_code, 0) << queue.output;
    EXPECT_NE(queue.output.find("kept"), std::string::npos) << queue.output;
    const auto again = run_command({HERALD_BINARY, "admin", "--config", moved_config.string(), "migrate-to-postgresql",
                                    sqlite_file.string()},
                                   60s);
    EXPECT_NE(again.exit_code, 0) << "not into a database that holds rows: " << again.output;
}

}  // namespace
}  // namespace herald::testing
