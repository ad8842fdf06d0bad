#pragma once

#include "storage/admin_queries.h"
#include "storage/sqlite/database.h"
#include "storage/sqlite/statement.h"

namespace herald::storage {

// The admin queries on one connection.
class SqliteAdminQueries final : public AdminQueries {
public:
    explicit SqliteAdminQueries(Database& db);

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
    UserSummary read_user() const;
    QueueEntry read_entry(Statement& row, int first_column) const;
    std::int64_t change(Statement& statement, const std::optional<DeliveryKey>& key);

    Database& db_;
    Statement users_;
    Statement user_;
    Statement subscribed_;
    Statement owned_;
    Statement topics_;
    Statement queue_;
    Statement set_aside_;
    Statement requeue_insert_;
    Statement requeue_forget_;
    Statement drop_;
    Statement counters_;
    Statement extra_counts_;
};

}  // namespace herald::storage
