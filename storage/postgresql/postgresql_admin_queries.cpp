#include "storage/postgresql/postgresql_admin_queries.h"

#include "storage/postgresql/migrations.h"

namespace herald::storage {

using namespace pg;
namespace {

// $1 NULL selects every set-aside delivery, else the one of user $1, item $2.
constexpr const char* kSetAsideRows =
    "FROM history h JOIN items i ON i.id = h.item WHERE h.outcome = 'not deliverable' "
    "AND ($1::text IS NULL OR (h.user_jid = $1::text AND h.item = $2::bigint))";

std::string entry_query(const std::string& before, const std::string& after) {
    return before + "i.id, i.node, i.item_id, i.title, i.priority, i.published_ms, i.expires_ms" + after;
}

UserSummary read_user(const Result& rows, int row) {
    return {rows.text(row, 0),    rows.optional_text(row, 1), rows.integer(row, 2),
            rows.integer(row, 3), rows.integer(row, 4),       rows.integer(row, 5)};
}

std::vector<QueueEntry> read_entries(const Result& rows) {
    std::vector<QueueEntry> entries;
    for (int row = 0; row < rows.rows(); ++row)
        entries.push_back({rows.text(row, 0), rows.integer(row, 1), rows.text(row, 2), rows.text(row, 3),
                           rows.text(row, 4), static_cast<int>(rows.integer(row, 5)), rows.integer(row, 6),
                           rows.optional_integer(row, 7), rows.integer(row, 8)});
    return entries;
}

std::vector<std::string> first_column(const Result& rows) {
    std::vector<std::string> values;
    for (int row = 0; row < rows.rows(); ++row) values.push_back(rows.text(row, 0));
    return values;
}

std::optional<std::string> user_of(const std::optional<DeliveryKey>& key) {
    return key ? std::optional(key->first) : std::nullopt;
}
std::optional<std::int64_t> seq_of(const std::optional<DeliveryKey>& key) {
    return key ? std::optional(key->second) : std::nullopt;
}

}  // namespace

PostgresqlAdminQueries::PostgresqlAdminQueries(Connection& connection)
    : connection_(connection),
      users_(connection,
             "SELECT u.jid, u.email, u.registered_at, "
             "(SELECT count(*) FROM subscriptions s JOIN nodes n ON n.name = s.node WHERE s.jid = u.jid "
             "AND NOT n.personal), "
             "(SELECT count(*) FROM queue q WHERE q.user_jid = u.jid), "
             "(SELECT count(*) FROM history h WHERE h.user_jid = u.jid AND h.outcome = 'not deliverable') "
             "FROM users u WHERE $1::text IS NULL OR u.jid = $1::text ORDER BY u.jid"),
      away_since_(connection, "SELECT away_since_ms FROM users WHERE jid = $1"),
      subscribed_(connection, "SELECT s.node FROM subscriptions s JOIN nodes n ON n.name = s.node "
                              "WHERE s.jid = $1 AND NOT n.personal ORDER BY s.node"),
      owned_(connection, "SELECT name FROM nodes WHERE owner = $1 AND NOT personal ORDER BY name"),
      topics_(connection, "SELECT n.name, n.owner, n.publish_model, "
                          "(SELECT count(*) FROM subscriptions s WHERE s.node = n.name), "
                          "(SELECT count(*) FROM queue q JOIN items i ON i.id = q.item WHERE i.node = n.name), "
                          "(SELECT count(*) FROM items i WHERE i.node = n.name) "
                          "FROM nodes n WHERE NOT n.personal ORDER BY n.name"),
      queue_(connection, entry_query("SELECT q.user_jid, ", ", 0 FROM queue q JOIN items i ON i.id = q.item "
                                                            "WHERE q.user_jid = $1 ORDER BY q.item")),
      set_aside_(connection,
                 entry_query("SELECT h.user_jid, ", std::string(", h.at_ms ") + kSetAsideRows +
                                                         " ORDER BY h.at_ms, h.user_jid, h.item")),
      requeue_insert_(connection, std::string("INSERT INTO queue (user_jid, item, priority, expires_ms) "
                                              "SELECT h.user_jid, h.item, i.priority, i.expires_ms ") +
                                      kSetAsideRows +
                                      " AND EXISTS (SELECT 1 FROM users u WHERE u.jid = h.user_jid) "
                                      "ON CONFLICT DO NOTHING"),
      requeue_forget_(connection,
                      "DELETE FROM history WHERE outcome = 'not deliverable' AND ($1::text IS NULL OR "
                      "(user_jid = $1::text AND item = $2::bigint)) AND EXISTS (SELECT 1 FROM queue q "
                      "WHERE q.user_jid = history.user_jid AND q.item = history.item)"),
      drop_(connection, "UPDATE history SET outcome = 'dropped', at_ms = $3 WHERE outcome = 'not deliverable' "
                        "AND ($1::text IS NULL OR (user_jid = $1::text AND item = $2::bigint))"),
      counters_(connection, "SELECT name, value FROM counters ORDER BY name"),
      extra_counts_(connection,
                    "SELECT (SELECT count(*) FROM history WHERE outcome = 'not deliverable'), "
                    "(SELECT count(*) FROM items), (SELECT count(*) FROM history), "
                    "(SELECT count(*) FROM escalations WHERE state = 'pending'), (SELECT count(*) FROM feeds)") {}

std::vector<UserSummary> PostgresqlAdminQueries::users() {
    const auto rows = users_.run(std::nullopt);
    std::vector<UserSummary> users;
    for (int row = 0; row < rows.rows(); ++row) users.push_back(read_user(rows, row));
    return users;
}

std::optional<UserDetail> PostgresqlAdminQueries::user(std::string_view jid) {
    const auto rows = users_.run(jid);
    if (rows.empty()) return std::nullopt;
    UserDetail detail{read_user(rows, 0), {}, {}, {}};
    if (const auto away = away_since_.run(jid); !away.empty()) detail.away_since_ms = away.optional_integer(0, 0);
    detail.subscribed = first_column(subscribed_.run(jid));
    detail.owned_topics = first_column(owned_.run(jid));
    return detail;
}

std::vector<TopicSummary> PostgresqlAdminQueries::topics() {
    const auto rows = topics_.run();
    std::vector<TopicSummary> topics;
    for (int row = 0; row < rows.rows(); ++row)
        topics.push_back({rows.text(row, 0), rows.text(row, 1), rows.text(row, 2), rows.integer(row, 3),
                          rows.integer(row, 4), rows.integer(row, 5)});
    return topics;
}

std::vector<QueueEntry> PostgresqlAdminQueries::queue(std::string_view jid) { return read_entries(queue_.run(jid)); }

std::vector<QueueEntry> PostgresqlAdminQueries::set_aside() {
    return read_entries(set_aside_.run(std::nullopt, std::nullopt));
}

// Back into the queue with the item's own priority and expiry (an expired
// one goes at the next expiry check, as any other would).
std::int64_t PostgresqlAdminQueries::requeue(const std::optional<DeliveryKey>& key) {
    Transaction transaction(connection_);
    requeue_insert_.run(user_of(key), seq_of(key));
    const auto requeued = requeue_forget_.run(user_of(key), seq_of(key)).affected();
    transaction.commit();
    return requeued;
}

std::int64_t PostgresqlAdminQueries::drop(const std::optional<DeliveryKey>& key, std::int64_t now_ms) {
    return drop_.run(user_of(key), seq_of(key), now_ms).affected();
}

std::vector<std::pair<std::string, std::int64_t>> PostgresqlAdminQueries::stats() {
    std::vector<std::pair<std::string, std::int64_t>> stats;
    const auto counters = counters_.run();
    for (int row = 0; row < counters.rows(); ++row) stats.emplace_back(counters.text(row, 0), counters.integer(row, 1));
    const auto extra = extra_counts_.run();
    const char* names[] = {"set aside", "items", "history", "escalations pending", "feeds"};
    for (int column = 0; column < 5; ++column) stats.emplace_back(names[column], extra.integer(0, column));
    return stats;
}

int PostgresqlAdminQueries::schema_version() { return postgresql_schema_version(connection_); }

}  // namespace herald::storage
