#pragma once

#include "storage/escalation_repository.h"
#include "storage/postgresql/connection.h"
#include "storage/postgresql/postgresql_instance_repository.h"

namespace herald::storage {

class PostgresqlEscalationRepository final : public EscalationRepository {
public:
    // Users seen present are present on `instance` (see InstanceRepository).
    PostgresqlEscalationRepository(pg::Connection& connection, const InstanceIdentity& instance);

    void mark_away(std::string_view user, std::int64_t since_ms) override;
    void mark_present(std::string_view user) override;
    void mark_unknown_away(std::int64_t now_ms) override;
    std::vector<EscalatingUser> escalating_users(std::string_view after, int limit) override;
    std::vector<EscalationCandidate> due(std::string_view user, std::int64_t now_ms, std::int64_t unit_ms,
                                         int min_priority, int limit) override;
    void claim(const EscalationCandidate& candidate, std::int64_t now_ms) override;
    std::int64_t cancel_stale() override;
    std::vector<EscalationBatch> ready(std::int64_t now_ms, const std::set<std::string>& busy,
                                       int max_items_per_batch) override;
    std::vector<std::int64_t> sending(std::string_view user, const std::vector<std::int64_t>& seqs,
                                      std::int64_t now_ms) override;
    void sent(std::string_view user, const std::vector<std::int64_t>& seqs, std::int64_t now_ms) override;
    void failed(std::string_view user, const std::vector<std::int64_t>& seqs, std::int64_t now_ms,
                std::optional<std::int64_t> retry_at_ms) override;
    std::string webhook_secret(std::string_view user, const std::string& made_if_absent) override;
    bool replace_webhook_secret(std::string_view user, const std::string& secret) override;
    std::int64_t prune_settled(std::int64_t before_ms, int max_rows) override;
    void remove_user(std::string_view user) override;

private:
    const InstanceIdentity instance_;
    void set_state(pg::Statement& update, std::string_view user, const std::vector<std::int64_t>& seqs,
                   std::int64_t now_ms);

    pg::Statement mark_away_, mark_present_, mark_unknown_away_, escalating_users_, due_, claim_, cancel_stale_, ready_,
        sending_, sent_, failed_, set_secret_, get_secret_, replace_secret_, prune_settled_, remove_user_;
};

}  // namespace herald::storage
