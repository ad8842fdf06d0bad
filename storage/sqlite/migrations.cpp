#include "storage/sqlite/migrations.h"

#include <array>
#include <string>

#include <sqlite3.h>

#include "storage/sqlite/database.h"
#include "storage/sqlite/statement.h"
#include "storage/storage_error.h"

namespace herald::storage {
namespace {

// Each entry moves the schema from version N to N+1. Never edit a released
// entry: append a new one.
constexpr std::array kMigrations = {
    R"sql(
    CREATE TABLE users (
        jid            TEXT PRIMARY KEY NOT NULL,
        email          TEXT,
        registered_at  INTEGER NOT NULL
    ) WITHOUT ROWID;
    )sql",
    R"sql(
    ALTER TABLE users ADD COLUMN dropped_unreported INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE nodes (
        name           TEXT PRIMARY KEY NOT NULL,
        owner          TEXT NOT NULL,
        publish_model  TEXT NOT NULL,
        personal       INTEGER NOT NULL,
        created_at     INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE affiliations (
        node         TEXT NOT NULL REFERENCES nodes(name) ON DELETE CASCADE,
        jid          TEXT NOT NULL,
        affiliation  TEXT NOT NULL,
        PRIMARY KEY (node, jid)
    ) WITHOUT ROWID;
    CREATE TABLE subscriptions (
        node        TEXT NOT NULL REFERENCES nodes(name) ON DELETE CASCADE,
        jid         TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        PRIMARY KEY (node, jid)
    ) WITHOUT ROWID;
    CREATE INDEX subscriptions_by_jid ON subscriptions (jid, node);
    CREATE TABLE items (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        item_id       TEXT NOT NULL UNIQUE,
        node          TEXT NOT NULL,
        publisher     TEXT NOT NULL,
        payload       TEXT NOT NULL,
        title         TEXT NOT NULL,
        body          TEXT NOT NULL,
        link          TEXT NOT NULL,
        priority      INTEGER NOT NULL,
        published_ms  INTEGER NOT NULL,
        expires_ms    INTEGER
    );
    CREATE INDEX items_by_node ON items (node, id);
    CREATE TABLE queue (
        user         TEXT NOT NULL,
        item         INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        priority     INTEGER NOT NULL,
        expires_ms   INTEGER,
        PRIMARY KEY (user, item)
    ) WITHOUT ROWID;
    CREATE INDEX queue_by_expiry ON queue (expires_ms) WHERE expires_ms IS NOT NULL;
    CREATE TABLE history (
        user     TEXT NOT NULL,
        item     INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        outcome  TEXT NOT NULL,
        at_ms    INTEGER NOT NULL,
        PRIMARY KEY (user, item)
    ) WITHOUT ROWID;
    )sql",
    R"sql(
    CREATE TABLE preferences (
        jid                 TEXT PRIMARY KEY NOT NULL REFERENCES users(jid) ON DELETE CASCADE,
        message_type        TEXT,
        dnd_holds           TEXT NOT NULL DEFAULT 'normal',
        quiet_start         TEXT,
        quiet_end           TEXT,
        quiet_zone          TEXT,
        escalation_channel  TEXT NOT NULL DEFAULT 'none',
        escalation_minutes  INTEGER NOT NULL DEFAULT 0,
        escalation_target   TEXT,
        paused              INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE INDEX history_by_user_time ON history (user, at_ms);
    )sql",
    R"sql(
    CREATE TABLE node_tokens (
        digest      TEXT PRIMARY KEY NOT NULL,
        node        TEXT NOT NULL REFERENCES nodes(name) ON DELETE CASCADE,
        label       TEXT NOT NULL,
        created_by  TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        UNIQUE (node, label)
    ) WITHOUT ROWID;
    )sql",
    R"sql(
    CREATE TABLE feeds (
        node              TEXT PRIMARY KEY NOT NULL REFERENCES nodes(name) ON DELETE CASCADE,
        url               TEXT NOT NULL UNIQUE,
        title             TEXT NOT NULL,
        interval_seconds  INTEGER NOT NULL,
        etag              TEXT,
        last_modified     TEXT,
        primed            INTEGER NOT NULL DEFAULT 0,
        failures          INTEGER NOT NULL DEFAULT 0,
        last_error        TEXT,
        created_at        INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE feed_seen (
        node      TEXT NOT NULL REFERENCES feeds(node) ON DELETE CASCADE,
        item_key  TEXT NOT NULL,
        seen_ms   INTEGER NOT NULL,
        PRIMARY KEY (node, item_key)
    ) WITHOUT ROWID;
    CREATE INDEX feed_seen_by_age ON feed_seen (node, seen_ms);
    )sql",
    R"sql(
    ALTER TABLE users ADD COLUMN away_since_ms INTEGER;
    ALTER TABLE users ADD COLUMN webhook_secret TEXT;
    ALTER TABLE preferences ADD COLUMN escalation_min_priority INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE escalations (
        user             TEXT NOT NULL,
        item             INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        channel          TEXT NOT NULL,
        state            TEXT NOT NULL,
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_ms  INTEGER NOT NULL,
        updated_ms       INTEGER NOT NULL,
        PRIMARY KEY (user, item)
    ) WITHOUT ROWID;
    CREATE INDEX escalations_pending ON escalations (next_attempt_ms) WHERE state = 'pending';
    CREATE INDEX users_away ON users (away_since_ms) WHERE away_since_ms IS NOT NULL;
    )sql",
    // Item ids are unique per topic: an id taken on one topic does not block
    // another. SQLite cannot drop a column constraint, so the table is rebuilt
    // (foreign keys are off while migrating; ids, and so queue, history and
    // escalation references, are kept, and so is the id sequence).
    R"sql(
    CREATE TABLE items_per_node (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        item_id       TEXT NOT NULL,
        node          TEXT NOT NULL,
        publisher     TEXT NOT NULL,
        payload       TEXT NOT NULL,
        title         TEXT NOT NULL,
        body          TEXT NOT NULL,
        link          TEXT NOT NULL,
        priority      INTEGER NOT NULL,
        published_ms  INTEGER NOT NULL,
        expires_ms    INTEGER,
        UNIQUE (node, item_id)
    );
    INSERT INTO items_per_node SELECT id, item_id, node, publisher, payload, title, body, link, priority,
        published_ms, expires_ms FROM items;
    UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'items'), 0))
        WHERE name = 'items_per_node';
    DROP TABLE items;
    ALTER TABLE items_per_node RENAME TO items;
    CREATE INDEX items_by_node ON items (node, id);
    )sql",
    // The service's counts, kept by triggers in the same transaction as the
    // rows, so /metrics and the admin statistics read a few rows instead of
    // scanning history. Outcomes are totals: pruning history does not
    // lower them.
    R"sql(
    CREATE TABLE counters (
        name   TEXT PRIMARY KEY NOT NULL,
        value  INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO counters (name, value) VALUES
        ('users', (SELECT count(*) FROM users)),
        ('topics', (SELECT count(*) FROM nodes WHERE personal = 0)),
        ('queued', (SELECT count(*) FROM queue));
    INSERT INTO counters (name, value) SELECT 'outcome ' || outcome, count(*) FROM history GROUP BY outcome;
    CREATE TRIGGER count_user_added AFTER INSERT ON users
        BEGIN UPDATE counters SET value = value + 1 WHERE name = 'users'; END;
    CREATE TRIGGER count_user_removed AFTER DELETE ON users
        BEGIN UPDATE counters SET value = value - 1 WHERE name = 'users'; END;
    CREATE TRIGGER count_topic_added AFTER INSERT ON nodes WHEN NEW.personal = 0
        BEGIN UPDATE counters SET value = value + 1 WHERE name = 'topics'; END;
    CREATE TRIGGER count_topic_removed AFTER DELETE ON nodes WHEN OLD.personal = 0
        BEGIN UPDATE counters SET value = value - 1 WHERE name = 'topics'; END;
    CREATE TRIGGER count_queued AFTER INSERT ON queue
        BEGIN UPDATE counters SET value = value + 1 WHERE name = 'queued'; END;
    CREATE TRIGGER count_dequeued AFTER DELETE ON queue
        BEGIN UPDATE counters SET value = value - 1 WHERE name = 'queued'; END;
    CREATE TRIGGER count_outcome AFTER INSERT ON history
        BEGIN INSERT INTO counters (name, value) VALUES ('outcome ' || NEW.outcome, 1)
              ON CONFLICT (name) DO UPDATE SET value = value + 1; END;
    )sql",
    // Retention: find old outcomes by age, and whether anything still refers
    // to an item (also what its deletion cascades to) without scanning.
    R"sql(
    CREATE INDEX history_by_time ON history (at_ms);
    CREATE INDEX history_by_item ON history (item);
    CREATE INDEX queue_by_item ON queue (item);
    CREATE INDEX escalations_by_item ON escalations (item);
    CREATE INDEX escalations_settled ON escalations (updated_ms) WHERE state != 'pending';
    )sql",
    // Acknowledgements: what the publisher asked, who acknowledged and when,
    // and one row per recipient of an item that needs one (kept once
    // acknowledged, for history).
    R"sql(
    ALTER TABLE items ADD COLUMN ack_required INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE items ADD COLUMN renotify_seconds INTEGER;
    ALTER TABLE items ADD COLUMN ack_callback TEXT;
    ALTER TABLE items ADD COLUMN callback_key TEXT;
    ALTER TABLE items ADD COLUMN ack_reply_to TEXT;
    ALTER TABLE items ADD COLUMN acknowledged_by TEXT;
    ALTER TABLE items ADD COLUMN acknowledged_ms INTEGER;
    ALTER TABLE nodes ADD COLUMN ack_default INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE ack_recipients (
        user               TEXT NOT NULL,
        item               INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        priority           INTEGER NOT NULL,
        delivered_ms       INTEGER,
        last_delivered_ms  INTEGER,
        remind_at_ms       INTEGER,
        settled            INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (user, item)
    ) WITHOUT ROWID;
    CREATE INDEX ack_recipients_by_item ON ack_recipients (item);
    CREATE INDEX ack_recipients_open ON ack_recipients (user, item) WHERE settled = 0;
    CREATE INDEX ack_recipients_last_seen ON ack_recipients (user, last_delivered_ms);
    CREATE INDEX ack_recipients_reminders ON ack_recipients (remind_at_ms) WHERE remind_at_ms IS NOT NULL;
    )sql",
};

// Restores the connection's foreign-key enforcement when the migration ends.
class ForeignKeysOff {
public:
    explicit ForeignKeysOff(Database& db) : db_(db) {
        Statement state = db.prepare("PRAGMA foreign_keys");
        was_on_ = state.step() && state.column_int(0) != 0;
        db_.execute("PRAGMA foreign_keys=OFF");
    }
    ~ForeignKeysOff() {
        if (was_on_) sqlite3_exec(db_.handle(), "PRAGMA foreign_keys=ON", nullptr, nullptr, nullptr);
    }
    ForeignKeysOff(const ForeignKeysOff&) = delete;
    ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;

private:
    Database& db_;
    bool was_on_ = false;
};

}  // namespace

int latest_schema_version() { return static_cast<int>(kMigrations.size()); }

std::string_view migration_sql(int version) { return kMigrations.at(static_cast<size_t>(version)); }

void migrate(Database& db) {
    int version = db.schema_version();
    if (version > latest_schema_version())
        throw StorageError("database schema version " + std::to_string(version) +
                               " is newer than this herald (" +
                               std::to_string(latest_schema_version()) + ")",
                           false);
    if (version == latest_schema_version()) return;
    // A table rebuild must not cascade into its children: foreign keys are off
    // while migrating (the pragma is ignored inside a transaction) and checked
    // before each step commits.
    const ForeignKeysOff foreign_keys_off(db);
    while (version < latest_schema_version()) {
        Transaction transaction(db);
        db.execute(kMigrations[static_cast<size_t>(version)]);
        if (Statement violations = db.prepare("PRAGMA foreign_key_check"); violations.step())
            throw StorageError("schema migration " + std::to_string(version + 1) + " breaks a reference in " +
                                   violations.column_text(0),
                               false);
        ++version;
        // PRAGMA takes no bound parameters; the value is our own integer.
        db.execute(("PRAGMA user_version=" + std::to_string(version)).c_str());
        transaction.commit();
    }
}

}  // namespace herald::storage
