#include "storage/postgresql/postgresql_escalation_repository.h"

#include <algorithm>

#include "storage/postgresql/item_columns.h"

namespace herald::storage {

using namespace pg;

PostgresqlEscalationRepository::PostgresqlEscalationRepository(Connection& connection,
                                                               const InstanceIdentity& instance)
    : instance_(instance),
      mark_away_(connection,
                 "UPDATE users SET away_since_ms = $2, present_on = NULL WHERE jid = $1 AND away_since_ms IS NULL"),
      mark_present_(connection, "UPDATE users SET away_since_ms = NULL, present_on = NULLIF($2, '') WHERE jid = $1"),
      // Not the users another instance alive sees present.
      mark_unknown_away_(connection,
                         "UPDATE users SET away_since_ms = $1, present_on = NULL WHERE away_since_ms IS NULL "
                         "AND (present_on IS NULL OR present_on = $2 OR NOT EXISTS (SELECT 1 FROM instances i "
                         "WHERE i.name = users.present_on AND i.last_seen_ms >= $1::bigint - $3::bigint))"),
      escalating_users_(connection,
                        "SELECT u.jid, p.quiet_start, p.quiet_end, p.quiet_zone FROM users u "
                        "JOIN preferences p ON p.jid = u.jid "
                        "WHERE (u.away_since_ms IS NOT NULL OR EXISTS (SELECT 1 FROM ack_recipients a "
                        "WHERE a.user_jid = u.jid AND NOT a.settled)) "
                        "AND p.escalation_channel <> 'none' AND NOT p.paused AND u.jid > $1 "
                        "ORDER BY u.jid LIMIT $2"),
      due_(connection,
           "SELECT q.user_jid, q.item, q.priority, p.escalation_channel "
           "FROM users u JOIN preferences p ON p.jid = u.jid JOIN queue q ON q.user_jid = u.jid "
           "JOIN items i ON i.id = q.item "
           "WHERE u.jid = $4 AND u.away_since_ms IS NOT NULL AND p.escalation_channel <> 'none' AND NOT p.paused "
           "AND q.priority >= greatest(p.escalation_min_priority, $5::integer) "
           "AND greatest(i.published_ms, u.away_since_ms) + p.escalation_minutes * $2::bigint <= $1::bigint "
           "AND (q.expires_ms IS NULL OR q.expires_ms > $1::bigint) "
           "AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.user_jid = q.user_jid AND e.item = q.item) "
           "AND NOT EXISTS (SELECT 1 FROM ack_recipients a WHERE a.user_jid = q.user_jid AND a.item = q.item) "
           // Items needing an acknowledgement escalate while unacknowledged,
           // received or not, away or not; at least one delay unit after publishing.
           "UNION ALL SELECT a.user_jid, a.item, a.priority, p.escalation_channel "
           "FROM ack_recipients a JOIN preferences p ON p.jid = a.user_jid JOIN items i ON i.id = a.item "
           "WHERE a.user_jid = $4 AND p.escalation_channel <> 'none' AND NOT p.paused "
           "AND a.priority >= greatest(p.escalation_min_priority, $5::integer) AND NOT a.settled "
           "AND i.published_ms + greatest(p.escalation_minutes, 1) * $2::bigint <= $1::bigint "
           "AND (i.expires_ms IS NULL OR i.expires_ms > $1::bigint) "
           "AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.user_jid = a.user_jid AND e.item = a.item) "
           "ORDER BY 2 LIMIT $3"),
      claim_(connection, "INSERT INTO escalations (user_jid, item, channel, state, attempts, next_attempt_ms, "
                         "updated_ms) VALUES ($1, $2, $3, 'pending', 0, $4, $4) ON CONFLICT DO NOTHING"),
      cancel_stale_(connection,
                    "DELETE FROM escalations WHERE state = 'pending' AND (("
                    "NOT EXISTS (SELECT 1 FROM ack_recipients a WHERE a.user_jid = escalations.user_jid "
                    "AND a.item = escalations.item AND NOT a.settled) AND ("
                    "NOT EXISTS (SELECT 1 FROM queue q WHERE q.user_jid = escalations.user_jid "
                    "AND q.item = escalations.item) "
                    "OR EXISTS (SELECT 1 FROM users u WHERE u.jid = escalations.user_jid "
                    "AND u.away_since_ms IS NULL))) "
                    "OR NOT EXISTS (SELECT 1 FROM preferences p WHERE p.jid = escalations.user_jid "
                    "AND p.escalation_channel <> 'none' AND NOT p.paused))"),
      // At most $3 rows per user, so one user's backlog cannot fill the limit.
      ready_(connection,
             with_item_columns(
                 "SELECT e.user_jid, p.escalation_channel, coalesce(p.escalation_target, ''), u.webhook_secret, "
                 "e.attempts, e.item, ",
                 " FROM (SELECT user_jid, item, attempts, row_number() OVER (PARTITION BY user_jid ORDER BY item) "
                 "AS n FROM escalations WHERE state = 'pending' AND next_attempt_ms <= $1) e "
                 "JOIN users u ON u.jid = e.user_jid JOIN preferences p ON p.jid = e.user_jid "
                 "JOIN items i ON i.id = e.item WHERE e.n <= $3 ORDER BY e.user_jid, e.item LIMIT $2")),
      sending_(connection,
               "UPDATE escalations SET state = 'sending', updated_ms = $3 WHERE user_jid = $1 AND item = $2 "
               "AND state = 'pending'"),
      sent_(connection, "UPDATE escalations SET state = 'sent', updated_ms = $3 WHERE user_jid = $1 AND item = $2"),
      failed_(connection,
              "UPDATE escalations SET attempts = attempts + 1, updated_ms = $3, "
              "state = CASE WHEN $4::bigint IS NULL THEN 'failed' ELSE 'pending' END, "
              "next_attempt_ms = coalesce($4::bigint, next_attempt_ms) WHERE user_jid = $1 AND item = $2"),
      set_secret_(connection, "UPDATE users SET webhook_secret = $2 WHERE jid = $1 AND webhook_secret IS NULL"),
      get_secret_(connection, "SELECT coalesce(webhook_secret, '') FROM users WHERE jid = $1"),
      replace_secret_(connection, "UPDATE users SET webhook_secret = $2 WHERE jid = $1 AND EXISTS "
                                  "(SELECT 1 FROM preferences WHERE jid = $1 AND escalation_channel = 'webhook')"),
      prune_settled_(connection, "DELETE FROM escalations WHERE (user_jid, item) IN (SELECT user_jid, item "
                                 "FROM escalations WHERE state <> 'pending' AND updated_ms < $1 "
                                 "ORDER BY updated_ms LIMIT $2)"),
      remove_user_(connection, "DELETE FROM escalations WHERE user_jid = $1") {}

void PostgresqlEscalationRepository::mark_away(std::string_view user, std::int64_t since_ms) {
    mark_away_.run(user, since_ms);
}

void PostgresqlEscalationRepository::mark_present(std::string_view user) { mark_present_.run(user, instance_.name); }

void PostgresqlEscalationRepository::mark_unknown_away(std::int64_t now_ms) {
    mark_unknown_away_.run(now_ms, instance_.name, instance_.dead_after_ms);
}

std::vector<EscalatingUser> PostgresqlEscalationRepository::escalating_users(std::string_view after, int limit) {
    const auto rows = escalating_users_.run(after, limit);
    std::vector<EscalatingUser> found;
    for (int row = 0; row < rows.rows(); ++row)
        found.push_back({rows.text(row, 0), rows.optional_text(row, 1), rows.optional_text(row, 2),
                         rows.optional_text(row, 3)});
    return found;
}

std::vector<EscalationCandidate> PostgresqlEscalationRepository::due(std::string_view user, std::int64_t now_ms,
                                                                     std::int64_t unit_ms, int min_priority,
                                                                     int limit) {
    const auto rows = due_.run(now_ms, unit_ms, limit, user, min_priority);
    std::vector<EscalationCandidate> candidates;
    for (int row = 0; row < rows.rows(); ++row)
        candidates.push_back({rows.text(row, 0), rows.integer(row, 1), static_cast<int>(rows.integer(row, 2)),
                              rows.text(row, 3)});
    return candidates;
}

void PostgresqlEscalationRepository::claim(const EscalationCandidate& candidate, std::int64_t now_ms) {
    claim_.run(candidate.user, candidate.seq, candidate.channel, now_ms);
}

std::int64_t PostgresqlEscalationRepository::cancel_stale() { return cancel_stale_.run().affected(); }

std::vector<EscalationBatch> PostgresqlEscalationRepository::ready(std::int64_t now_ms,
                                                                   const std::set<std::string>& busy,
                                                                   int max_items_per_batch) {
    constexpr std::int64_t kMaxRows = 10000;
    const auto rows = ready_.run(now_ms, kMaxRows, max_items_per_batch);
    std::vector<EscalationBatch> batches;
    for (int row = 0; row < rows.rows(); ++row) {
        const auto user = rows.text(row, 0);
        if (busy.contains(user)) continue;
        if (batches.empty() || batches.back().user != user)
            batches.push_back({user, rows.text(row, 1), rows.text(row, 2), rows.optional_text(row, 3), 0, {}, {}});
        auto& batch = batches.back();
        batch.attempts = std::max(batch.attempts, static_cast<int>(rows.integer(row, 4)));
        batch.seqs.push_back(rows.integer(row, 5));
        batch.items.push_back(read_item(rows, row, 6));
    }
    return batches;
}

void PostgresqlEscalationRepository::set_state(Statement& update, std::string_view user,
                                               const std::vector<std::int64_t>& seqs, std::int64_t now_ms) {
    for (const auto seq : seqs) update.run(user, seq, now_ms);
}

std::vector<std::int64_t> PostgresqlEscalationRepository::sending(std::string_view user,
                                                                  const std::vector<std::int64_t>& seqs,
                                                                  std::int64_t now_ms) {
    std::vector<std::int64_t> moved;
    for (const auto seq : seqs)
        if (sending_.run(user, seq, now_ms).affected() > 0) moved.push_back(seq);
    return moved;
}

void PostgresqlEscalationRepository::sent(std::string_view user, const std::vector<std::int64_t>& seqs,
                                          std::int64_t now_ms) {
    set_state(sent_, user, seqs, now_ms);
}

void PostgresqlEscalationRepository::failed(std::string_view user, const std::vector<std::int64_t>& seqs,
                                            std::int64_t now_ms, std::optional<std::int64_t> retry_at_ms) {
    for (const auto seq : seqs) failed_.run(user, seq, now_ms, retry_at_ms);
}

std::int64_t PostgresqlEscalationRepository::prune_settled(std::int64_t before_ms, int max_rows) {
    return prune_settled_.run(before_ms, max_rows).affected();
}

std::string PostgresqlEscalationRepository::webhook_secret(std::string_view user, const std::string& made_if_absent) {
    set_secret_.run(user, made_if_absent);
    const auto rows = get_secret_.run(user);
    return rows.empty() ? std::string() : rows.text(0, 0);
}

bool PostgresqlEscalationRepository::replace_webhook_secret(std::string_view user, const std::string& secret) {
    return replace_secret_.run(user, secret).affected() > 0;
}

void PostgresqlEscalationRepository::remove_user(std::string_view user) { remove_user_.run(user); }

}  // namespace herald::storage
