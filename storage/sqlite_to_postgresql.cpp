#include "storage/sqlite_to_postgresql.h"

#include "storage/backend_factory.h"
#include "storage/postgresql/connection.h"
#include "storage/postgresql/migrations.h"
#include "storage/sqlite/database.h"
#include "storage/sqlite/statement.h"
#include "storage/storage_error.h"

namespace herald::storage {
namespace {

// A table as both schemas have it: SQLite's column names, and PostgreSQL's
// where they differ (USER is reserved there). Parents before children.
struct Table {
    const char* name;
    std::vector<std::pair<const char*, const char*>> columns;  // SQLite name, PostgreSQL name
};

const std::vector<Table>& tables() {
    static const std::vector<Table> all = {
        {"users", {{"jid", "jid"}, {"email", "email"}, {"registered_at", "registered_at"},
                   {"dropped_unreported", "dropped_unreported"}, {"away_since_ms", "away_since_ms"},
                   {"webhook_secret", "webhook_secret"}}},
        {"nodes", {{"name", "name"}, {"owner", "owner"}, {"publish_model", "publish_model"}, {"personal", "personal"},
                   {"created_at", "created_at"}, {"ack_default", "ack_default"}}},
        {"affiliations", {{"node", "node"}, {"jid", "jid"}, {"affiliation", "affiliation"}}},
        {"subscriptions", {{"node", "node"}, {"jid", "jid"}, {"created_at", "created_at"}}},
        {"items", {{"id", "id"}, {"item_id", "item_id"}, {"node", "node"}, {"publisher", "publisher"},
                   {"payload", "payload"}, {"title", "title"}, {"body", "body"}, {"link", "link"},
                   {"priority", "priority"}, {"published_ms", "published_ms"}, {"expires_ms", "expires_ms"},
                   {"ack_required", "ack_required"}, {"renotify_seconds", "renotify_seconds"},
                   {"ack_callback", "ack_callback"}, {"callback_key", "callback_key"},
                   {"ack_reply_to", "ack_reply_to"}, {"acknowledged_by", "acknowledged_by"},
                   {"acknowledged_ms", "acknowledged_ms"}}},
        {"queue", {{"user", "user_jid"}, {"item", "item"}, {"priority", "priority"}, {"expires_ms", "expires_ms"}}},
        {"history", {{"user", "user_jid"}, {"item", "item"}, {"outcome", "outcome"}, {"at_ms", "at_ms"}}},
        {"preferences", {{"jid", "jid"}, {"message_type", "message_type"}, {"dnd_holds", "dnd_holds"},
                         {"quiet_start", "quiet_start"}, {"quiet_end", "quiet_end"}, {"quiet_zone", "quiet_zone"},
                         {"escalation_channel", "escalation_channel"},
                         {"escalation_minutes", "escalation_minutes"},
                         {"escalation_target", "escalation_target"}, {"paused", "paused"},
                         {"escalation_min_priority", "escalation_min_priority"}}},
        {"node_tokens", {{"digest", "digest"}, {"node", "node"}, {"label", "label"}, {"created_by", "created_by"},
                         {"created_at", "created_at"}}},
        {"feeds", {{"node", "node"}, {"url", "url"}, {"title", "title"}, {"interval_seconds", "interval_seconds"},
                   {"etag", "etag"}, {"last_modified", "last_modified"}, {"primed", "primed"},
                   {"failures", "failures"}, {"last_error", "last_error"}, {"created_at", "created_at"}}},
        {"feed_seen", {{"node", "node"}, {"item_key", "item_key"}, {"seen_ms", "seen_ms"}}},
        {"escalations", {{"user", "user_jid"}, {"item", "item"}, {"channel", "channel"}, {"state", "state"},
                         {"attempts", "attempts"}, {"next_attempt_ms", "next_attempt_ms"},
                         {"updated_ms", "updated_ms"}}},
        {"ack_recipients", {{"user", "user_jid"}, {"item", "item"}, {"priority", "priority"},
                            {"delivered_ms", "delivered_ms"}, {"last_delivered_ms", "last_delivered_ms"},
                            {"remind_at_ms", "remind_at_ms"}, {"settled", "settled"}}},
        // Last: what the triggers counted while copying is replaced by SQLite's totals.
        {"counters", {{"name", "name"}, {"value", "value"}}},
    };
    return all;
}

// The statements are made of the constant names above, never of data;
// every value travels as a bound parameter. SQLite's 0 and 1 are read by
// PostgreSQL as false and true.
std::int64_t copy_table(Database& from, pg::Connection& to, const Table& table) {
    std::string select = "SELECT ", insert = std::string("INSERT INTO ") + table.name + " (", values = ") VALUES (";
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        const auto* separator = i == 0 ? "" : ", ";
        select += separator + std::string("\"") + table.columns[i].first + "\"";
        insert += separator + std::string(table.columns[i].second);
        values += separator + std::string("$") + std::to_string(i + 1);
    }
    select += std::string(" FROM ") + table.name;
    const std::string write = insert + values + ")";
    Statement rows = from.prepare(select.c_str());
    std::int64_t copied = 0;
    std::vector<pg::Parameter> parameters(table.columns.size());
    while (rows.step()) {
        for (std::size_t i = 0; i < table.columns.size(); ++i)
            parameters[i] = rows.column_optional_text(static_cast<int>(i));
        to.run_prepared("herald_copy_" + std::string(table.name), write, parameters);
        ++copied;
    }
    return copied;
}

}  // namespace

std::vector<std::pair<std::string, std::int64_t>> copy_sqlite_to_postgresql(const std::filesystem::path& sqlite_file,
                                                                             const StorageSettings& postgresql) {
    if (!std::filesystem::is_regular_file(sqlite_file))
        throw StorageError(sqlite_file.string() + ": no such database file", false);
    Database from(sqlite_file.string());
    // One snapshot of the whole file, even while a herald still writes to it
    // (which then waits for the copy, or makes it fail after SQLite's busy
    // timeout). Closing the file ends the transaction.
    from.execute("BEGIN IMMEDIATE");
    pg::Connection to(postgresql.postgresql_connection, postgresql_password(postgresql));
    pg::migrate_postgresql(to);

    pg::Transaction transaction(to);
    const auto occupied = to.run_once("SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM nodes) + "
                                      "(SELECT count(*) FROM items)",
                                      {});
    if (occupied.integer(0, 0) > 0)
        throw StorageError("the PostgreSQL database already holds users, topics or items; copy into an empty one",
                           false);
    std::vector<std::pair<std::string, std::int64_t>> copied;
    for (const auto& table : tables()) {
        if (std::string(table.name) == "counters") to.execute("DELETE FROM counters");
        copied.emplace_back(table.name, copy_table(from, to, table));
    }
    Statement last_id = from.prepare("SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'items'");
    last_id.step();
    to.run_once("SELECT setval(pg_get_serial_sequence('items', 'id'), greatest($1::bigint, "
                "(SELECT coalesce(max(id), 0) FROM items), 1), $1::bigint > 0 OR EXISTS (SELECT 1 FROM items))",
                {pg::parameter(last_id.column_int(0))});
    transaction.commit();
    return copied;
}

}  // namespace herald::storage
