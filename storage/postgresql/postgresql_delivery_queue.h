#pragma once

#include "storage/delivery_queue.h"
#include "storage/postgresql/connection.h"
#include "storage/postgresql/queue_notice.h"

namespace herald::storage {

class PostgresqlDeliveryQueue final : public DeliveryQueue {
public:
    PostgresqlDeliveryQueue(pg::Connection& connection, pg::QueuedInTransaction& queued);

    FanOut publish(const Item& item) override;
    std::int64_t trim(const std::vector<std::string>& users, std::int64_t max_per_user,
                      std::int64_t now_ms) override;
    std::vector<QueuedItem> next(std::string_view user, std::int64_t after_seq, int min_priority,
                                 std::int64_t now_ms, int limit) override;
    void confirm(std::string_view user, std::int64_t seq, std::int64_t now_ms) override;
    void set_aside(std::string_view user, std::int64_t seq, std::int64_t now_ms) override;
    std::int64_t expire(std::int64_t now_ms) override;
    std::int64_t take_dropped_count(std::string_view user) override;
    std::int64_t queued_count(std::string_view user) override;
    std::vector<Item> recent_items(std::string_view node, int max_items) override;
    FanOut publish_to_everyone(const Item& item) override;
    std::vector<HistoryEntry> history(std::string_view user, int limit) override;
    ServiceCounts counts() override;
    std::int64_t prune_history(std::int64_t before_ms, int max_rows) override;
    std::int64_t trim_history(std::string_view user, std::int64_t keep, int max_rows) override;
    std::int64_t prune_items(std::int64_t after_seq, std::int64_t keep_per_node, int max_rows) override;
    std::int64_t last_seq() override;
    std::vector<std::string> users_queued_for(const std::vector<std::int64_t>& items) override;

private:
    pg::QueuedInTransaction& queued_;
    // Out of the user's queue, into history with `outcome`, once: false when it was not queued.
    bool settle(std::string_view user, std::int64_t seq, std::string_view outcome, std::int64_t now_ms);
    // The history row of (user, seq) replaced by one with `outcome`, as
    // SQLite's INSERT OR REPLACE: the outcome counters count it again.
    void record_outcome(std::string_view user, std::int64_t seq, std::string_view outcome, std::int64_t now_ms);
    std::int64_t store(const Item& item);
    FanOut enqueue(pg::Statement& fan_out, std::int64_t seq, const Item& item);
    // Every recipient of an item that needs acknowledging waits for it.
    FanOut await_ack(const Item& item, FanOut fan_out);

    pg::Statement insert_item_, await_ack_, ack_delivered_, delivered_after_ack_, fan_out_, fan_out_everyone_;
    pg::Statement count_, drop_oldest_, add_dropped_, next_, confirm_delete_, forget_outcome_, add_outcome_;
    pg::Statement forget_expired_outcomes_, expire_history_, expire_delete_, take_dropped_, recent_, history_,
        counts_;
    pg::Statement prune_history_, trim_history_, prune_items_, last_seq_, users_queued_for_;
};

}  // namespace herald::storage
