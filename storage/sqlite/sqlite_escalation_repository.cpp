#include "storage/sqlite/sqlite_escalation_repository.h"

#include <sqlite3.h>

#include "storage/sqlite/item_columns.h"

namespace herald::storage {

SqliteEscalationRepository::SqliteEscalationRepository(Database& db)
    : db_(db.handle()),
      mark_away_(db.prepare(
          "UPDATE users SET away_since_ms = ?2 WHERE jid = ?1 AND away_since_ms IS NULL")),
      mark_present_(db.prepare("UPDATE users SET away_since_ms = NULL WHERE jid = ?1")),
      mark_unknown_away_(db.prepare("UPDATE users SET away_since_ms = ?1 WHERE away_since_ms IS NULL")),
      escalating_users_(db.prepare(
          "SELECT u.jid, p.quiet_start, p.quiet_end, p.quiet_zone FROM users u JOIN preferences p ON p.jid = u.jid "
          "WHERE (u.away_since_ms IS NOT NULL OR EXISTS (SELECT 1 FROM ack_recipients a "
          "WHERE a.user = u.jid AND a.settled = 0)) "
          "AND p.escalation_channel != 'none' AND p.paused = 0 AND u.jid > ?1 "
          "ORDER BY u.jid LIMIT ?2")),
      due_(db.prepare(
          "SELECT q.user, q.item, q.priority, p.escalation_channel "
          "FROM users u JOIN preferences p ON p.jid = u.jid JOIN queue q ON q.user = u.jid "
          "JOIN items i ON i.id = q.item "
          "WHERE u.jid = ?4 AND u.away_since_ms IS NOT NULL AND p.escalation_channel != 'none' AND p.paused = 0 "
          "AND q.priority >= max(p.escalation_min_priority, ?5) "
          "AND max(i.published_ms, u.away_since_ms) + p.escalation_minutes * ?2 <= ?1 "
          "AND (q.expires_ms IS NULL OR q.expires_ms > ?1) "
          "AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.user = q.user AND e.item = q.item) "
          "AND NOT EXISTS (SELECT 1 FROM ack_recipients a WHERE a.user = q.user AND a.item = q.item) "
          // Items needing an acknowledgement escalate while unacknowledged,
          // received or not, away or not; at least one delay unit after publishing.
          "UNION ALL SELECT a.user, a.item, a.priority, p.escalation_channel "
          "FROM ack_recipients a JOIN preferences p ON p.jid = a.user JOIN items i ON i.id = a.item "
          "WHERE a.user = ?4 AND p.escalation_channel != 'none' AND p.paused = 0 "
          "AND a.priority >= max(p.escalation_min_priority, ?5) AND a.settled = 0 "
          "AND i.published_ms + max(p.escalation_minutes, 1) * ?2 <= ?1 "
          "AND (i.expires_ms IS NULL OR i.expires_ms > ?1) "
          "AND NOT EXISTS (SELECT 1 FROM escalations e WHERE e.user = a.user AND e.item = a.item) "
          "ORDER BY 2 LIMIT ?3")),
      claim_(db.prepare(
          "INSERT OR IGNORE INTO escalations (user, item, channel, state, attempts, next_attempt_ms, updated_ms) "
          "VALUES (?1, ?2, ?3, 'pending', 0, ?4, ?4)")),
      cancel_stale_(db.prepare(
          "DELETE FROM escalations WHERE state = 'pending' AND (("
          "NOT EXISTS (SELECT 1 FROM ack_recipients a WHERE a.user = escalations.user "
          "AND a.item = escalations.item AND a.settled = 0) AND ("
          "NOT EXISTS (SELECT 1 FROM queue q WHERE q.user = escalations.user AND q.item = escalations.item) "
          "OR EXISTS (SELECT 1 FROM users u WHERE u.jid = escalations.user AND u.away_since_ms IS NULL))) "
          "OR NOT EXISTS (SELECT 1 FROM preferences p WHERE p.jid = escalations.user "
          "AND p.escalation_channel != 'none' AND p.paused = 0))")),
      // At most ?3 rows per user, so one user's backlog cannot fill the limit.
      ready_(db.prepare(with_item_columns(
          "SELECT e.user, p.escalation_channel, coalesce(p.escalation_target, ''), u.webhook_secret, "
          "e.attempts, e.item, ",
          " FROM (SELECT user, item, attempts, row_number() OVER (PARTITION BY user ORDER BY item) AS n "
          "FROM escalations WHERE state = 'pending' AND next_attempt_ms <= ?1) e "
          "JOIN users u ON u.jid = e.user JOIN preferences p ON p.jid = e.user JOIN items i ON i.id = e.item "
          "WHERE e.n <= ?3 ORDER BY e.user, e.item LIMIT ?2")
                      .c_str())),
      sending_(db.prepare(
          "UPDATE escalations SET state = 'sending', updated_ms = ?3 WHERE user = ?1 AND item = ?2 "
          "AND state = 'pending'")),
      sent_(db.prepare(
          "UPDATE escalations SET state = 'sent', updated_ms = ?3 WHERE user = ?1 AND item = ?2")),
      failed_(db.prepare(
          "UPDATE escalations SET attempts = attempts + 1, updated_ms = ?3, "
          "state = CASE WHEN ?4 IS NULL THEN 'failed' ELSE 'pending' END, "
          "next_attempt_ms = coalesce(?4, next_attempt_ms) WHERE user = ?1 AND item = ?2")),
      set_secret_(db.prepare("UPDATE users SET webhook_secret = ?2 WHERE jid = ?1 AND webhook_secret IS NULL")),
      get_secret_(db.prepare("SELECT coalesce(webhook_secret, '') FROM users WHERE jid = ?1")),
      prune_settled_(db.prepare(
          "DELETE FROM escalations WHERE (user, item) IN (SELECT user, item FROM escalations "
          "WHERE state != 'pending' AND updated_ms < ?1 ORDER BY updated_ms LIMIT ?2)")) {}

void SqliteEscalationRepository::mark_away(std::string_view user, std::int64_t since_ms) {
    mark_away_.bind(1, user).bind(2, since_ms);
    mark_away_.run();
}

void SqliteEscalationRepository::mark_present(std::string_view user) {
    mark_present_.bind(1, user);
    mark_present_.run();
}

void SqliteEscalationRepository::mark_unknown_away(std::int64_t now_ms) {
    mark_unknown_away_.bind(1, now_ms);
    mark_unknown_away_.run();
}

std::vector<EscalatingUser> SqliteEscalationRepository::escalating_users(std::string_view after, int limit) {
    escalating_users_.bind(1, after).bind(2, static_cast<std::int64_t>(limit));
    std::vector<EscalatingUser> found;
    while (escalating_users_.step())
        found.push_back({escalating_users_.column_text(0), escalating_users_.column_optional_text(1),
                         escalating_users_.column_optional_text(2), escalating_users_.column_optional_text(3)});
    escalating_users_.reset();
    return found;
}

std::vector<EscalationCandidate> SqliteEscalationRepository::due(std::string_view user, std::int64_t now_ms,
                                                                 std::int64_t unit_ms, int min_priority, int limit) {
    due_.bind(1, now_ms).bind(2, unit_ms).bind(3, static_cast<std::int64_t>(limit)).bind(4, user)
        .bind(5, static_cast<std::int64_t>(min_priority));
    std::vector<EscalationCandidate> candidates;
    while (due_.step())
        candidates.push_back({due_.column_text(0), due_.column_int(1), static_cast<int>(due_.column_int(2)),
                              due_.column_text(3)});
    due_.reset();
    return candidates;
}

void SqliteEscalationRepository::claim(const EscalationCandidate& candidate, std::int64_t now_ms) {
    claim_.bind(1, candidate.user).bind(2, candidate.seq).bind(3, candidate.channel).bind(4, now_ms);
    claim_.run();
}

std::int64_t SqliteEscalationRepository::cancel_stale() {
    cancel_stale_.run();
    return sqlite3_changes(db_);
}

std::vector<EscalationBatch> SqliteEscalationRepository::ready(std::int64_t now_ms,
                                                               const std::set<std::string>& busy,
                                                               int max_items_per_batch) {
    constexpr std::int64_t kMaxRows = 10000;
    ready_.bind(1, now_ms).bind(2, kMaxRows).bind(3, static_cast<std::int64_t>(max_items_per_batch));
    std::vector<EscalationBatch> batches;
    while (ready_.step()) {
        const auto user = ready_.column_text(0);
        if (busy.contains(user)) continue;
        if (batches.empty() || batches.back().user != user)
            batches.push_back({user, ready_.column_text(1), ready_.column_text(2),
                               ready_.column_optional_text(3), 0, {}, {}});
        auto& batch = batches.back();
        batch.attempts = std::max(batch.attempts, static_cast<int>(ready_.column_int(4)));
        batch.seqs.push_back(ready_.column_int(5));
        batch.items.push_back(read_item(ready_, 6));
    }
    ready_.reset();
    return batches;
}

void SqliteEscalationRepository::set_state(Statement& update, std::string_view user,
                                           const std::vector<std::int64_t>& seqs, std::int64_t now_ms) {
    for (const auto seq : seqs) {
        update.bind(1, user).bind(2, seq).bind(3, now_ms);
        update.run();
    }
}

std::vector<std::int64_t> SqliteEscalationRepository::sending(std::string_view user,
                                                              const std::vector<std::int64_t>& seqs,
                                                              std::int64_t now_ms) {
    std::vector<std::int64_t> moved;
    for (const auto seq : seqs) {
        sending_.bind(1, user).bind(2, seq).bind(3, now_ms);
        sending_.run();
        if (sqlite3_changes(db_) > 0) moved.push_back(seq);
    }
    return moved;
}

void SqliteEscalationRepository::sent(std::string_view user, const std::vector<std::int64_t>& seqs,
                                      std::int64_t now_ms) {
    set_state(sent_, user, seqs, now_ms);
}

void SqliteEscalationRepository::failed(std::string_view user, const std::vector<std::int64_t>& seqs,
                                        std::int64_t now_ms, std::optional<std::int64_t> retry_at_ms) {
    for (const auto seq : seqs) {
        failed_.bind(1, user).bind(2, seq).bind(3, now_ms);
        if (retry_at_ms) failed_.bind(4, *retry_at_ms);
        else failed_.bind_null(4);
        failed_.run();
    }
}

std::int64_t SqliteEscalationRepository::prune_settled(std::int64_t before_ms, int max_rows) {
    prune_settled_.bind(1, before_ms).bind(2, static_cast<std::int64_t>(max_rows));
    prune_settled_.run();
    return sqlite3_changes(db_);
}

std::string SqliteEscalationRepository::webhook_secret(std::string_view user, const std::string& made_if_absent) {
    set_secret_.bind(1, user).bind(2, made_if_absent);
    set_secret_.run();
    get_secret_.bind(1, user);
    std::string secret = get_secret_.step() ? get_secret_.column_text(0) : std::string();
    get_secret_.reset();
    return secret;
}

// Rare, so prepared when used.
bool SqliteEscalationRepository::replace_webhook_secret(std::string_view user, const std::string& secret) {
    Statement replace(db_, "UPDATE users SET webhook_secret = ?2 WHERE jid = ?1 AND EXISTS "
                           "(SELECT 1 FROM preferences WHERE jid = ?1 AND escalation_channel = 'webhook')");
    replace.bind(1, user).bind(2, secret);
    replace.run();
    return sqlite3_changes(db_) > 0;
}

// Issue 15 part A (removing a user): rare, so prepared when used.
void SqliteEscalationRepository::remove_user(std::string_view user) {
    Statement remove(db_, "DELETE FROM escalations WHERE user = ?1");
    remove.bind(1, user);
    remove.run();
}

}  // namespace herald::storage
