#pragma once

#include <optional>
#include <string>

#include "storage/backend.h"
#include "storage/sqlite/database.h"
#include "storage/sqlite/sqlite_ack_repository.h"
#include "storage/sqlite/sqlite_admin_queries.h"
#include "storage/sqlite/sqlite_delivery_queue.h"
#include "storage/sqlite/sqlite_escalation_repository.h"
#include "storage/sqlite/sqlite_feed_repository.h"
#include "storage/sqlite/sqlite_instance_repository.h"
#include "storage/sqlite/sqlite_node_repository.h"
#include "storage/sqlite/sqlite_token_repository.h"
#include "storage/sqlite/sqlite_user_repository.h"
#include "storage/sqlite/statement.h"

namespace herald::storage {

// The SQLite database at `path` (":memory:" for tests). A job runs in its
// own savepoint inside the group's transaction.
class SqliteBackend final : public Backend {
public:
    explicit SqliteBackend(const std::string& path);

    Repositories& repositories() override { return repositories_; }
    AdminQueries& admin() override;
    void begin() override { db_.begin(); }
    void commit() override { db_.commit(); }
    void rollback() override { db_.rollback(); }
    std::exception_ptr run_isolated(const Job& job) override;

private:
    Database db_;
    SqliteUserRepository users_;
    SqliteNodeRepository nodes_;
    SqliteDeliveryQueue queue_;
    SqliteTokenRepository tokens_;
    SqliteEscalationRepository escalations_;
    SqliteFeedRepository feeds_;
    SqliteAckRepository acks_;
    SqliteInstanceRepository instances_;
    Repositories repositories_;
    Statement savepoint_;
    Statement release_;
    Statement rollback_to_;
    // Prepared on first use: the daemon never asks.
    std::optional<SqliteAdminQueries> admin_;
};

}  // namespace herald::storage
