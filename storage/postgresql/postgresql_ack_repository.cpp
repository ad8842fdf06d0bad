#include "storage/postgresql/postgresql_ack_repository.h"

#include <set>

#include "storage/postgresql/item_columns.h"

namespace herald::storage {

using namespace pg;
namespace {

std::vector<QueuedItem> queued_items(const Result& rows) {
    std::vector<QueuedItem> items;
    for (int row = 0; row < rows.rows(); ++row) items.push_back({rows.integer(row, 0), read_item(rows, row, 1)});
    return items;
}

std::optional<QueuedItem> first(const Result& rows) {
    if (rows.empty()) return std::nullopt;
    return QueuedItem{rows.integer(0, 0), read_item(rows, 0, 1)};
}

std::vector<std::string> first_column(const Result& rows) {
    std::vector<std::string> values;
    for (int row = 0; row < rows.rows(); ++row) values.push_back(rows.text(row, 0));
    return values;
}

}  // namespace

PostgresqlAckRepository::PostgresqlAckRepository(Connection& connection, QueuedInTransaction& queued)
    : queued_(queued),
      waiting_(connection, with_item_columns("SELECT a.item, ",
                                                " FROM ack_recipients a JOIN items i ON i.id = a.item "
                                                "WHERE a.user_jid = $1 AND NOT a.settled "
                                                "AND starts_with(i.item_id, $2::text) "
                                                "ORDER BY a.last_delivered_ms IS NULL, a.last_delivered_ms DESC, "
                                                "a.item DESC LIMIT $3")),
      last_seen_(connection, with_item_columns("SELECT a.item, ",
                                                  " FROM ack_recipients a JOIN items i ON i.id = a.item "
                                                  "WHERE a.user_jid = $1 AND a.last_delivered_ms IS NOT NULL "
                                                  "ORDER BY a.last_delivered_ms DESC, a.item DESC LIMIT 1")),
      // Any item sent to the user, so that a reply or reaction to one that
      // needs no acknowledgement is told so rather than taken for another.
      received_(connection,
                with_item_columns(
                    "SELECT i.id, ",
                    " FROM items i WHERE i.id = $2 AND ("
                    "EXISTS (SELECT 1 FROM ack_recipients a WHERE a.user_jid = $1 AND a.item = i.id) "
                    "OR EXISTS (SELECT 1 FROM history h WHERE h.user_jid = $1 AND h.item = i.id) "
                    "OR EXISTS (SELECT 1 FROM queue q WHERE q.user_jid = $1 AND q.item = i.id))")),
      mark_acknowledged_(connection, "UPDATE items SET acknowledged_by = $2, acknowledged_ms = $3 "
                                     "WHERE id = $1 AND ack_required AND acknowledged_by IS NULL"),
      item_(connection, with_item_columns("SELECT ", " FROM items i WHERE i.id = $1")),
      to_tell_(connection, "SELECT user_jid FROM ack_recipients WHERE item = $1 AND delivered_ms IS NOT NULL "
                           "AND user_jid <> $2 ORDER BY user_jid"),
      on_the_way_(connection, "SELECT user_jid FROM queue WHERE item = $1 AND user_jid <> $2 ORDER BY user_jid"),
      withdraw_(connection, "DELETE FROM queue WHERE item = $1"),
      cancel_escalations_(connection, "DELETE FROM escalations WHERE item = $1 AND state = 'pending'"),
      end_reminders_(connection, "UPDATE ack_recipients SET remind_at_ms = NULL, settled = true WHERE item = $1"),
      due_reminders_(connection,
                     "SELECT a.user_jid, a.item, a.priority, i.expires_ms, NOT a.settled "
                     "AND (i.expires_ms IS NULL OR i.expires_ms > $1) FROM ack_recipients a "
                     "JOIN items i ON i.id = a.item WHERE a.remind_at_ms IS NOT NULL AND a.remind_at_ms <= $1 "
                     "ORDER BY a.remind_at_ms LIMIT $2"),
      requeue_(connection, "INSERT INTO queue (user_jid, item, priority, expires_ms) VALUES ($1, $2, $3, $4) "
                           "ON CONFLICT DO NOTHING"),
      reminded_(connection, "UPDATE ack_recipients SET remind_at_ms = NULL WHERE user_jid = $1 AND item = $2"),
      find_item_(connection,
                 with_item_columns("SELECT i.id, ", " FROM items i WHERE i.node = $1 AND i.item_id = $2")),
      // History rows can be replaced (expired, pruned); for an item that needs
      // acknowledging its recipients' rows say who received it.
      delivered_count_(connection,
                       "SELECT CASE WHEN i.ack_required THEN (SELECT count(*) FROM ack_recipients a "
                       "WHERE a.item = i.id AND a.delivered_ms IS NOT NULL) ELSE (SELECT count(*) FROM history h "
                       "WHERE h.item = i.id AND h.outcome = 'delivered') END FROM items i WHERE i.id = $1"),
      queued_count_(connection,
                    "SELECT count(*) FROM queue q WHERE q.item = $1 AND NOT EXISTS (SELECT 1 FROM ack_recipients a "
                    "WHERE a.user_jid = q.user_jid AND a.item = q.item AND a.delivered_ms IS NOT NULL)"),
      topic_default_(connection, "SELECT ack_default FROM nodes WHERE name = $1"),
      set_topic_default_(connection, "UPDATE nodes SET ack_default = $2 WHERE name = $1") {}

std::vector<QueuedItem> PostgresqlAckRepository::waiting(std::string_view user, int limit) {
    return waiting_with_prefix(user, "", limit);
}

std::vector<QueuedItem> PostgresqlAckRepository::waiting_with_prefix(std::string_view user, std::string_view prefix,
                                                                     int limit) {
    return queued_items(waiting_.run(user, prefix, limit));
}

std::optional<QueuedItem> PostgresqlAckRepository::last_seen(std::string_view user) {
    return first(last_seen_.run(user));
}

std::optional<QueuedItem> PostgresqlAckRepository::received(std::string_view user, std::int64_t seq) {
    return first(received_.run(user, seq));
}

Acknowledgement PostgresqlAckRepository::acknowledge(std::int64_t seq, std::string_view by, std::int64_t now_ms) {
    Acknowledgement result;
    result.seq = seq;
    result.first = mark_acknowledged_.run(seq, by, now_ms).affected() > 0;
    if (const auto item = item_.run(seq); !item.empty()) result.item = read_item(item, 0, 0);
    if (!result.first) return result;
    result.to_tell = first_column(to_tell_.run(seq, by));
    result.on_the_way = first_column(on_the_way_.run(seq, by));
    for (auto* settle : {&withdraw_, &cancel_escalations_, &end_reminders_}) settle->run(seq);
    return result;
}

std::vector<std::string> PostgresqlAckRepository::queue_reminders(std::int64_t now_ms, int limit) {
    const auto due = due_reminders_.run(now_ms, limit);
    std::set<std::string> users;
    for (int row = 0; row < due.rows(); ++row) {
        const auto user = due.text(row, 0);
        const auto seq = due.integer(row, 1);
        // The next reminder is set when this one is confirmed.
        reminded_.run(user, seq);
        if (!due.boolean(row, 4)) continue;
        if (requeue_.run(user, seq, due.integer(row, 2), due.optional_integer(row, 3)).affected() > 0) {
            users.insert(user);
            queued_.items.push_back(seq);
        }
    }
    return {users.begin(), users.end()};
}

std::optional<ItemStatus> PostgresqlAckRepository::status(std::string_view node, std::string_view item_id) {
    auto found = first(find_item_.run(node, item_id));
    if (!found) return std::nullopt;
    ItemStatus status{found->seq, std::move(found->item), 0, 0};
    status.delivered = delivered_count_.run(status.seq).integer(0, 0);
    status.queued = queued_count_.run(status.seq).integer(0, 0);
    return status;
}

bool PostgresqlAckRepository::topic_requires_ack(std::string_view node) {
    const auto rows = topic_default_.run(node);
    return !rows.empty() && rows.boolean(0, 0);
}

void PostgresqlAckRepository::set_topic_requires_ack(std::string_view node, bool required) {
    set_topic_default_.run(node, required);
}

}  // namespace herald::storage
