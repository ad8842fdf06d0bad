#pragma once

#include "storage/postgresql/connection.h"
#include "storage/token_repository.h"

namespace herald::storage {

class PostgresqlTokenRepository final : public TokenRepository {
public:
    explicit PostgresqlTokenRepository(pg::Connection& connection);

    bool add(std::string_view digest, const NodeToken& token, std::int64_t now) override;
    std::optional<NodeToken> find(std::string_view digest) override;
    bool revoke(std::string_view node, std::string_view label) override;
    std::vector<std::string> labels(std::string_view node) override;
    LimitedInsert add_within(std::string_view digest, const NodeToken& token, std::int64_t now,
                             std::int64_t max_tokens) override;
    void revoke_created_by(std::string_view jid) override;

private:
    pg::Statement insert_, find_, revoke_, labels_, insert_within_, revoke_created_by_;
};

}  // namespace herald::storage
