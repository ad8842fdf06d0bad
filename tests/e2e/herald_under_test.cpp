#include "tests/e2e/herald_under_test.h"

#include <sqlite3.h>

#include <csignal>
#include <fstream>
#include <stdexcept>

#include "tests/e2e/herald_e2e_fixture.h"

namespace herald::testing {

HeraldUnderTest::HeraldUnderTest(const PrivateEjabberd& ejabberd, std::filesystem::path dir,
                                 std::string log_level, const std::string& extra_config,
                                 const std::filesystem::path& database_dir,
                                 const std::string& postgresql_connection)
    : dir_(std::move(dir)),
      config_path_(dir_ / "herald.yaml"),
      database_path_((database_dir.empty() ? dir_ : database_dir) / "herald.db"),
      log_(dir_ / "herald.log") {
    std::filesystem::create_directories(dir_);
    std::ofstream config(config_path_);
    // herald_config ends with the storage section: these lines go on in it.
    config << ejabberd.herald_config(dir_, database_path_)
           << (postgresql_connection.empty()
                   ? std::string()
                   : "  backend: postgresql\n  postgresql:\n    connection: " + postgresql_connection + "\n")
           << "admins: [admin@" << ejabberd.domain() << "]\n"
           << "log:\n"
           << "  level: " << log_level << "\n"
           << "  file: " << log_.path().string() << "\n"
           << extra_config;
}

HeraldUnderTest::~HeraldUnderTest() {
    if (process_) stop();
}

void HeraldUnderTest::start() {
    const auto mark = log_.size();
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{HERALD_BINARY, "--config", config_path_.string()},
        dir_ / "herald.stderr");
    if (!log_.wait_for("handshake accepted", std::chrono::seconds(20), mark))
        throw std::runtime_error("herald did not connect to ejabberd; its log:\n" + log_.tail());
}

std::optional<int> HeraldUnderTest::stop() {
    if (!process_) return std::nullopt;
    process_->signal(SIGTERM);
    auto status = process_->wait_exit(std::chrono::seconds(15));
    if (!status) process_->kill_hard();
    process_.reset();
    return status;
}

void HeraldUnderTest::kill_hard() {
    if (!process_) return;
    process_->kill_hard();
    process_.reset();
}

void HeraldUnderTest::freeze() {
    if (process_) process_->signal(SIGSTOP);
}

void HeraldUnderTest::thaw() {
    if (process_) process_->signal(SIGCONT);
}

std::optional<std::string> HeraldUnderTest::wait_log(std::string_view text,
                                                     std::chrono::milliseconds deadline) {
    return log_.wait_for(text, deadline);
}

std::int64_t count_rows(const std::filesystem::path& database, const char* sql, const std::string& parameter) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        throw std::runtime_error("cannot open " + database.string());
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* statement = nullptr;
    std::int64_t count = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) == SQLITE_OK) {
        sqlite3_bind_text(statement, 1, parameter.c_str(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(statement) == SQLITE_ROW) count = sqlite3_column_int64(statement, 0);
    }
    sqlite3_finalize(statement);
    sqlite3_close(db);
    if (count < 0) throw std::runtime_error(std::string("query failed: ") + sql);
    return count;
}

}  // namespace herald::testing
