#include "storage/postgresql/postgresql_delivery_queue.h"

#include <algorithm>

#include "storage/postgresql/item_columns.h"
#include "storage/storage_error.h"

namespace herald::storage {

using namespace pg;
namespace {

constexpr const char* kExpired = "expires_ms IS NOT NULL AND expires_ms <= $1";

}  // namespace

PostgresqlDeliveryQueue::PostgresqlDeliveryQueue(Connection& connection, QueuedInTransaction& queued)
    : queued_(queued),
      insert_item_(connection,
                   "INSERT INTO items (item_id, node, publisher, payload, title, body, link, priority, published_ms, "
                   "expires_ms, ack_required, renotify_seconds, ack_callback, callback_key, ack_reply_to) "
                   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) "
                   "ON CONFLICT (node, item_id) DO NOTHING RETURNING id"),
      await_ack_(connection, "INSERT INTO ack_recipients (user_jid, item, priority) "
                             "SELECT user_jid, item, priority FROM queue WHERE item = $1 ON CONFLICT DO NOTHING"),
      ack_delivered_(connection,
                     "UPDATE ack_recipients SET delivered_ms = coalesce(delivered_ms, $3::bigint), "
                     "last_delivered_ms = $3::bigint, remind_at_ms = (SELECT CASE WHEN i.acknowledged_by IS NULL "
                     "AND i.renotify_seconds IS NOT NULL THEN $3::bigint + i.renotify_seconds * 1000 END "
                     "FROM items i WHERE i.id = $2) WHERE user_jid = $1 AND item = $2"),
      delivered_after_ack_(connection, "UPDATE ack_recipients SET delivered_ms = $3, last_delivered_ms = $3 "
                                       "WHERE user_jid = $1 AND item = $2 AND delivered_ms IS NULL AND settled"),
      fan_out_(connection, "INSERT INTO queue (user_jid, item, priority, expires_ms) "
                           "SELECT jid, $1::bigint, $2::integer, $3::bigint FROM subscriptions WHERE node = $4 "
                           "RETURNING user_jid"),
      fan_out_everyone_(connection, "INSERT INTO queue (user_jid, item, priority, expires_ms) "
                                    "SELECT jid, $1::bigint, $2::integer, $3::bigint FROM users "
                                    "WHERE $4::text = $4::text RETURNING user_jid"),
      count_(connection, "SELECT count(*) FROM queue WHERE user_jid = $1"),
      drop_oldest_(connection, "DELETE FROM queue WHERE user_jid = $1 AND item IN (SELECT item FROM queue "
                               "WHERE user_jid = $1 ORDER BY priority ASC, item ASC LIMIT $2) RETURNING item"),
      add_dropped_(connection, "UPDATE users SET dropped_unreported = dropped_unreported + $2 WHERE jid = $1"),
      next_(connection, with_item_columns("SELECT q.item, ",
                                             " FROM queue q JOIN items i ON i.id = q.item "
                                             "WHERE q.user_jid = $1 AND q.item > $2 AND q.priority >= $3 "
                                             "AND (q.expires_ms IS NULL OR q.expires_ms > $4) ORDER BY q.item "
                                             "LIMIT $5")),
      confirm_delete_(connection, "DELETE FROM queue WHERE user_jid = $1 AND item = $2"),
      forget_outcome_(connection, "DELETE FROM history WHERE user_jid = $1 AND item = $2"),
      add_outcome_(connection, "INSERT INTO history (user_jid, item, outcome, at_ms) VALUES ($1, $2, $3, $4)"),
      forget_expired_outcomes_(connection, std::string("DELETE FROM history h USING queue q WHERE h.user_jid = "
                                                       "q.user_jid AND h.item = q.item AND q.") + kExpired),
      expire_history_(connection, std::string("INSERT INTO history (user_jid, item, outcome, at_ms) "
                                              "SELECT user_jid, item, 'expired', $1 FROM queue WHERE ") + kExpired),
      expire_delete_(connection, std::string("DELETE FROM queue WHERE ") + kExpired),
      take_dropped_(connection, "UPDATE users u SET dropped_unreported = 0 FROM (SELECT jid, dropped_unreported "
                                "FROM users WHERE jid = $1 FOR UPDATE) previous WHERE u.jid = previous.jid "
                                "AND previous.dropped_unreported > 0 RETURNING previous.dropped_unreported"),
      recent_(connection,
              with_item_columns("SELECT ", " FROM items i WHERE i.node = $1 ORDER BY i.id DESC LIMIT $2")),
      history_(connection,
               with_item_columns(
                   "SELECT h.outcome, h.at_ms, ",
                   " FROM (SELECT item, outcome, at_ms FROM history WHERE user_jid = $1 "
                   "UNION ALL SELECT item, CASE state WHEN 'sent' THEN 'escalated by ' || channel "
                   "WHEN 'sending' THEN 'escalation by ' || channel || ' started, outcome unknown' "
                   "ELSE 'escalation by ' || channel || ' failed' END, updated_ms FROM escalations "
                   "WHERE user_jid = $1 AND state IN ('sent', 'sending', 'failed') "
                   "UNION ALL SELECT a.item, CASE WHEN k.acknowledged_by = $1 THEN 'acknowledged by you' "
                   "ELSE 'acknowledged by ' || k.acknowledged_by END, k.acknowledged_ms "
                   "FROM ack_recipients a JOIN items k ON k.id = a.item "
                   "WHERE a.user_jid = $1 AND k.acknowledged_by IS NOT NULL) h JOIN items i ON i.id = h.item "
                   "ORDER BY h.at_ms DESC NULLS LAST, h.item DESC LIMIT $2")),
      counts_(connection, "SELECT name, value FROM counters"),
      prune_history_(connection, "DELETE FROM history WHERE (user_jid, item) IN "
                                 "(SELECT user_jid, item FROM history WHERE at_ms < $1 ORDER BY at_ms LIMIT $2)"),
      // As SQLite, which reads a negative OFFSET as 0.
      trim_history_(connection,
                    "DELETE FROM history WHERE (user_jid, item) IN (SELECT user_jid, item FROM history "
                    "WHERE user_jid = $1 AND (at_ms, item) < (SELECT at_ms, item FROM history WHERE user_jid = $1 "
                    "ORDER BY at_ms DESC, item DESC LIMIT 1 OFFSET greatest($2::bigint - 1, 0)) LIMIT $3)"),
      prune_items_(connection,
                   "DELETE FROM items WHERE id IN (SELECT i.id FROM items i WHERE i.id > $1 AND i.id <= $1 + $3 "
                   "AND NOT EXISTS (SELECT 1 FROM queue q WHERE q.item = i.id) "
                   "AND NOT EXISTS (SELECT 1 FROM history h WHERE h.item = i.id) "
                   "AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.item = i.id) "
                   "AND i.id < coalesce((SELECT n.id FROM items n WHERE n.node = i.node ORDER BY n.id DESC "
                   "LIMIT 1 OFFSET greatest($2::bigint - 1, 0)), 0))"),
      last_seq_(connection, "SELECT coalesce(max(id), 0) FROM items"),
      users_queued_for_(connection, "SELECT DISTINCT user_jid FROM queue WHERE item = ANY($1::bigint[]) ORDER BY 1") {}

std::int64_t PostgresqlDeliveryQueue::store(const Item& item) {
    const auto stored = insert_item_.run(item.item_id, item.node, item.publisher, item.payload, item.title, item.body,
                                         item.link, item.priority, item.published_ms, item.expires_ms,
                                         item.ack_required.value_or(false), item.renotify_seconds, item.ack_callback,
                                         item.callback_key, item.ack_reply_to);
    // Refused without a failed statement, which would spoil the whole commit group.
    if (stored.empty())
        throw StorageError("publish: topic " + item.node + " already has an item " + item.item_id, false,
                           StorageError::Kind::constraint);
    return stored.integer(0, 0);
}

FanOut PostgresqlDeliveryQueue::enqueue(Statement& fan_out, std::int64_t seq, const Item& item) {
    const auto rows = fan_out.run(seq, item.priority, item.expires_ms, item.node);
    if (rows.rows() > 0) queued_.items.push_back(seq);
    FanOut fanned{seq, {}};
    for (int row = 0; row < rows.rows(); ++row) fanned.users.push_back(rows.text(row, 0));
    std::sort(fanned.users.begin(), fanned.users.end());
    return fanned;
}

FanOut PostgresqlDeliveryQueue::publish(const Item& item) {
    return await_ack(item, enqueue(fan_out_, store(item), item));
}

FanOut PostgresqlDeliveryQueue::publish_to_everyone(const Item& item) {
    return await_ack(item, enqueue(fan_out_everyone_, store(item), item));
}

FanOut PostgresqlDeliveryQueue::await_ack(const Item& item, FanOut fan_out) {
    if (item.ack_required.value_or(false)) await_ack_.run(fan_out.seq);
    return fan_out;
}

std::int64_t PostgresqlDeliveryQueue::trim(const std::vector<std::string>& users, std::int64_t max_per_user,
                                           std::int64_t now_ms) {
    std::int64_t dropped_total = 0;
    for (const auto& user : users) {
        const auto excess = count_.run(user).integer(0, 0) - max_per_user;
        if (excess <= 0) continue;
        const auto dropped = drop_oldest_.run(user, excess);
        for (int row = 0; row < dropped.rows(); ++row) record_outcome(user, dropped.integer(row, 0), "dropped", now_ms);
        add_dropped_.run(user, static_cast<std::int64_t>(dropped.rows()));
        dropped_total += dropped.rows();
    }
    return dropped_total;
}

std::vector<QueuedItem> PostgresqlDeliveryQueue::next(std::string_view user, std::int64_t after_seq,
                                                      int min_priority, std::int64_t now_ms, int limit) {
    const auto rows = next_.run(user, after_seq, min_priority, now_ms, limit);
    std::vector<QueuedItem> items;
    for (int row = 0; row < rows.rows(); ++row) items.push_back({rows.integer(row, 0), read_item(rows, row, 1)});
    return items;
}

void PostgresqlDeliveryQueue::record_outcome(std::string_view user, std::int64_t seq, std::string_view outcome,
                                             std::int64_t now_ms) {
    forget_outcome_.run(user, seq);
    add_outcome_.run(user, seq, outcome, now_ms);
}

void PostgresqlDeliveryQueue::confirm(std::string_view user, std::int64_t seq, std::int64_t now_ms) {
    if (settle(user, seq, "delivered", now_ms)) {
        ack_delivered_.run(user, seq, now_ms);
        return;
    }
    // Someone acknowledged the item while it was on its way to this user
    // (which took it out of their queue): it was delivered all the same.
    if (delivered_after_ack_.run(user, seq, now_ms).affected() == 0) return;
    record_outcome(user, seq, "delivered", now_ms);
}

void PostgresqlDeliveryQueue::set_aside(std::string_view user, std::int64_t seq, std::int64_t now_ms) {
    settle(user, seq, "not deliverable", now_ms);
}

bool PostgresqlDeliveryQueue::settle(std::string_view user, std::int64_t seq, std::string_view outcome,
                                     std::int64_t now_ms) {
    if (confirm_delete_.run(user, seq).affected() == 0) return false;  // settled before: a duplicate receipt
    record_outcome(user, seq, outcome, now_ms);
    return true;
}

std::int64_t PostgresqlDeliveryQueue::expire(std::int64_t now_ms) {
    forget_expired_outcomes_.run(now_ms);
    expire_history_.run(now_ms);
    return expire_delete_.run(now_ms).affected();
}

std::int64_t PostgresqlDeliveryQueue::take_dropped_count(std::string_view user) {
    const auto taken = take_dropped_.run(user);
    return taken.empty() ? 0 : taken.integer(0, 0);
}

std::int64_t PostgresqlDeliveryQueue::queued_count(std::string_view user) { return count_.run(user).integer(0, 0); }

std::vector<Item> PostgresqlDeliveryQueue::recent_items(std::string_view node, int max_items) {
    const auto rows = recent_.run(node, max_items);
    std::vector<Item> items;
    for (int row = 0; row < rows.rows(); ++row) items.push_back(read_item(rows, row, 0));
    return items;
}

std::vector<HistoryEntry> PostgresqlDeliveryQueue::history(std::string_view user, int limit) {
    const auto rows = history_.run(user, limit);
    std::vector<HistoryEntry> entries;
    for (int row = 0; row < rows.rows(); ++row)
        entries.push_back({read_item(rows, row, 2), rows.text(row, 0), rows.integer(row, 1)});
    return entries;
}

std::int64_t PostgresqlDeliveryQueue::prune_history(std::int64_t before_ms, int max_rows) {
    return prune_history_.run(before_ms, max_rows).affected();
}

std::int64_t PostgresqlDeliveryQueue::trim_history(std::string_view user, std::int64_t keep, int max_rows) {
    return trim_history_.run(user, keep, max_rows).affected();
}

std::int64_t PostgresqlDeliveryQueue::prune_items(std::int64_t after_seq, std::int64_t keep_per_node, int max_rows) {
    return prune_items_.run(after_seq, keep_per_node, max_rows).affected();
}

std::int64_t PostgresqlDeliveryQueue::last_seq() { return last_seq_.run().integer(0, 0); }

std::vector<std::string> PostgresqlDeliveryQueue::users_queued_for(const std::vector<std::int64_t>& items) {
    std::string array = "{";
    for (const auto item : items) array += (array.size() > 1 ? "," : "") + std::to_string(item);
    const auto rows = users_queued_for_.run(array + "}");
    std::vector<std::string> users;
    for (int row = 0; row < rows.rows(); ++row) users.push_back(rows.text(row, 0));
    return users;
}

// Kept by triggers (see the migrations): a few rows, whatever the size of history.
ServiceCounts PostgresqlDeliveryQueue::counts() {
    ServiceCounts counts;
    const auto rows = counts_.run();
    for (int row = 0; row < rows.rows(); ++row) counts.take_counter(rows.text(row, 0), rows.integer(row, 1));
    return counts;
}

}  // namespace herald::storage
