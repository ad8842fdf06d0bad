// The SQLite online backup and its check (storage/sqlite/sqlite_backup.*) on
// real files.

#include <gtest/gtest.h>

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "storage/sqlite/database.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_backup.h"
#include "storage/sqlite/sqlite_user_repository.h"
#include "storage/storage_error.h"

namespace herald::storage {
namespace {

class BackupTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("herald-backup-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    std::filesystem::path dir_;
};

std::map<std::string, std::int64_t> counts_of(const BackupCheck& check) {
    return {check.counts.begin(), check.counts.end()};
}

TEST_F(BackupTest, ACopyTakenWhileAWriterCommitsIsCompleteAndRestorable) {
    const auto source = dir_ / "herald.db";
    Database db(source.string());
    SqliteUserRepository users(db);
    Transaction seeding(db);
    for (int i = 0; i < 20000; ++i) users.upsert({"seed" + std::to_string(i) + "@x", std::string(200, 'e'), i});
    seeding.commit();

    // Another connection commits all along, faster than herald would (no
    // fsync): page-by-page copying alone would start over forever.
    std::atomic<bool> done{false};
    std::atomic<int> written{0};
    std::thread writer([&] {
        Database live(source.string());
        live.execute("PRAGMA synchronous=OFF");
        SqliteUserRepository live_users(live);
        while (!done) live_users.upsert({"live" + std::to_string(written++) + "@x", {}, 0});
    });
    while (written < 10) std::this_thread::yield();
    const auto pages = backup_database(source, dir_ / "copy.db", {1, std::chrono::seconds(5)});
    done = true;
    writer.join();

    EXPECT_GT(pages, 10);
    EXPECT_GT(written.load(), 0);
    EXPECT_EQ(std::filesystem::status(dir_ / "copy.db").permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    EXPECT_FALSE(std::filesystem::exists(dir_ / "copy.db.partial"));
    const auto check = check_backup(dir_ / "copy.db");
    EXPECT_TRUE(check.problems.empty()) << check.problems.front();
    EXPECT_EQ(check.schema_version, latest_schema_version());
    EXPECT_GE(counts_of(check)["users"], 20000);
}

TEST_F(BackupTest, TheCheckFindsDamageAndAWrongSchema) {
    {
        Database db((dir_ / "herald.db").string());
        SqliteUserRepository users(db);
        Transaction seeding(db);
        for (int i = 0; i < 500; ++i) users.upsert({"u" + std::to_string(i) + "@x", std::string(300, 'e'), i});
        seeding.commit();
    }
    backup_database(dir_ / "herald.db", dir_ / "good.db");
    EXPECT_TRUE(check_backup(dir_ / "good.db").problems.empty());
    EXPECT_EQ(counts_of(check_backup(dir_ / "good.db"))["users"], 500);

    std::filesystem::copy_file(dir_ / "good.db", dir_ / "damaged.db");
    {
        std::fstream file(dir_ / "damaged.db", std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(4096 * 3);
        file << std::string(4096, '\x5a');
    }
    EXPECT_FALSE(check_backup(dir_ / "damaged.db").problems.empty());

    auto altered_copy = [&](const std::string& name, const char* sql) {
        std::filesystem::copy_file(dir_ / "good.db", dir_ / name);
        sqlite3* db = nullptr;
        sqlite3_open((dir_ / name).c_str(), &db);
        EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
        sqlite3_close(db);
    };
    // Tables intact, an index's pages lost to the schema: only integrity_check sees it.
    altered_copy("orphan.db",
                 "PRAGMA writable_schema=ON; DELETE FROM sqlite_schema WHERE name = 'subscriptions_by_jid';");
    const auto orphan = check_backup(dir_ / "orphan.db");
    ASSERT_FALSE(orphan.problems.empty());
    EXPECT_NE(orphan.problems[0].find("never used"), std::string::npos) << orphan.problems[0];

    altered_copy("old.db", "PRAGMA user_version=3");
    const auto old = check_backup(dir_ / "old.db");
    ASSERT_EQ(old.problems.size(), 1u);
    EXPECT_NE(old.problems[0].find("schema version 3"), std::string::npos) << old.problems[0];

    std::ofstream(dir_ / "text.db") << "not a database at all, just some text that is long enough";
    EXPECT_FALSE(check_backup(dir_ / "text.db").problems.empty());
}

TEST_F(BackupTest, MissingSourceAndUnwritableDestinationAreTold) {
    try {
        check_backup(dir_ / "absent.db");
        FAIL() << "no error for a missing file";
    } catch (const BackupError& error) {
        EXPECT_EQ(error.kind(), BackupError::Kind::no_input);
    }
    { Database db((dir_ / "herald.db").string()); }
    try {
        backup_database(dir_ / "herald.db", dir_ / "no-such-dir" / "copy.db");
        FAIL() << "no error for an impossible destination";
    } catch (const BackupError& error) {
        EXPECT_EQ(error.kind(), BackupError::Kind::cannot_create);
    }
}

}  // namespace
}  // namespace herald::storage
