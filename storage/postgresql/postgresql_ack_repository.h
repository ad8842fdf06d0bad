#pragma once

#include "storage/ack_repository.h"
#include "storage/postgresql/connection.h"
#include "storage/postgresql/queue_notice.h"

namespace herald::storage {

class PostgresqlAckRepository final : public AckRepository {
public:
    PostgresqlAckRepository(pg::Connection& connection, pg::QueuedInTransaction& queued);

    std::vector<QueuedItem> waiting(std::string_view user, int limit) override;
    std::vector<QueuedItem> waiting_with_prefix(std::string_view user, std::string_view prefix, int limit) override;
    std::optional<QueuedItem> last_seen(std::string_view user) override;
    std::optional<QueuedItem> received(std::string_view user, std::int64_t seq) override;
    Acknowledgement acknowledge(std::int64_t seq, std::string_view by, std::int64_t now_ms) override;
    std::vector<std::string> queue_reminders(std::int64_t now_ms, int limit) override;
    std::optional<ItemStatus> status(std::string_view node, std::string_view item_id) override;
    bool topic_requires_ack(std::string_view node) override;
    void set_topic_requires_ack(std::string_view node, bool required) override;

private:
    pg::QueuedInTransaction& queued_;
    pg::Statement waiting_, last_seen_, received_, mark_acknowledged_, item_, to_tell_, on_the_way_, withdraw_,
        cancel_escalations_, end_reminders_, due_reminders_, requeue_, reminded_, find_item_, delivered_count_,
        queued_count_, topic_default_, set_topic_default_;
};

}  // namespace herald::storage
