#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/sqlite/database.h"
#include "storage/sqlite/statement.h"

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

// What `herald admin` reads and changes, for the operator, on one
// connection. Set-aside deliveries are the router's "not deliverable"
// history rows (DeliveryQueue::set_aside): requeue puts them back in the
// user's queue, drop records them as dropped.
class AdminQueries {
public:
    explicit AdminQueries(Database& db);

    std::vector<UserSummary> users();
    std::optional<UserDetail> user(std::string_view jid);
    std::vector<TopicSummary> topics();
    std::vector<QueueEntry> queue(std::string_view jid);
    std::vector<QueueEntry> set_aside();
    // nullopt key: every set-aside delivery. Returns how many were changed.
    std::int64_t requeue(const std::optional<DeliveryKey>& key);
    std::int64_t drop(const std::optional<DeliveryKey>& key, std::int64_t now_ms);
    // The counters the triggers keep, plus a few that are cheap to count.
    std::vector<std::pair<std::string, std::int64_t>> stats();

private:
    UserSummary read_user() const;
    QueueEntry read_entry(Statement& row, int first_column) const;
    std::int64_t change(Statement& statement, const std::optional<DeliveryKey>& key);

    Database& db_;
    Statement users_;
    Statement user_;
    Statement subscribed_;
    Statement owned_;
    Statement topics_;
    Statement queue_;
    Statement set_aside_;
    Statement requeue_insert_;
    Statement requeue_forget_;
    Statement drop_;
    Statement counters_;
    Statement extra_counts_;
};

}  // namespace herald::storage
