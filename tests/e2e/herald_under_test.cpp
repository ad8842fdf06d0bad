#include "tests/e2e/herald_under_test.h"

#include <sqlite3.h>

#include <csignal>
#include <fstream>
#include <iterator>
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
    write_config(ejabberd.herald_config(dir_, database_path_), ejabberd.domain(), log_level, extra_config,
                 postgresql_connection);
}

HeraldUnderTest::HeraldUnderTest(const Attachment& attachment, std::filesystem::path dir, std::string log_level,
                                 const std::string& extra_config, const std::string& postgresql_connection)
    : dir_(std::move(dir)),
      config_path_(dir_ / "herald.yaml"),
      database_path_(dir_ / "herald.db"),
      log_(dir_ / "herald.log") {
    std::filesystem::create_directories(dir_);
    write_config(herald_component_config(dir_, database_path_, attachment.component_host,
                                         attachment.component_secret, attachment.component_port),
                 attachment.domain, log_level, extra_config, postgresql_connection);
}

void HeraldUnderTest::write_config(const std::string& component_config, const std::string& domain,
                                   const std::string& log_level, const std::string& extra_config,
                                   const std::string& postgresql_connection) {
    std::ofstream config(config_path_);
    // component_config ends with the storage section: these lines go on in it.
    config << component_config
           << (postgresql_connection.empty()
                   ? std::string()
                   : "  backend: postgresql\n  postgresql:\n    connection: " + postgresql_connection + "\n")
           << "admins: [admin@" << domain << "]\n"
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
    if (!log_.wait_for("handshake accepted", std::chrono::seconds(20), mark)) {
        std::ifstream stderr_file(dir_ / "herald.stderr");
        const std::string errors((std::istreambuf_iterator<char>(stderr_file)), std::istreambuf_iterator<char>());
        throw std::runtime_error("herald did not connect to ejabberd; its log:\n" + log_.tail() +
                                 "\nits stderr:\n" + errors);
    }
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
