#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

    // Acknowledgement, as the publisher asked (nullopt before storing: the
    // topic's default) and as it happened.
    std::optional<bool> ack_required;
    std::optional<std::int64_t> renotify_seconds;  // between reminders while unacknowledged
    std::optional<std::string> ack_callback;       // URL told of the acknowledgement (HTTP publishers)
    std::optional<std::string> callback_key;       // signs the callback: the token's digest
    std::optional<std::string> ack_reply_to;       // full JID told of it (XMPP publishers)
    std::optional<std::string> acknowledged_by;    // bare JID
    std::optional<std::int64_t> acknowledged_ms;

    bool awaits_ack() const { return ack_required.value_or(false) && !acknowledged_by; }
};

// What a user chose; absent fields fall back to the service's defaults.
struct Preferences {
    std::optional<std::string> message_type;  // "chat" or "headline"
    std::string dnd_holds = "normal";         // while dnd, hold this priority and below: none, low, normal, high
    std::optional<std::string> quiet_start;   // "HH:MM", in quiet_zone
    std::optional<std::string> quiet_end;
    std::optional<std::string> quiet_zone;    // IANA name, e.g. Europe/Paris
    std::string escalation_channel = "none";  // none, mail, webhook
    std::int64_t escalation_minutes = 0;
    std::optional<std::string> escalation_target;  // address or URL
    int escalation_min_priority = 1;               // escalate items at or above this priority
    // Made by herald when webhook escalation is chosen; not saved with the rest.
    std::optional<std::string> webhook_secret;
    bool paused = false;
};

// A notification a user received, or that was dropped or expired for them.
struct HistoryEntry {
    Item item;
    std::string outcome;  // delivered, dropped, expired
    std::int64_t at_ms = 0;
};

// Users, topics and queued deliveries now; outcomes in all, kept across
// restarts and history pruning.
struct ServiceCounts {
    std::int64_t users = 0;
    std::int64_t nodes = 0;
    std::int64_t queued = 0;
    std::int64_t delivered = 0;
    std::int64_t dropped = 0;
    std::int64_t expired = 0;

    // Takes one row of the backends' counters table (kept by triggers: see
    // their migrations); a name it does not count is left out.
    void take_counter(std::string_view name, std::int64_t value) {
        if (name == "users") users = value;
        else if (name == "topics") nodes = value;
        else if (name == "queued") queued = value;
        else if (name == "outcome delivered") delivered = value;
        else if (name == "outcome dropped") dropped = value;
        else if (name == "outcome expired") expired = value;
    }
};

// An item waiting in one user's queue; `seq` orders queues oldest first.
struct QueuedItem {
    std::int64_t seq = 0;
    Item item;
};

// A stored item and the users it was queued for.
struct FanOut {
    std::int64_t seq = 0;
    std::vector<std::string> users;
};

}  // namespace herald::storage
