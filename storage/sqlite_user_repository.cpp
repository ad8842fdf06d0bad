#include "storage/sqlite_user_repository.h"

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

}  // namespace herald::storage
