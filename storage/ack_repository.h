#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/pubsub_records.h"

namespace herald::storage {

// What an acknowledgement changed.
struct Acknowledgement {
    std::int64_t seq = 0;
    Item item;           // acknowledged_by and acknowledged_ms: the first acknowledgement's
    bool first = false;  // false: someone had acknowledged it before
    // Recipients who had received it, the acknowledger left out: to be told.
    std::vector<std::string> to_tell;
    // Recipients it was still queued for (now withdrawn): those with a copy
    // on its way are to be told too.
    std::vector<std::string> on_the_way;
};

// An item as its publisher may ask about it.
struct ItemStatus {
    std::int64_t seq = 0;
    Item item;
    std::int64_t delivered = 0;  // recipients whose client confirmed receipt
    std::int64_t queued = 0;     // recipients it still waits for
};

// Items that need a person's acknowledgement: each recipient waits for one
// until the first acknowledgement, which settles the item for everyone.
class AckRepository {
public:
    virtual ~AckRepository() = default;

    // The user's items waiting for an acknowledgement, the last received
    // first, then those not received yet, newest first; at most `limit`.
    virtual std::vector<QueuedItem> waiting(std::string_view user, int limit) = 0;
    // The same, whose item id starts with `prefix`.
    virtual std::vector<QueuedItem> waiting_with_prefix(std::string_view user, std::string_view prefix,
                                                        int limit) = 0;
    // The item needing acknowledgement the user received last, acknowledged or not.
    virtual std::optional<QueuedItem> last_seen(std::string_view user) = 0;
    // An item the user is a recipient of, acknowledged or not.
    virtual std::optional<QueuedItem> received(std::string_view user, std::int64_t seq) = 0;
    // The first acknowledgement wins: the item leaves every queue, its pending
    // escalations and reminders end. Later ones change nothing.
    virtual Acknowledgement acknowledge(std::int64_t seq, std::string_view by, std::int64_t now_ms) = 0;
    // Queues again every received, unacknowledged, unexpired item whose
    // reminder is due (at most `limit`); returns their recipients.
    virtual std::vector<std::string> queue_reminders(std::int64_t now_ms, int limit) = 0;
    virtual std::optional<ItemStatus> status(std::string_view node, std::string_view item_id) = 0;

    // The topic's default when a publisher does not say.
    virtual bool topic_requires_ack(std::string_view node) = 0;
    virtual void set_topic_requires_ack(std::string_view node, bool required) = 0;
};

}  // namespace herald::storage
