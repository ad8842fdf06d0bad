#pragma once

// The repository contract tests: each runs on every backend
// (INSTANTIATE_TEST_SUITE_P over kBackends), through open_backend and
// Backend::repositories(), on a fresh empty database: SQLite :memory:, or a
// database of its own on one private PostgreSQL shared by the whole test
// program (started when the first test needs it).

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "storage/backend.h"
#include "storage/backend_factory.h"
#include "tests/unit/test_items.h"

namespace herald::testing {
class PrivatePostgresql;
}

namespace herald::storage::fixtures {

inline const auto kBackends = ::testing::Values(std::string("sqlite"), std::string("postgresql"));

inline std::string backend_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

// Why `backend` cannot be tested here ("" when it can): PostgreSQL not installed.
std::string unavailable_reason(const std::string& backend);
// Settings for a fresh database of `backend` without rows (not yet opened;
// on PostgreSQL a copy of one already migrated).
StorageSettings fresh_database(const std::string& backend);
// A PostgreSQL database with nothing in it, not even herald's schema.
StorageSettings empty_postgresql_database();
// The private PostgreSQL the test program shares, started on first use.
::herald::testing::PrivatePostgresql& shared_postgresql_server();
// A fresh database of `backend`, opened and migrated; an in-memory SQLite
// one in place of an unavailable backend (the test skips itself in SetUp).
std::unique_ptr<Backend> open_fresh_backend(const std::string& backend);
// GTEST_SKIP() when `backend` cannot run here, but a failure when the CI
// environment variable is set: there it was installed, so a skip would
// hide a broken setup.
#define HERALD_SKIP_UNLESS_AVAILABLE(backend)                                                                 \
    do {                                                                                                      \
        if (const auto reason = ::herald::storage::fixtures::unavailable_reason(backend); !reason.empty()) { \
            if (::herald::storage::fixtures::running_in_ci()) FAIL() << reason << " (CI is set)";           \
            GTEST_SKIP() << reason;                                                                           \
        }                                                                                                     \
    } while (false)
bool running_in_ci();

// One backend's repositories, for the test to use directly.
struct BackendTest : ::testing::TestWithParam<std::string> {
    std::unique_ptr<Backend> backend = open_fresh_backend(GetParam());
    UserRepository& users = backend->repositories().users;
    NodeRepository& nodes = backend->repositories().nodes;
    DeliveryQueue& queue = backend->repositories().queue;
    TokenRepository& tokens = backend->repositories().tokens;
    EscalationRepository& escalations = backend->repositories().escalations;
    FeedRepository& feeds = backend->repositories().feeds;
    AckRepository& acks = backend->repositories().acks;
    AdminQueries& admin = backend->admin();

    void SetUp() override { HERALD_SKIP_UNLESS_AVAILABLE(GetParam()); }
};

// Two users, a@x and b@x, subscribed to "topic" (owned by p@x): the ground
// the queue, escalation and admin tests share.
struct QueueContract : BackendTest {
    void SetUp() override {
        BackendTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        subscribe_two_users(users, nodes);
    }
};

}  // namespace herald::storage::fixtures
