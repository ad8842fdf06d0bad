#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/pubsub_records.h"

namespace herald::storage {

// Items, each user's durable queue of them, and what became of each.
class DeliveryQueue {
public:
    virtual ~DeliveryQueue() = default;

    // Stores the item once and queues it for every subscriber of its node.
    // Returns its queue sequence number and those subscribers. Throws
    // StorageError when the node already has an item with that id (ids are
    // unique per node, not across nodes).
    virtual FanOut publish(const Item& item) = 0;
    // Keeps each listed user's queue at `max_per_user` by dropping the oldest
    // of the lowest priority; the count is kept for telling the user.
    // Returns how many were dropped in all.
    virtual std::int64_t trim(const std::vector<std::string>& users, std::int64_t max_per_user,
                              std::int64_t now_ms) = 0;
    // The user's next items after `after_seq`, oldest first, at or above
    // `min_priority`, not expired.
    virtual std::vector<QueuedItem> next(std::string_view user, std::int64_t after_seq,
                                         int min_priority, std::int64_t now_ms, int limit) = 0;
    // The user's client confirmed the item: out of the queue, into history.
    virtual void confirm(std::string_view user, std::int64_t seq, std::int64_t now_ms) = 0;
    // The item cannot be delivered to the user (it was in flight each time
    // the stream died): out of the queue, into history as "not deliverable".
    virtual void set_aside(std::string_view user, std::int64_t seq, std::int64_t now_ms) = 0;
    // Drops expired entries from every queue; returns how many.
    virtual std::int64_t expire(std::int64_t now_ms) = 0;
    // Items dropped for the user since last asked (and resets the count).
    virtual std::int64_t take_dropped_count(std::string_view user) = 0;
    virtual std::int64_t queued_count(std::string_view user) = 0;
    // Stores the item once and queues it for every registered user.
    virtual FanOut publish_to_everyone(const Item& item) = 0;
    // The user's most recent outcomes, newest first.
    virtual std::vector<HistoryEntry> history(std::string_view user, int limit) = 0;
    virtual ServiceCounts counts() = 0;
    // The node's most recent items, newest first.
    virtual std::vector<Item> recent_items(std::string_view node, int max_items) = 0;

    // Retention, a batch of at most `max_rows` rows per call; each returns how many went.
    // Outcomes recorded before `before_ms`.
    virtual std::int64_t prune_history(std::int64_t before_ms, int max_rows) = 0;
    // The user's outcomes past their newest `keep`.
    virtual std::int64_t trim_history(std::string_view user, std::int64_t keep, int max_rows) = 0;
    // Items with ids in (after_seq, after_seq + max_rows] that no queue,
    // history or escalation row needs and that are not among their node's
    // newest `keep_per_node` (what items retrieval returns).
    virtual std::int64_t prune_items(std::int64_t after_seq, std::int64_t keep_per_node, int max_rows) = 0;
    // The newest item's sequence number (0 when there is none): where pruning items stops.
    virtual std::int64_t last_seq() = 0;
    // The users with any of these items in their queue, each once.
    virtual std::vector<std::string> users_queued_for(const std::vector<std::int64_t>& items) = 0;
};

}  // namespace herald::storage
