#pragma once

// A private PostgreSQL for one test (suite), driven by
// ejabberd-config/herald-postgresql: its own temporary directory, a free
// port on 127.0.0.1, superuser and database "herald" with trust
// authentication. Stopped and deleted by the destructor.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "launcher_support.h"
#include "process.h"

namespace herald::testing {

class PrivatePostgresql {
public:
    // Why a private PostgreSQL cannot run here ("" when it can): PostgreSQL
    // 15 not installed. (As root the server runs as the postgres user, as
    // anyone else as that user.)
    static std::string unavailable_reason();

    // Makes a fresh directory under $TMPDIR (or /tmp), runs initdb there and
    // starts the server. Throws std::runtime_error, with the launcher's
    // output, on failure.
    PrivatePostgresql();
    // Stops the server and deletes the directory (kept when
    // HERALD_KEEP_TEST_DIRS is set).
    ~PrivatePostgresql();

    PrivatePostgresql(const PrivatePostgresql&) = delete;
    PrivatePostgresql& operator=(const PrivatePostgresql&) = delete;

    // start() after stop() keeps the port and the data; restart() is both.
    void start();
    void stop();
    void restart();
    bool running() const;

    // psql -At as herald on database herald, e.g. psql({"-c", "SELECT 1"}).
    CommandResult psql(const std::vector<std::string>& arguments) const;

    // A libpq connection string (URI form) for herald@127.0.0.1:port/herald.
    const std::string& connection_string() const { return connection_string_; }
    int port() const { return port_; }
    const std::filesystem::path& dir() const { return dir_; }
    // The postmaster's pid while running (from postmaster.pid), else 0.
    int server_pid() const;

private:
    CommandResult run_launcher(const std::string& command, std::vector<std::string> arguments,
                               std::chrono::milliseconds deadline) const;

    const std::filesystem::path launcher_;
    std::filesystem::path dir_;
    std::string connection_string_;
    int port_ = 0;
};

}  // namespace herald::testing
