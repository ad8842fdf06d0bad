#include "storage/sqlite/sqlite_token_repository.h"

#include <sqlite3.h>

#include <algorithm>

namespace herald::storage {

SqliteTokenRepository::SqliteTokenRepository(Database& db)
    : db_(db.handle()),
      insert_(db.prepare("INSERT OR IGNORE INTO node_tokens (digest, node, label, created_by, created_at) "
                         "VALUES (?1, ?2, ?3, ?4, ?5)")),
      find_(db.prepare("SELECT node, label, created_by FROM node_tokens WHERE digest = ?1")),
      revoke_(db.prepare("DELETE FROM node_tokens WHERE node = ?1 AND label = ?2")),
      labels_(db.prepare("SELECT label FROM node_tokens WHERE node = ?1 ORDER BY label")),
      insert_within_(db.prepare("INSERT OR IGNORE INTO node_tokens (digest, node, label, created_by, created_at) "
                                "SELECT ?1, ?2, ?3, ?4, ?5 "
                                "WHERE (SELECT count(*) FROM node_tokens WHERE created_by = ?4) < ?6")),
      revoke_created_by_(db.prepare("DELETE FROM node_tokens WHERE created_by = ?1")) {}

bool SqliteTokenRepository::add(std::string_view digest, const NodeToken& token, std::int64_t now) {
    insert_.bind(1, digest).bind(2, token.node).bind(3, token.label).bind(4, token.created_by).bind(5, now);
    insert_.run();
    return sqlite3_changes(db_) > 0;
}

std::optional<NodeToken> SqliteTokenRepository::find(std::string_view digest) {
    find_.bind(1, digest);
    std::optional<NodeToken> token;
    if (find_.step()) token = NodeToken{find_.column_text(0), find_.column_text(1), find_.column_text(2)};
    find_.reset();
    return token;
}

bool SqliteTokenRepository::revoke(std::string_view node, std::string_view label) {
    revoke_.bind(1, node).bind(2, label);
    revoke_.run();
    return sqlite3_changes(db_) > 0;
}

std::vector<std::string> SqliteTokenRepository::labels(std::string_view node) {
    labels_.bind(1, node);
    std::vector<std::string> values;
    while (labels_.step()) values.push_back(labels_.column_text(0));
    labels_.reset();
    return values;
}

LimitedInsert SqliteTokenRepository::add_within(std::string_view digest, const NodeToken& token, std::int64_t now,
                                                std::int64_t max_tokens) {
    insert_within_.bind(1, digest).bind(2, token.node).bind(3, token.label).bind(4, token.created_by)
        .bind(5, now).bind(6, max_tokens);
    insert_within_.run();
    if (sqlite3_changes(db_) > 0) return LimitedInsert::done;
    const auto taken = labels(token.node);
    return std::find(taken.begin(), taken.end(), token.label) != taken.end() ? LimitedInsert::exists
                                                                             : LimitedInsert::over_limit;
}

void SqliteTokenRepository::revoke_created_by(std::string_view jid) {
    revoke_created_by_.bind(1, jid);
    revoke_created_by_.run();
}

}  // namespace herald::storage
