#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace herald::storage {

struct Node {
    std::string name;
    std::string owner;          // bare JID
    std::string publish_model;  // "publishers" or "open"
    bool personal = false;      // inbox/<bare-jid>
    std::int64_t created_at = 0;
};

// A notification as published: the payload is stored once, whatever the
// number of subscribers.
struct Item {
    std::string item_id;
    std::string node;
    std::string publisher;
    std::string payload;  // the published payload element, serialized
    std::string title;
    std::string body;
    std::string link;
    int priority = 1;  // 0 low, 1 normal, 2 high, 3 urgent
    std::int64_t published_ms = 0;
    std::optional<std::int64_t> expires_ms;
};

// An item waiting in one user's queue; `seq` orders queues oldest first.
struct QueuedItem {
    std::int64_t seq = 0;
    Item item;
};

}  // namespace herald::storage
