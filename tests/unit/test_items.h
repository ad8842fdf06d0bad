#pragma once

// An item of "topic" published by p@x, as the storage tests publish them.

#include <cstdint>
#include <optional>
#include <string>

#include "storage/pubsub_records.h"

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

}  // namespace herald::storage::fixtures
