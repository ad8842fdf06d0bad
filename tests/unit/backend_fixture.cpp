#include "tests/unit/backend_fixture.h"

#include <cstdlib>
#include <stdexcept>

#include "storage/postgresql/connection.h"
#include "storage/storage_error.h"
#include "tests/support/private_postgresql.h"

namespace herald::storage::fixtures {
namespace {

// The test program's PostgreSQL, and a connection to its `herald` database
// that makes one database per test (closed before the server stops), each a
// copy of one migrated once: copying is faster than migrating.
struct SharedPostgresql {
    testing::PrivatePostgresql server;
    pg::Connection maintenance{server.connection_string(), std::nullopt};
    int databases_made = 0;
    // The previous test's, dropped when the next test begins: its pages are
    // then never written out (a checkpoint of every test's database made
    // stopping the server take longer than the tests).
    std::string last_database;

    // A test may restart the server under this connection: it is opened again then.
    void run(const std::string& sql) {
        try {
            maintenance.execute(sql.c_str());
        } catch (const StorageError&) {
            if (!maintenance.lost()) throw;
            maintenance.reconnect_if_lost();
            maintenance.execute(sql.c_str());
        }
    }

    std::string connection_to(const std::string& database) const {
        return "postgresql://herald@127.0.0.1:" + std::to_string(server.port()) + "/" + database;
    }

    SharedPostgresql() {
        // A test server: what is committed need not survive a crash of the machine.
        maintenance.execute("ALTER SYSTEM SET fsync = off");
        maintenance.execute("SELECT pg_reload_conf()");
        maintenance.execute("CREATE DATABASE herald_migrated");
        open_backend({.backend = "postgresql", .path = {}, .postgresql_connection = connection_to("herald_migrated")});
    }
};

SharedPostgresql& shared_postgresql() {
    static SharedPostgresql shared;
    return shared;
}

}  // namespace

bool running_in_ci() {
    const char* ci = std::getenv("CI");
    return ci && *ci && std::string(ci) != "false" && std::string(ci) != "0";
}

std::string unavailable_reason(const std::string& backend) {
    if (backend != "postgresql") return {};
    return testing::PrivatePostgresql::unavailable_reason();
}

namespace {

StorageSettings new_postgresql_database(const std::string& template_database) {
    auto& shared = shared_postgresql();
    const auto name = "herald_t" + std::to_string(++shared.databases_made);
    // A database name is no bindable parameter; these are our own.
    if (!shared.last_database.empty()) shared.run("DROP DATABASE " + shared.last_database + " WITH (FORCE)");
    shared.run("CREATE DATABASE " + name + " TEMPLATE " + template_database);
    shared.last_database = name;
    return {.backend = "postgresql", .path = {}, .postgresql_connection = shared.connection_to(name)};
}

}  // namespace

StorageSettings fresh_database(const std::string& backend) {
    if (backend != "postgresql") return {.backend = backend, .path = ":memory:"};
    return new_postgresql_database("herald_migrated");
}

StorageSettings empty_postgresql_database() { return new_postgresql_database("template1"); }

testing::PrivatePostgresql& shared_postgresql_server() { return shared_postgresql().server; }

std::unique_ptr<Backend> open_fresh_backend(const std::string& backend) {
    if (!unavailable_reason(backend).empty()) return open_backend({.path = ":memory:"});
    return open_backend(fresh_database(backend));
}

}  // namespace herald::storage::fixtures
