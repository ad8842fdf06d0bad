#include "storage/sqlite/sqlite_delivery_queue.h"

#include <sqlite3.h>

#include <set>

#include "storage/sqlite/item_columns.h"
#include "storage/storage_error.h"

namespace herald::storage {

SqliteDeliveryQueue::SqliteDeliveryQueue(Database& db)
    : db_(db.handle()),
      insert_item_(db.prepare(
          "INSERT INTO items (item_id, node, publisher, payload, title, body, link, priority, "
          "published_ms, expires_ms, ack_required, renotify_seconds, ack_callback, callback_key, ack_reply_to) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)")),
      await_ack_(db.prepare("INSERT OR IGNORE INTO ack_recipients (user, item, priority) "
                            "SELECT user, item, priority FROM queue WHERE item = ?1")),
      ack_delivered_(db.prepare(
          "UPDATE ack_recipients SET delivered_ms = coalesce(delivered_ms, ?3), last_delivered_ms = ?3, remind_at_ms = "
          "(SELECT CASE WHEN i.acknowledged_by IS NULL AND i.renotify_seconds IS NOT NULL "
          "THEN ?3 + i.renotify_seconds * 1000 END FROM items i WHERE i.id = ?2) WHERE user = ?1 AND item = ?2")),
      delivered_after_ack_(db.prepare(
          "UPDATE ack_recipients SET delivered_ms = ?3, last_delivered_ms = ?3 WHERE user = ?1 AND item = ?2 "
          "AND delivered_ms IS NULL AND settled = 1")),
      fan_out_(db.prepare("INSERT INTO queue (user, item, priority, expires_ms) "
                          "SELECT jid, ?1, ?2, ?3 FROM subscriptions WHERE node = ?4")),
      subscribers_(db.prepare("SELECT jid FROM subscriptions WHERE node = ?1")),
      count_(db.prepare("SELECT count(*) FROM queue WHERE user = ?1")),
      drop_oldest_(db.prepare(
          "DELETE FROM queue WHERE user = ?1 AND item IN "
          "(SELECT item FROM queue WHERE user = ?1 ORDER BY priority ASC, item ASC LIMIT ?2) "
          "RETURNING item")),
      add_dropped_(db.prepare(
          "UPDATE users SET dropped_unreported = dropped_unreported + ?2 WHERE jid = ?1")),
      next_(db.prepare(with_item_columns(
                           "SELECT q.item, ",
                           " FROM queue q JOIN items i ON i.id = q.item "
                           "WHERE q.user = ?1 AND q.item > ?2 AND q.priority >= ?3 "
                           "AND (q.expires_ms IS NULL OR q.expires_ms > ?4) ORDER BY q.item LIMIT ?5")
                           .c_str())),
      confirm_delete_(db.prepare("DELETE FROM queue WHERE user = ?1 AND item = ?2")),
      confirm_history_(db.prepare(
          "INSERT OR REPLACE INTO history (user, item, outcome, at_ms) VALUES (?1, ?2, ?3, ?4)")),
      expire_history_(db.prepare(
          "INSERT OR REPLACE INTO history (user, item, outcome, at_ms) "
          "SELECT user, item, 'expired', ?1 FROM queue WHERE expires_ms IS NOT NULL AND expires_ms <= ?1")),
      expire_delete_(db.prepare("DELETE FROM queue WHERE expires_ms IS NOT NULL AND expires_ms <= ?1")),
      read_dropped_(db.prepare("SELECT dropped_unreported FROM users WHERE jid = ?1")),
      reset_dropped_(db.prepare("UPDATE users SET dropped_unreported = 0 WHERE jid = ?1")),
      recent_(db.prepare(with_item_columns("SELECT ", " FROM items i WHERE i.node = ?1 ORDER BY i.id DESC LIMIT ?2")
                             .c_str())),
      fan_out_everyone_(db.prepare("INSERT INTO queue (user, item, priority, expires_ms) "
                                   "SELECT jid, ?1, ?2, ?3 FROM users WHERE ?4 = ?4")),
      everyone_(db.prepare("SELECT jid FROM users WHERE ?1 = ?1")),
      history_(db.prepare(with_item_columns(
                              "SELECT h.outcome, h.at_ms, ",
                              " FROM (SELECT item, outcome, at_ms FROM history WHERE user = ?1 "
                              "UNION ALL SELECT item, CASE state WHEN 'sent' THEN 'escalated by ' || channel "
                              "WHEN 'sending' THEN 'escalation by ' || channel || ' started, outcome unknown' "
                              "ELSE 'escalation by ' || channel || ' failed' END, updated_ms FROM escalations "
                              "WHERE user = ?1 AND state IN ('sent', 'sending', 'failed') "
                              "UNION ALL SELECT a.item, CASE WHEN k.acknowledged_by = ?1 THEN 'acknowledged by you' "
                              "ELSE 'acknowledged by ' || k.acknowledged_by END, k.acknowledged_ms "
                              "FROM ack_recipients a JOIN items k ON k.id = a.item "
                              "WHERE a.user = ?1 AND k.acknowledged_by IS NOT NULL) h JOIN items i ON i.id = h.item "
                              "ORDER BY h.at_ms DESC, h.item DESC LIMIT ?2")
                              .c_str())),
      counts_(db.prepare("SELECT name, value FROM counters")),
      prune_history_(db.prepare(
          "DELETE FROM history WHERE (user, item) IN "
          "(SELECT user, item FROM history WHERE at_ms < ?1 ORDER BY at_ms LIMIT ?2)")),
      trim_history_(db.prepare(
          "DELETE FROM history WHERE (user, item) IN "
          "(SELECT user, item FROM history WHERE user = ?1 AND (at_ms, item) < "
          "(SELECT at_ms, item FROM history WHERE user = ?1 ORDER BY at_ms DESC, item DESC LIMIT 1 OFFSET ?2 - 1) "
          "LIMIT ?3)")),
      prune_items_(db.prepare(
          "DELETE FROM items WHERE id IN (SELECT i.id FROM items i WHERE i.id > ?1 AND i.id <= ?1 + ?3 "
          "AND NOT EXISTS (SELECT 1 FROM queue q WHERE q.item = i.id) "
          "AND NOT EXISTS (SELECT 1 FROM history h WHERE h.item = i.id) "
          "AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.item = i.id) "
          "AND i.id < coalesce((SELECT n.id FROM items n WHERE n.node = i.node ORDER BY n.id DESC "
          "LIMIT 1 OFFSET ?2 - 1), 0))")),
      last_seq_(db.prepare("SELECT coalesce(max(id), 0) FROM items WHERE ?1 = ?1")),
      users_queued_for_(db.prepare("SELECT user FROM queue WHERE item = ?1")) {}

std::int64_t SqliteDeliveryQueue::store(const Item& item) {
    insert_item_.bind(1, item.item_id).bind(2, item.node).bind(3, item.publisher).bind(4, item.payload)
        .bind(5, item.title).bind(6, item.body).bind(7, item.link)
        .bind(8, static_cast<std::int64_t>(item.priority)).bind(9, item.published_ms);
    if (item.expires_ms) insert_item_.bind(10, *item.expires_ms);
    else insert_item_.bind_null(10);
    insert_item_.bind(11, static_cast<std::int64_t>(item.ack_required.value_or(false)));
    insert_item_.bind_optional(12, item.renotify_seconds).bind_optional(13, item.ack_callback)
        .bind_optional(14, item.callback_key).bind_optional(15, item.ack_reply_to);
    insert_item_.run();
    return sqlite3_last_insert_rowid(db_);
}

// `fan_out` and `recipients` take the same fourth (selecting) parameter.
FanOut SqliteDeliveryQueue::enqueue(Statement& fan_out, std::int64_t seq, const Item& item, Statement& recipients) {
    fan_out.bind(1, seq).bind(2, static_cast<std::int64_t>(item.priority)).bind(4, item.node);
    if (item.expires_ms) fan_out.bind(3, *item.expires_ms);
    else fan_out.bind_null(3);
    fan_out.run();
    recipients.bind(1, item.node);
    FanOut fan_out_to{seq, {}};
    while (recipients.step()) fan_out_to.users.push_back(recipients.column_text(0));
    recipients.reset();
    return fan_out_to;
}

FanOut SqliteDeliveryQueue::publish(const Item& item) {
    return await_ack(item, enqueue(fan_out_, store(item), item, subscribers_));
}

FanOut SqliteDeliveryQueue::publish_to_everyone(const Item& item) {
    return await_ack(item, enqueue(fan_out_everyone_, store(item), item, everyone_));
}

FanOut SqliteDeliveryQueue::await_ack(const Item& item, FanOut fan_out) {
    if (item.ack_required.value_or(false)) {
        await_ack_.bind(1, fan_out.seq);
        await_ack_.run();
    }
    return fan_out;
}

std::int64_t SqliteDeliveryQueue::trim(const std::vector<std::string>& users, std::int64_t max_per_user,
                                       std::int64_t now_ms) {
    std::int64_t dropped_total = 0;
    for (const auto& user : users) {
        count_.bind(1, user);
        count_.step();
        const auto excess = count_.column_int(0) - max_per_user;
        count_.reset();
        if (excess <= 0) continue;
        drop_oldest_.bind(1, user).bind(2, excess);
        std::vector<std::int64_t> dropped;
        while (drop_oldest_.step()) dropped.push_back(drop_oldest_.column_int(0));
        drop_oldest_.reset();
        for (const auto seq : dropped) {
            confirm_history_.bind(1, user).bind(2, seq).bind(3, "dropped").bind(4, now_ms);
            confirm_history_.run();
        }
        add_dropped_.bind(1, user).bind(2, static_cast<std::int64_t>(dropped.size()));
        add_dropped_.run();
        dropped_total += static_cast<std::int64_t>(dropped.size());
    }
    return dropped_total;
}

std::vector<QueuedItem> SqliteDeliveryQueue::next(std::string_view user, std::int64_t after_seq,
                                                  int min_priority, std::int64_t now_ms, int limit) {
    next_.bind(1, user).bind(2, after_seq).bind(3, static_cast<std::int64_t>(min_priority))
        .bind(4, now_ms).bind(5, static_cast<std::int64_t>(limit));
    std::vector<QueuedItem> items;
    while (next_.step()) items.push_back({next_.column_int(0), read_item(next_, 1)});
    next_.reset();
    return items;
}

void SqliteDeliveryQueue::confirm(std::string_view user, std::int64_t seq, std::int64_t now_ms) {
    if (settle(user, seq, "delivered", now_ms)) {
        ack_delivered_.bind(1, user).bind(2, seq).bind(3, now_ms);
        ack_delivered_.run();
        return;
    }
    // Someone acknowledged the item while it was on its way to this user
    // (which took it out of their queue): it was delivered all the same.
    delivered_after_ack_.bind(1, user).bind(2, seq).bind(3, now_ms);
    delivered_after_ack_.run();
    if (sqlite3_changes(db_) == 0) return;
    confirm_history_.bind(1, user).bind(2, seq).bind(3, "delivered").bind(4, now_ms);
    confirm_history_.run();
}

void SqliteDeliveryQueue::set_aside(std::string_view user, std::int64_t seq, std::int64_t now_ms) {
    settle(user, seq, "not deliverable", now_ms);
}

bool SqliteDeliveryQueue::settle(std::string_view user, std::int64_t seq, std::string_view outcome,
                                 std::int64_t now_ms) {
    confirm_delete_.bind(1, user).bind(2, seq);
    confirm_delete_.run();
    if (sqlite3_changes(db_) == 0) return false;  // settled before: a duplicate receipt
    confirm_history_.bind(1, user).bind(2, seq).bind(3, outcome).bind(4, now_ms);
    confirm_history_.run();
    return true;
}

std::int64_t SqliteDeliveryQueue::expire(std::int64_t now_ms) {
    expire_history_.bind(1, now_ms);
    expire_history_.run();
    expire_delete_.bind(1, now_ms);
    expire_delete_.run();
    return sqlite3_changes(db_);
}

std::int64_t SqliteDeliveryQueue::take_dropped_count(std::string_view user) {
    read_dropped_.bind(1, user);
    const auto dropped = read_dropped_.step() ? read_dropped_.column_int(0) : 0;
    read_dropped_.reset();
    if (dropped > 0) {
        reset_dropped_.bind(1, user);
        reset_dropped_.run();
    }
    return dropped;
}

std::int64_t SqliteDeliveryQueue::queued_count(std::string_view user) {
    count_.bind(1, user);
    count_.step();
    const auto count = count_.column_int(0);
    count_.reset();
    return count;
}

std::vector<Item> SqliteDeliveryQueue::recent_items(std::string_view node, int max_items) {
    recent_.bind(1, node).bind(2, static_cast<std::int64_t>(max_items));
    std::vector<Item> items;
    while (recent_.step()) items.push_back(read_item(recent_, 0));
    recent_.reset();
    return items;
}

std::vector<HistoryEntry> SqliteDeliveryQueue::history(std::string_view user, int limit) {
    history_.bind(1, user).bind(2, static_cast<std::int64_t>(limit));
    std::vector<HistoryEntry> entries;
    while (history_.step()) entries.push_back({read_item(history_, 2), history_.column_text(0), history_.column_int(1)});
    history_.reset();
    return entries;
}

std::int64_t SqliteDeliveryQueue::prune_history(std::int64_t before_ms, int max_rows) {
    prune_history_.bind(1, before_ms).bind(2, static_cast<std::int64_t>(max_rows));
    prune_history_.run();
    return sqlite3_changes(db_);
}

std::int64_t SqliteDeliveryQueue::trim_history(std::string_view user, std::int64_t keep, int max_rows) {
    trim_history_.bind(1, user).bind(2, keep).bind(3, static_cast<std::int64_t>(max_rows));
    trim_history_.run();
    return sqlite3_changes(db_);
}

std::int64_t SqliteDeliveryQueue::prune_items(std::int64_t after_seq, std::int64_t keep_per_node, int max_rows) {
    prune_items_.bind(1, after_seq).bind(2, keep_per_node).bind(3, static_cast<std::int64_t>(max_rows));
    prune_items_.run();
    return sqlite3_changes(db_);
}

std::int64_t SqliteDeliveryQueue::last_seq() {
    last_seq_.bind(1, std::int64_t{0});
    last_seq_.step();
    const auto seq = last_seq_.column_int(0);
    last_seq_.reset();
    return seq;
}

std::vector<std::string> SqliteDeliveryQueue::users_queued_for(const std::vector<std::int64_t>& items) {
    std::set<std::string> users;
    for (const auto item : items) {
        users_queued_for_.bind(1, item);
        while (users_queued_for_.step()) users.insert(users_queued_for_.column_text(0));
        users_queued_for_.reset();
    }
    return {users.begin(), users.end()};
}

// Kept by triggers (see the migrations): a few rows, whatever the size of history.
ServiceCounts SqliteDeliveryQueue::counts() {
    ServiceCounts counts;
    while (counts_.step()) counts.take_counter(counts_.column_text(0), counts_.column_int(1));
    counts_.reset();
    return counts;
}

}  // namespace herald::storage
