#include "private_postgresql.h"

#include <fstream>
#include <iostream>
#include <stdexcept>
#include <utility>

namespace herald::testing {

namespace {

using namespace std::chrono_literals;

constexpr const char* kOwner = "PrivatePostgresql";
// The launcher waits up to 60 s for the server and 120 s for the lock;
// these only catch a launcher that hangs.
constexpr std::chrono::milliseconds kStartDeadline = 240s;
constexpr std::chrono::milliseconds kStopDeadline = 120s;
constexpr std::chrono::milliseconds kPsqlDeadline = 60s;
const std::filesystem::path kInitdb = "/usr/lib/postgresql/15/bin/initdb";

}  // namespace

std::string PrivatePostgresql::unavailable_reason()
{
    if (!std::filesystem::exists(kInitdb))
        return kInitdb.string() + " not found (apt-get install postgresql)";
    return {};
}

PrivatePostgresql::PrivatePostgresql()
    : launcher_(launcher_path("HERALD_POSTGRESQL_LAUNCHER", "herald-postgresql"))
{
    if (!std::filesystem::exists(launcher_))
        throw std::runtime_error("PrivatePostgresql: launcher not found: " + launcher_.string());
    start_in_private_dir(dir_, "herald-postgresql", kOwner, [this] { start(); }, [this] { stop(); });
}

PrivatePostgresql::~PrivatePostgresql()
{
    stop_and_remove_private_dir(dir_, kOwner, [this] { stop(); });
}

void PrivatePostgresql::start()
{
    run_launcher("start", {}, kStartDeadline);
    const EnvFile env(dir_ / "postgresql.env", kOwner);
    connection_string_ = env.required("POSTGRESQL_URL");
    port_ = env.port("PGPORT");
}

void PrivatePostgresql::stop() { run_launcher("stop", {}, kStopDeadline); }

void PrivatePostgresql::restart()
{
    stop();
    start();
}

bool PrivatePostgresql::running() const
{
    return run_command({launcher_.string(), "status", dir_.string()}, kPsqlDeadline).exit_code == 0;
}

CommandResult PrivatePostgresql::psql(const std::vector<std::string>& arguments) const
{
    std::vector<std::string> argv{launcher_.string(), "psql", dir_.string(), "-At"};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return run_command(argv, kPsqlDeadline);
}

int PrivatePostgresql::server_pid() const
{
    std::ifstream in(dir_ / "data" / "postmaster.pid");
    int pid = 0;
    return in >> pid ? pid : 0;
}

CommandResult PrivatePostgresql::run_launcher(const std::string& command,
                                              std::vector<std::string> arguments,
                                              std::chrono::milliseconds deadline) const
{
    std::vector<std::string> argv{launcher_.string(), command, dir_.string()};
    argv.insert(argv.end(), std::make_move_iterator(arguments.begin()),
                std::make_move_iterator(arguments.end()));
    return run_launcher_command(kOwner, argv, deadline);
}

}  // namespace herald::testing
