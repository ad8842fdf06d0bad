#pragma once

// The ground the queue, escalation, retention and admin tests share: two
// users, a@x and b@x, subscribed to "topic" (owned by p@x), and the items
// p@x publishes there.

#include <cstdint>
#include <optional>
#include <string>

#include "storage/node_repository.h"
#include "storage/pubsub_records.h"
#include "storage/user_repository.h"

namespace herald::storage::fixtures {

inline Item make_item(const std::string& id, int priority, std::optional<std::int64_t> expires = std::nullopt,
                      std::int64_t published_ms = 1) {
    Item item;
    item.item_id = id;
    item.node = "topic";
    item.publisher = "p@x";
    item.payload = "<notification xmlns='urn:herald:0'/>";
    item.title = id;
    item.priority = priority;
    item.published_ms = published_ms;
    item.expires_ms = expires;
    return item;
}

inline void subscribe_two_users(UserRepository& users, NodeRepository& nodes) {
    users.upsert({"a@x", {}, 0});
    users.upsert({"b@x", {}, 0});
    nodes.create({"topic", "p@x", "publishers", false, 0});
    nodes.subscribe("topic", "a@x", 0);
    nodes.subscribe("topic", "b@x", 0);
}

}  // namespace herald::storage::fixtures
