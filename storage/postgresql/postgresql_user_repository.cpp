#include "storage/postgresql/postgresql_user_repository.h"

namespace herald::storage {

using namespace pg;

PostgresqlUserRepository::PostgresqlUserRepository(Connection& connection)
    : insert_(connection, "INSERT INTO users (jid, email, registered_at) VALUES ($1, $2, $3) ON CONFLICT (jid) DO NOTHING"),
      update_email_(connection, "UPDATE users SET email = $2 WHERE jid = $1"),
      find_(connection, "SELECT jid, email, registered_at FROM users WHERE jid = $1"),
      remove_(connection, "DELETE FROM users WHERE jid = $1"),
      page_(connection, "SELECT jid FROM users WHERE jid > $1 ORDER BY jid LIMIT $2"),
      count_(connection, "SELECT count(*) FROM users"),
      load_preferences_(connection,
                        "SELECT p.message_type, p.dnd_holds, p.quiet_start, p.quiet_end, p.quiet_zone, "
                        "p.escalation_channel, p.escalation_minutes, p.escalation_target, p.paused, "
                        "p.escalation_min_priority, u.webhook_secret "
                        "FROM preferences p LEFT JOIN users u ON u.jid = p.jid WHERE p.jid = $1"),
      save_preferences_(connection,
                        "INSERT INTO preferences (jid, message_type, dnd_holds, quiet_start, quiet_end, quiet_zone, "
                        "escalation_channel, escalation_minutes, escalation_target, paused, escalation_min_priority) "
                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (jid) DO UPDATE SET "
                        "message_type = excluded.message_type, dnd_holds = excluded.dnd_holds, "
                        "quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end, "
                        "quiet_zone = excluded.quiet_zone, escalation_channel = excluded.escalation_channel, "
                        "escalation_minutes = excluded.escalation_minutes, "
                        "escalation_target = excluded.escalation_target, paused = excluded.paused, "
                        "escalation_min_priority = excluded.escalation_min_priority"),
      set_paused_(connection, "INSERT INTO preferences (jid, paused) VALUES ($1, $2) "
                              "ON CONFLICT (jid) DO UPDATE SET paused = excluded.paused") {}

bool PostgresqlUserRepository::upsert(const User& user) {
    if (insert_.run(user.jid, user.email, user.registered_at).affected() > 0) return true;
    update_email_.run(user.jid, user.email);
    return false;
}

std::optional<User> PostgresqlUserRepository::find(std::string_view jid) {
    const auto rows = find_.run(jid);
    if (rows.empty()) return std::nullopt;
    return User{rows.text(0, 0), rows.optional_text(0, 1), rows.integer(0, 2)};
}

bool PostgresqlUserRepository::remove(std::string_view jid) { return remove_.run(jid).affected() > 0; }

std::vector<std::string> PostgresqlUserRepository::jids_after(std::string_view after, int limit) {
    const auto rows = page_.run(after, limit);
    std::vector<std::string> jids;
    for (int row = 0; row < rows.rows(); ++row) jids.push_back(rows.text(row, 0));
    return jids;
}

std::int64_t PostgresqlUserRepository::count() { return count_.run().integer(0, 0); }

Preferences PostgresqlUserRepository::preferences(std::string_view jid) {
    const auto rows = load_preferences_.run(jid);
    Preferences preferences;
    if (rows.empty()) return preferences;
    preferences.message_type = rows.optional_text(0, 0);
    preferences.dnd_holds = rows.text(0, 1);
    preferences.quiet_start = rows.optional_text(0, 2);
    preferences.quiet_end = rows.optional_text(0, 3);
    preferences.quiet_zone = rows.optional_text(0, 4);
    preferences.escalation_channel = rows.text(0, 5);
    preferences.escalation_minutes = rows.integer(0, 6);
    preferences.escalation_target = rows.optional_text(0, 7);
    preferences.paused = rows.boolean(0, 8);
    preferences.escalation_min_priority = static_cast<int>(rows.integer(0, 9));
    preferences.webhook_secret = rows.optional_text(0, 10);
    return preferences;
}

void PostgresqlUserRepository::save_preferences(std::string_view jid, const Preferences& p) {
    save_preferences_.run(jid, p.message_type, p.dnd_holds, p.quiet_start, p.quiet_end, p.quiet_zone,
                          p.escalation_channel, p.escalation_minutes, p.escalation_target, p.paused,
                          p.escalation_min_priority);
}

Preferences PostgresqlUserRepository::set_paused(std::string_view jid, bool paused) {
    set_paused_.run(jid, paused);
    return preferences(jid);
}

}  // namespace herald::storage
