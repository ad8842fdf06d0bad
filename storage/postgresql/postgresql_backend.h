#pragma once

#include <optional>
#include <string>

#include "storage/backend.h"
#include "storage/postgresql/connection.h"
#include "storage/postgresql/postgresql_ack_repository.h"
#include "storage/postgresql/postgresql_admin_queries.h"
#include "storage/postgresql/postgresql_delivery_queue.h"
#include "storage/postgresql/postgresql_escalation_repository.h"
#include "storage/postgresql/postgresql_feed_repository.h"
#include "storage/postgresql/postgresql_instance_repository.h"
#include "storage/postgresql/postgresql_node_repository.h"
#include "storage/postgresql/postgresql_token_repository.h"
#include "storage/postgresql/postgresql_user_repository.h"

namespace herald::storage {

// The PostgreSQL database at `conninfo`, migrated when opened. A commit group
// is one transaction (synchronous_commit as the server says: on by default,
// so COMMIT returns once the group is on disk); a job runs in its own
// savepoint inside it. When the server goes away, the group under way fails
// with a transient StorageError and the next begin() connects again.
class PostgresqlBackend final : public Backend {
public:
    // `sole_instance` (the daemon of one instance): the database is Herald's
    // alone; another instance that holds it makes this one refuse to open.
    // `instance`, when named: one of several sharing the database; each
    // commit that queued items tells the others (queue_notice.h).
    PostgresqlBackend(const std::string& conninfo, const std::optional<std::string>& password,
                      bool sole_instance = false, InstanceIdentity instance = {});

    Repositories& repositories() override { return repositories_; }
    AdminQueries& admin() override;
    void begin() override;
    void commit() override;
    void rollback() override;
    std::exception_ptr run_isolated(const Job& job) override;

private:
    // Held for the session, taken again after a reconnect; throws when
    // another instance holds it.
    void claim_database();

    pg::Connection connection_;
    const bool sole_instance_;
    const InstanceIdentity instance_;
    pg::QueuedInTransaction queued_;
    // The migration, run while the members are made: the schema is current
    // before anything else here exists.
    bool migrated_;
    PostgresqlUserRepository users_;
    PostgresqlNodeRepository nodes_;
    PostgresqlDeliveryQueue queue_;
    PostgresqlTokenRepository tokens_;
    PostgresqlEscalationRepository escalations_;
    PostgresqlFeedRepository feeds_;
    PostgresqlAckRepository acks_;
    PostgresqlInstanceRepository instances_;
    Repositories repositories_;
    // Made on first use: the daemon never asks.
    std::optional<PostgresqlAdminQueries> admin_;
};

}  // namespace herald::storage
