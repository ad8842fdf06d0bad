#include "storage/sqlite/sqlite_admin_queries.h"

#include <sqlite3.h>

namespace herald::storage {
namespace {

// ?1 NULL selects every set-aside delivery, else the one of user ?1, item ?2.
constexpr const char* kSetAsideRows =
    "FROM history h JOIN items i ON i.id = h.item WHERE h.outcome = 'not deliverable' "
    "AND (?1 IS NULL OR (h.user = ?1 AND h.item = ?2))";

std::string entry_query(const std::string& before, const std::string& after) {
    return before + "i.id, i.node, i.item_id, i.title, i.priority, i.published_ms, i.expires_ms" + after;
}

}  // namespace

SqliteAdminQueries::SqliteAdminQueries(Database& db)
    : db_(db),
      users_(db.prepare(
          "SELECT u.jid, u.email, u.registered_at, "
          "(SELECT count(*) FROM subscriptions s JOIN nodes n ON n.name = s.node WHERE s.jid = u.jid AND n.personal = 0), "
          "(SELECT count(*) FROM queue q WHERE q.user = u.jid), "
          "(SELECT count(*) FROM history h WHERE h.user = u.jid AND h.outcome = 'not deliverable') "
          "FROM users u WHERE ?1 IS NULL OR u.jid = ?1 ORDER BY u.jid")),
      user_(db.prepare("SELECT away_since_ms FROM users WHERE jid = ?1")),
      subscribed_(db.prepare("SELECT s.node FROM subscriptions s JOIN nodes n ON n.name = s.node "
                             "WHERE s.jid = ?1 AND n.personal = 0 ORDER BY s.node")),
      owned_(db.prepare("SELECT name FROM nodes WHERE owner = ?1 AND personal = 0 ORDER BY name")),
      topics_(db.prepare(
          "SELECT n.name, n.owner, n.publish_model, "
          "(SELECT count(*) FROM subscriptions s WHERE s.node = n.name), "
          "(SELECT count(*) FROM queue q JOIN items i ON i.id = q.item WHERE i.node = n.name), "
          "(SELECT count(*) FROM items i WHERE i.node = n.name) "
          "FROM nodes n WHERE n.personal = 0 ORDER BY n.name")),
      queue_(db.prepare(entry_query("SELECT q.user, ", ", 0 FROM queue q JOIN items i ON i.id = q.item "
                                                        "WHERE q.user = ?1 ORDER BY q.item")
                            .c_str())),
      set_aside_(db.prepare(entry_query("SELECT h.user, ", std::string(", h.at_ms ") + kSetAsideRows +
                                                               " ORDER BY h.at_ms, h.user, h.item")
                                .c_str())),
      requeue_insert_(db.prepare((std::string("INSERT OR IGNORE INTO queue (user, item, priority, expires_ms) "
                                             "SELECT h.user, h.item, i.priority, i.expires_ms ") +
                                 (kSetAsideRows + std::string(" AND EXISTS (SELECT 1 FROM users u WHERE u.jid = h.user)")))
                                    .c_str())),
      requeue_forget_(db.prepare(
          "DELETE FROM history WHERE outcome = 'not deliverable' AND (?1 IS NULL OR (user = ?1 AND item = ?2)) "
          "AND EXISTS (SELECT 1 FROM queue q WHERE q.user = history.user AND q.item = history.item)")),
      drop_(db.prepare("UPDATE history SET outcome = 'dropped', at_ms = ?3 WHERE outcome = 'not deliverable' "
                       "AND (?1 IS NULL OR (user = ?1 AND item = ?2))")),
      counters_(db.prepare("SELECT name, value FROM counters ORDER BY name")),
      extra_counts_(db.prepare(
          "SELECT (SELECT count(*) FROM history WHERE outcome = 'not deliverable'), "
          "(SELECT count(*) FROM items), (SELECT count(*) FROM history), "
          "(SELECT count(*) FROM escalations WHERE state = 'pending'), (SELECT count(*) FROM feeds)")) {}

UserSummary SqliteAdminQueries::read_user() const {
    return {users_.column_text(0), users_.column_optional_text(1), users_.column_int(2),
            users_.column_int(3), users_.column_int(4), users_.column_int(5)};
}

std::vector<UserSummary> SqliteAdminQueries::users() {
    users_.bind_null(1);
    std::vector<UserSummary> users;
    while (users_.step()) users.push_back(read_user());
    users_.reset();
    return users;
}

std::optional<UserDetail> SqliteAdminQueries::user(std::string_view jid) {
    users_.bind(1, jid);
    if (!users_.step()) return users_.reset(), std::nullopt;
    UserDetail detail{read_user(), {}, {}, {}};
    users_.reset();
    user_.bind(1, jid);
    if (user_.step() && user_.column_optional_text(0)) detail.away_since_ms = user_.column_int(0);
    user_.reset();
    for (auto [statement, names] : {std::pair{&subscribed_, &detail.subscribed}, {&owned_, &detail.owned_topics}}) {
        statement->bind(1, jid);
        while (statement->step()) names->push_back(statement->column_text(0));
        statement->reset();
    }
    return detail;
}

std::vector<TopicSummary> SqliteAdminQueries::topics() {
    std::vector<TopicSummary> topics;
    while (topics_.step())
        topics.push_back({topics_.column_text(0), topics_.column_text(1), topics_.column_text(2),
                          topics_.column_int(3), topics_.column_int(4), topics_.column_int(5)});
    topics_.reset();
    return topics;
}

QueueEntry SqliteAdminQueries::read_entry(Statement& row, int first) const {
    QueueEntry entry{row.column_text(first), row.column_int(first + 1), row.column_text(first + 2),
                     row.column_text(first + 3), row.column_text(first + 4),
                     static_cast<int>(row.column_int(first + 5)), row.column_int(first + 6), std::nullopt,
                     row.column_int(first + 8)};
    if (row.column_optional_text(first + 7)) entry.expires_ms = row.column_int(first + 7);
    return entry;
}

std::vector<QueueEntry> SqliteAdminQueries::queue(std::string_view jid) {
    queue_.bind(1, jid);
    std::vector<QueueEntry> entries;
    while (queue_.step()) entries.push_back(read_entry(queue_, 0));
    queue_.reset();
    return entries;
}

std::vector<QueueEntry> SqliteAdminQueries::set_aside() {
    set_aside_.bind_null(1).bind_null(2);
    std::vector<QueueEntry> entries;
    while (set_aside_.step()) entries.push_back(read_entry(set_aside_, 0));
    set_aside_.reset();
    return entries;
}

std::int64_t SqliteAdminQueries::change(Statement& statement, const std::optional<DeliveryKey>& key) {
    if (key) statement.bind(1, key->first).bind(2, key->second);
    else statement.bind_null(1).bind_null(2);
    statement.run();
    return sqlite3_changes(db_.handle());
}

// Back into the queue with the item's own priority and expiry (an expired
// one goes at the next expiry check, as any other would).
std::int64_t SqliteAdminQueries::requeue(const std::optional<DeliveryKey>& key) {
    Transaction transaction(db_);
    change(requeue_insert_, key);
    const auto requeued = change(requeue_forget_, key);
    transaction.commit();
    return requeued;
}

std::int64_t SqliteAdminQueries::drop(const std::optional<DeliveryKey>& key, std::int64_t now_ms) {
    drop_.bind(3, now_ms);
    return change(drop_, key);
}

std::vector<std::pair<std::string, std::int64_t>> SqliteAdminQueries::stats() {
    std::vector<std::pair<std::string, std::int64_t>> stats;
    while (counters_.step()) stats.emplace_back(counters_.column_text(0), counters_.column_int(1));
    counters_.reset();
    extra_counts_.step();
    const char* names[] = {"set aside", "items", "history", "escalations pending", "feeds"};
    for (int column = 0; column < 5; ++column) stats.emplace_back(names[column], extra_counts_.column_int(column));
    extra_counts_.reset();
    return stats;
}

int SqliteAdminQueries::schema_version() { return db_.schema_version(); }

}  // namespace herald::storage
