#include "storage/postgresql/postgresql_instance_repository.h"

namespace herald::storage {

using namespace pg;

namespace {

// The work no user owns is done by the session holding this lock.
constexpr std::int64_t kLeaderLock = 0x6865'7261'6c64'0002;  // "herald", the leader
// pg_locks shows a bigint advisory key as two halves.
constexpr std::int64_t kLeaderLockHigh = kLeaderLock >> 32;
constexpr std::int64_t kLeaderLockLow = kLeaderLock & 0xffff'ffff;

}  // namespace

PostgresqlInstanceRepository::PostgresqlInstanceRepository(Connection& connection, InstanceIdentity identity)
    : identity_(std::move(identity)),
      replaced_by_living_(connection,
                          "SELECT EXISTS (SELECT 1 FROM instances me JOIN instances other ON other.name = "
                          "me.replaced_by WHERE me.name = $1 AND other.last_seen_ms >= $2::bigint - $3::bigint)"),
      record_start_(connection,
                    "INSERT INTO instances (name, serving, started_ms, last_seen_ms) VALUES ($1, $2, $3, $3) "
                    "ON CONFLICT (name) DO UPDATE SET serving = $2, started_ms = $3, last_seen_ms = $3, "
                    "replaced_by = CASE WHEN $2 THEN NULL ELSE instances.replaced_by END"),
      heartbeat_(connection, "UPDATE instances SET serving = $2, last_seen_ms = $3 WHERE name = $1"),
      // Taken once and kept: asking again must not stack a second hold.
      lead_(connection,
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND pid = pg_backend_pid() AND classid::bigint = $2::bigint AND objid::bigint = $3::bigint "
            "AND objsubid = 1) THEN true ELSE pg_try_advisory_lock($1) END"),
      release_silent_(connection,
                      "UPDATE users SET away_since_ms = i.last_seen_ms, present_on = NULL FROM instances i "
                      "WHERE users.present_on = i.name AND i.name <> $1 AND i.last_seen_ms < $2::bigint - $3::bigint "
                      "AND users.away_since_ms IS NULL"),
      mark_replaced_(connection,
                     "UPDATE instances SET serving = false, replaced_by = $1 WHERE name = ("
                     "SELECT name FROM instances WHERE serving AND name <> $1 "
                     "AND last_seen_ms < $2::bigint - $3::bigint ORDER BY last_seen_ms, name LIMIT 1 "
                     "FOR UPDATE SKIP LOCKED) RETURNING name, last_seen_ms"),
      serve_(connection, "UPDATE instances SET serving = true, replaced_by = NULL WHERE name = $1"),
      list_(connection, "SELECT name, serving, started_ms, last_seen_ms, replaced_by FROM instances ORDER BY name") {}

bool PostgresqlInstanceRepository::join(bool standby, std::int64_t now_ms) {
    const bool serving =
        !standby && !replaced_by_living_.run(identity_.name, now_ms, identity_.dead_after_ms).boolean(0, 0);
    record_start_.run(identity_.name, serving, now_ms);
    return serving;
}

void PostgresqlInstanceRepository::heartbeat(bool serving, std::int64_t now_ms) {
    heartbeat_.run(identity_.name, serving, now_ms);
}

bool PostgresqlInstanceRepository::lead() {
    return lead_.run(kLeaderLock, kLeaderLockHigh, kLeaderLockLow).boolean(0, 0);
}

std::int64_t PostgresqlInstanceRepository::release_silent(std::int64_t now_ms) {
    return release_silent_.run(identity_.name, now_ms, identity_.dead_after_ms).affected();
}

std::optional<SilentInstance> PostgresqlInstanceRepository::take_over(std::int64_t now_ms) {
    const auto silent = mark_replaced_.run(identity_.name, now_ms, identity_.dead_after_ms);
    if (silent.empty()) return std::nullopt;
    serve_.run(identity_.name);
    return SilentInstance{silent.text(0, 0), silent.integer(0, 1)};
}

std::vector<InstanceRecord> PostgresqlInstanceRepository::instances() {
    const auto rows = list_.run();
    std::vector<InstanceRecord> found;
    for (int row = 0; row < rows.rows(); ++row)
        found.push_back({rows.text(row, 0), rows.boolean(row, 1), rows.integer(row, 2), rows.integer(row, 3),
                         rows.optional_text(row, 4)});
    return found;
}

}  // namespace herald::storage
