#pragma once

#include "storage/admin_queries.h"
#include "storage/postgresql/connection.h"

namespace herald::storage {

// The admin queries on one connection.
class PostgresqlAdminQueries final : public AdminQueries {
public:
    explicit PostgresqlAdminQueries(pg::Connection& connection);

    std::vector<UserSummary> users() override;
    std::optional<UserDetail> user(std::string_view jid) override;
    std::vector<TopicSummary> topics() override;
    std::vector<QueueEntry> queue(std::string_view jid) override;
    std::vector<QueueEntry> set_aside() override;
    std::int64_t requeue(const std::optional<DeliveryKey>& key) override;
    std::int64_t drop(const std::optional<DeliveryKey>& key, std::int64_t now_ms) override;
    std::vector<std::pair<std::string, std::int64_t>> stats() override;
    int schema_version() override;

private:
    pg::Connection& connection_;
    pg::Statement users_, away_since_, subscribed_, owned_, topics_, queue_, set_aside_, requeue_insert_, requeue_forget_,
        drop_, counters_, extra_counts_;
};

}  // namespace herald::storage
