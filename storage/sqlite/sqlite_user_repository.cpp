#include "storage/sqlite/sqlite_user_repository.h"

#include <sqlite3.h>

namespace herald::storage {

SqliteUserRepository::SqliteUserRepository(Database& db)
    : insert_(db.prepare(
          "INSERT OR IGNORE INTO users (jid, email, registered_at) VALUES (?1, ?2, ?3)")),
      update_email_(db.prepare("UPDATE users SET email = ?2 WHERE jid = ?1")),
      find_(db.prepare("SELECT jid, email, registered_at FROM users WHERE jid = ?1")),
      remove_(db.prepare("DELETE FROM users WHERE jid = ?1")),
      page_(db.prepare("SELECT jid FROM users WHERE jid > ?1 ORDER BY jid LIMIT ?2")),
      count_(db.prepare("SELECT count(*) FROM users")),
      load_preferences_(db.prepare(
          "SELECT message_type, dnd_holds, quiet_start, quiet_end, quiet_zone, escalation_channel, "
          "escalation_minutes, escalation_target, paused, escalation_min_priority, "
          "(SELECT webhook_secret FROM users WHERE jid = ?1) FROM preferences WHERE jid = ?1")),
      save_preferences_(db.prepare(
          "INSERT OR REPLACE INTO preferences (jid, message_type, dnd_holds, quiet_start, quiet_end, "
          "quiet_zone, escalation_channel, escalation_minutes, escalation_target, paused, "
          "escalation_min_priority) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")),
      set_paused_(db.prepare("INSERT INTO preferences (jid, paused) VALUES (?1, ?2) "
                             "ON CONFLICT (jid) DO UPDATE SET paused = excluded.paused")),
      db_(db.handle()) {}

bool SqliteUserRepository::upsert(const User& user) {
    insert_.bind(1, user.jid).bind_optional(2, user.email).bind(3, user.registered_at);
    insert_.run();
    if (sqlite3_changes(db_) > 0) return true;
    update_email_.bind(1, user.jid).bind_optional(2, user.email);
    update_email_.run();
    return false;
}

std::optional<User> SqliteUserRepository::find(std::string_view jid) {
    find_.bind(1, jid);
    std::optional<User> user;
    if (find_.step())
        user = User{find_.column_text(0), find_.column_optional_text(1), find_.column_int(2)};
    find_.reset();
    return user;
}

bool SqliteUserRepository::remove(std::string_view jid) {
    remove_.bind(1, jid);
    remove_.run();
    return sqlite3_changes(db_) > 0;
}

std::vector<std::string> SqliteUserRepository::jids_after(std::string_view after, int limit) {
    page_.bind(1, after).bind(2, static_cast<std::int64_t>(limit));
    std::vector<std::string> jids;
    while (page_.step()) jids.push_back(page_.column_text(0));
    page_.reset();
    return jids;
}

std::int64_t SqliteUserRepository::count() {
    count_.step();
    const auto total = count_.column_int(0);
    count_.reset();
    return total;
}

Preferences SqliteUserRepository::preferences(std::string_view jid) {
    load_preferences_.bind(1, jid);
    Preferences preferences;
    if (load_preferences_.step()) {
        auto& row = load_preferences_;
        preferences.message_type = row.column_optional_text(0);
        preferences.dnd_holds = row.column_text(1);
        preferences.quiet_start = row.column_optional_text(2);
        preferences.quiet_end = row.column_optional_text(3);
        preferences.quiet_zone = row.column_optional_text(4);
        preferences.escalation_channel = row.column_text(5);
        preferences.escalation_minutes = row.column_int(6);
        preferences.escalation_target = row.column_optional_text(7);
        preferences.paused = row.column_int(8) != 0;
        preferences.escalation_min_priority = static_cast<int>(row.column_int(9));
        preferences.webhook_secret = row.column_optional_text(10);
    }
    load_preferences_.reset();
    return preferences;
}

void SqliteUserRepository::save_preferences(std::string_view jid, const Preferences& p) {
    save_preferences_.bind(1, jid).bind_optional(2, p.message_type).bind(3, p.dnd_holds)
        .bind_optional(4, p.quiet_start).bind_optional(5, p.quiet_end).bind_optional(6, p.quiet_zone)
        .bind(7, p.escalation_channel).bind(8, p.escalation_minutes).bind_optional(9, p.escalation_target)
        .bind(10, std::int64_t{p.paused}).bind(11, std::int64_t{p.escalation_min_priority});
    save_preferences_.run();
}

Preferences SqliteUserRepository::set_paused(std::string_view jid, bool paused) {
    set_paused_.bind(1, jid).bind(2, std::int64_t{paused});
    set_paused_.run();
    return preferences(jid);
}

}  // namespace herald::storage
