#include "tests/unit/backend_fixture.h"

#include <cstdlib>
#include <stdexcept>

#include "storage/postgresql/connection.h"
#include "tests/support/private_postgresql.h"

namespace herald::storage::fixtures {
namespace {

// The test program's PostgreSQL, and a connection to its `herald` database
// that makes one database per test (closed before the server stops).
struct SharedPostgresql {
    testing::PrivatePostgresql server;
    pg::Connection maintenance{server.connection_string(), std::nullopt};
    int databases_made = 0;
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

StorageSettings fresh_database(const std::string& backend) {
    if (backend != "postgresql") return {.backend = backend, .path = ":memory:"};
    auto& shared = shared_postgresql();
    const auto name = "herald_t" + std::to_string(++shared.databases_made);
    // A database name is no bindable parameter; this one is our own counter.
    shared.maintenance.execute(("CREATE DATABASE " + name).c_str());
    return {.backend = backend,
            .path = {},
            .postgresql_connection =
                "postgresql://herald@127.0.0.1:" + std::to_string(shared.server.port()) + "/" + name};
}

std::unique_ptr<Backend> open_fresh_backend(const std::string& backend) {
    if (!unavailable_reason(backend).empty()) return open_backend({.path = ":memory:"});
    return open_backend(fresh_database(backend));
}

}  // namespace herald::storage::fixtures
