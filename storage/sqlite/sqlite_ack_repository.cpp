#include "storage/sqlite/sqlite_ack_repository.h"

#include <sqlite3.h>

#include <set>

#include "storage/sqlite/item_columns.h"

namespace herald::storage {

SqliteAckRepository::SqliteAckRepository(Database& db)
    : db_(db.handle()),
      waiting_(db.prepare(with_item_columns(
                              "SELECT a.item, ",
                              " FROM ack_recipients a JOIN items i ON i.id = a.item "
                              "WHERE a.user = ?1 AND a.settled = 0 "
                              "AND substr(i.item_id, 1, length(?2)) = ?2 "
                              "ORDER BY a.last_delivered_ms IS NULL, a.last_delivered_ms DESC, a.item DESC LIMIT ?3")
                              .c_str())),
      last_seen_(db.prepare(with_item_columns("SELECT a.item, ",
                                              " FROM ack_recipients a JOIN items i ON i.id = a.item "
                                              "WHERE a.user = ?1 AND a.last_delivered_ms IS NOT NULL "
                                              "ORDER BY a.last_delivered_ms DESC, a.item DESC LIMIT 1")
                                .c_str())),
      // Any item sent to the user, so that a reply or reaction to one that
      // needs no acknowledgement is told so rather than taken for another.
      received_(db.prepare(with_item_columns("SELECT i.id, ",
                                             " FROM items i WHERE i.id = ?2 AND ("
                                             "EXISTS (SELECT 1 FROM ack_recipients a WHERE a.user = ?1 AND a.item = i.id) "
                                             "OR EXISTS (SELECT 1 FROM history h WHERE h.user = ?1 AND h.item = i.id) "
                                             "OR EXISTS (SELECT 1 FROM queue q WHERE q.user = ?1 AND q.item = i.id))")
                               .c_str())),
      mark_acknowledged_(db.prepare("UPDATE items SET acknowledged_by = ?2, acknowledged_ms = ?3 "
                                    "WHERE id = ?1 AND ack_required = 1 AND acknowledged_by IS NULL")),
      item_(db.prepare(with_item_columns("SELECT ", " FROM items i WHERE i.id = ?1").c_str())),
      to_tell_(db.prepare("SELECT user FROM ack_recipients WHERE item = ?1 AND delivered_ms IS NOT NULL "
                          "AND user != ?2 ORDER BY user")),
      on_the_way_(db.prepare("SELECT user FROM queue WHERE item = ?1 AND user != ?2 ORDER BY user")),
      withdraw_(db.prepare("DELETE FROM queue WHERE item = ?1")),
      cancel_escalations_(db.prepare("DELETE FROM escalations WHERE item = ?1 AND state = 'pending'")),
      end_reminders_(db.prepare("UPDATE ack_recipients SET remind_at_ms = NULL, settled = 1 WHERE item = ?1")),
      due_reminders_(db.prepare(
          "SELECT a.user, a.item, a.priority, i.expires_ms, a.settled = 0 "
          "AND (i.expires_ms IS NULL OR i.expires_ms > ?1) FROM ack_recipients a JOIN items i ON i.id = a.item "
          "WHERE a.remind_at_ms IS NOT NULL AND a.remind_at_ms <= ?1 ORDER BY a.remind_at_ms LIMIT ?2")),
      requeue_(db.prepare("INSERT OR IGNORE INTO queue (user, item, priority, expires_ms) VALUES (?1, ?2, ?3, ?4)")),
      reminded_(db.prepare("UPDATE ack_recipients SET remind_at_ms = NULL WHERE user = ?1 AND item = ?2")),
      find_item_(db.prepare(with_item_columns("SELECT i.id, ", " FROM items i WHERE i.node = ?1 AND i.item_id = ?2")
                                .c_str())),
      // History rows can be replaced (expired, pruned); for an item that needs
      // acknowledging its recipients' rows say who received it.
      delivered_count_(db.prepare(
          "SELECT CASE WHEN i.ack_required THEN (SELECT count(*) FROM ack_recipients a "
          "WHERE a.item = i.id AND a.delivered_ms IS NOT NULL) ELSE (SELECT count(*) FROM history h "
          "WHERE h.item = i.id AND h.outcome = 'delivered') END FROM items i WHERE i.id = ?1")),
      queued_count_(db.prepare("SELECT count(*) FROM queue q WHERE q.item = ?1 AND NOT EXISTS (SELECT 1 FROM "
                               "ack_recipients a WHERE a.user = q.user AND a.item = q.item AND a.delivered_ms IS NOT NULL)")),
      topic_default_(db.prepare("SELECT ack_default FROM nodes WHERE name = ?1")),
      set_topic_default_(db.prepare("UPDATE nodes SET ack_default = ?2 WHERE name = ?1")) {}

std::vector<QueuedItem> SqliteAckRepository::read_items(Statement& query) {
    std::vector<QueuedItem> items;
    while (query.step()) items.push_back({query.column_int(0), read_item(query, 1)});
    query.reset();
    return items;
}

std::vector<QueuedItem> SqliteAckRepository::waiting(std::string_view user, int limit) {
    return waiting_with_prefix(user, "", limit);
}

std::vector<QueuedItem> SqliteAckRepository::waiting_with_prefix(std::string_view user, std::string_view prefix,
                                                                 int limit) {
    waiting_.bind(1, user).bind(2, prefix).bind(3, static_cast<std::int64_t>(limit));
    return read_items(waiting_);
}

std::optional<QueuedItem> SqliteAckRepository::last_seen(std::string_view user) {
    last_seen_.bind(1, user);
    auto items = read_items(last_seen_);
    if (items.empty()) return std::nullopt;
    return std::move(items.front());
}

std::optional<QueuedItem> SqliteAckRepository::received(std::string_view user, std::int64_t seq) {
    received_.bind(1, user).bind(2, seq);
    auto items = read_items(received_);
    if (items.empty()) return std::nullopt;
    return std::move(items.front());
}

Acknowledgement SqliteAckRepository::acknowledge(std::int64_t seq, std::string_view by, std::int64_t now_ms) {
    Acknowledgement result;
    result.seq = seq;
    mark_acknowledged_.bind(1, seq).bind(2, by).bind(3, now_ms);
    mark_acknowledged_.run();
    result.first = sqlite3_changes(db_) > 0;
    item_.bind(1, seq);
    if (item_.step()) result.item = read_item(item_, 0);
    item_.reset();
    if (!result.first) return result;
    for (auto [query, into] : {std::pair{&to_tell_, &result.to_tell}, {&on_the_way_, &result.on_the_way}}) {
        query->bind(1, seq).bind(2, by);
        while (query->step()) into->push_back(query->column_text(0));
        query->reset();
    }
    for (auto* settle : {&withdraw_, &cancel_escalations_, &end_reminders_}) {
        settle->bind(1, seq);
        settle->run();
    }
    return result;
}

std::vector<std::string> SqliteAckRepository::queue_reminders(std::int64_t now_ms, int limit) {
    struct Due {
        std::string user;
        std::int64_t seq, priority;
        std::optional<std::int64_t> expires_ms;
        bool still_waiting;
    };
    std::vector<Due> due;
    due_reminders_.bind(1, now_ms).bind(2, static_cast<std::int64_t>(limit));
    while (due_reminders_.step()) {
        Due next{due_reminders_.column_text(0), due_reminders_.column_int(1), due_reminders_.column_int(2),
                 std::nullopt, due_reminders_.column_int(4) != 0};
        if (due_reminders_.column_optional_text(3)) next.expires_ms = due_reminders_.column_int(3);
        due.push_back(std::move(next));
    }
    due_reminders_.reset();
    std::set<std::string> users;
    for (const auto& reminder : due) {
        // The next reminder is set when this one is confirmed.
        reminded_.bind(1, reminder.user).bind(2, reminder.seq);
        reminded_.run();
        if (!reminder.still_waiting) continue;
        requeue_.bind(1, reminder.user).bind(2, reminder.seq).bind(3, reminder.priority)
            .bind_optional(4, reminder.expires_ms);
        requeue_.run();
        if (sqlite3_changes(db_) > 0) users.insert(reminder.user);
    }
    return {users.begin(), users.end()};
}

std::optional<ItemStatus> SqliteAckRepository::status(std::string_view node, std::string_view item_id) {
    find_item_.bind(1, node).bind(2, item_id);
    auto found = read_items(find_item_);
    if (found.empty()) return std::nullopt;
    ItemStatus status{found.front().seq, std::move(found.front().item), 0, 0};
    for (auto [count, into] : {std::pair{&delivered_count_, &status.delivered}, {&queued_count_, &status.queued}}) {
        count->bind(1, status.seq);
        count->step();
        *into = count->column_int(0);
        count->reset();
    }
    return status;
}

bool SqliteAckRepository::topic_requires_ack(std::string_view node) {
    topic_default_.bind(1, node);
    const bool required = topic_default_.step() && topic_default_.column_int(0) != 0;
    topic_default_.reset();
    return required;
}

void SqliteAckRepository::set_topic_requires_ack(std::string_view node, bool required) {
    set_topic_default_.bind(1, node).bind(2, static_cast<std::int64_t>(required));
    set_topic_default_.run();
}

}  // namespace herald::storage
