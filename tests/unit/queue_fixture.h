#pragma once

// A fresh in-memory database with two users, a@x and b@x, subscribed to
// "topic" (owned by p@x): the ground the queue and escalation tests share.

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "storage/sqlite/database.h"
#include "storage/sqlite/sqlite_delivery_queue.h"
#include "storage/sqlite/sqlite_node_repository.h"
#include "storage/sqlite/sqlite_user_repository.h"
#include "tests/unit/test_items.h"

namespace herald::storage::fixtures {

struct QueueFixture : ::testing::Test {
    Database db{":memory:"};
    SqliteUserRepository users{db};
    SqliteNodeRepository nodes{db};
    SqliteDeliveryQueue queue{db};

    void SetUp() override { subscribe_two_users(users, nodes); }
};

}  // namespace herald::storage::fixtures
