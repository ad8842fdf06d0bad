#include "storage/postgresql/postgresql_token_repository.h"

#include <algorithm>

namespace herald::storage {

using namespace pg;

PostgresqlTokenRepository::PostgresqlTokenRepository(Connection& connection)
    : insert_(connection, "INSERT INTO node_tokens (digest, node, label, created_by, created_at) "
                          "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING"),
      find_(connection, "SELECT node, label, created_by FROM node_tokens WHERE digest = $1"),
      revoke_(connection, "DELETE FROM node_tokens WHERE node = $1 AND label = $2"),
      labels_(connection, "SELECT label FROM node_tokens WHERE node = $1 ORDER BY label"),
      insert_within_(connection, "INSERT INTO node_tokens (digest, node, label, created_by, created_at) "
                                 "SELECT $1::text, $2::text, $3::text, $4::text, $5::bigint "
                                 "WHERE (SELECT count(*) FROM node_tokens WHERE created_by = $4) < $6 "
                                 "ON CONFLICT DO NOTHING"),
      revoke_created_by_(connection, "DELETE FROM node_tokens WHERE created_by = $1") {}

bool PostgresqlTokenRepository::add(std::string_view digest, const NodeToken& token, std::int64_t now) {
    return insert_.run(digest, token.node, token.label, token.created_by, now).affected() > 0;
}

std::optional<NodeToken> PostgresqlTokenRepository::find(std::string_view digest) {
    const auto rows = find_.run(digest);
    if (rows.empty()) return std::nullopt;
    return NodeToken{rows.text(0, 0), rows.text(0, 1), rows.text(0, 2)};
}

bool PostgresqlTokenRepository::revoke(std::string_view node, std::string_view label) {
    return revoke_.run(node, label).affected() > 0;
}

std::vector<std::string> PostgresqlTokenRepository::labels(std::string_view node) {
    const auto rows = labels_.run(node);
    std::vector<std::string> values;
    for (int row = 0; row < rows.rows(); ++row) values.push_back(rows.text(row, 0));
    return values;
}

LimitedInsert PostgresqlTokenRepository::add_within(std::string_view digest, const NodeToken& token,
                                                    std::int64_t now, std::int64_t max_tokens) {
    if (insert_within_.run(digest, token.node, token.label, token.created_by, now, max_tokens).affected() > 0)
        return LimitedInsert::done;
    const auto taken = labels(token.node);
    return std::find(taken.begin(), taken.end(), token.label) != taken.end() ? LimitedInsert::exists
                                                                             : LimitedInsert::over_limit;
}

void PostgresqlTokenRepository::revoke_created_by(std::string_view jid) { revoke_created_by_.run(jid); }

}  // namespace herald::storage
