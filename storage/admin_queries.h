#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herald::storage {

struct UserSummary {
    std::string jid;
    std::optional<std::string> email;
    std::int64_t registered_at = 0;  // unix seconds
    std::int64_t subscriptions = 0;  // to topics, not personal nodes
    std::int64_t queued = 0;
    std::int64_t set_aside = 0;
};

struct UserDetail {
    UserSummary summary;
    std::optional<std::int64_t> away_since_ms;
    std::vector<std::string> subscribed;
    std::vector<std::string> owned_topics;
};

struct TopicSummary {
    std::string name;
    std::string owner;
    std::string publish_model;
    std::int64_t subscribers = 0;
    std::int64_t queued = 0;  // queue rows for this topic's items, all users
    std::int64_t items = 0;
};

// A queue row as the operator sees it; `seq` is the item's sequence number.
struct QueueEntry {
    std::string user;
    std::int64_t seq = 0;
    std::string node;
    std::string item_id;
    std::string title;
    int priority = 0;
    std::int64_t published_ms = 0;
    std::optional<std::int64_t> expires_ms;
    std::int64_t at_ms = 0;  // set aside at (set-aside entries only)
};

// One delivery: the user and the item's sequence number.
using DeliveryKey = std::pair<std::string, std::int64_t>;

// What `herald admin` reads and changes, for the operator. Set-aside
// deliveries are the router's "not deliverable" history rows
// (DeliveryQueue::set_aside): requeue puts them back in the user's queue,
// drop records them as dropped.
class AdminQueries {
public:
    virtual ~AdminQueries() = default;

    virtual std::vector<UserSummary> users() = 0;
    virtual std::optional<UserDetail> user(std::string_view jid) = 0;
    virtual std::vector<TopicSummary> topics() = 0;
    virtual std::vector<QueueEntry> queue(std::string_view jid) = 0;
    virtual std::vector<QueueEntry> set_aside() = 0;
    // nullopt key: every set-aside delivery. Returns how many were changed.
    virtual std::int64_t requeue(const std::optional<DeliveryKey>& key) = 0;
    virtual std::int64_t drop(const std::optional<DeliveryKey>& key, std::int64_t now_ms) = 0;
    // The counters the triggers keep, plus a few that are cheap to count.
    virtual std::vector<std::pair<std::string, std::int64_t>> stats() = 0;
    virtual int schema_version() = 0;
};

}  // namespace herald::storage
