#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// What the operator configured, as plain values: read from YAML by
// component/config (the only place that knows the file format).
namespace herald::routing {

// Mail for escalation (agents/mail_agent). No host: mail escalation is off.
struct SmtpSettings {
    std::string host;
    int port = 25;
    std::string security = "starttls";  // none, starttls, tls
    std::string username;
    std::string password;               // from password_file or password_env; never logged
    std::string from;
    int timeout_seconds = 30;
};

struct EscalationSettings {
    std::int64_t check_seconds = 30;
    // How long one minute of a user's escalation delay lasts; shortened in
    // tests and demos only.
    double delay_unit_seconds = 60;
    // After (re)connecting, presence is unknown: wait this long for it.
    std::int64_t startup_grace_seconds = 15;
    int max_attempts = 5;
    std::int64_t retry_seconds = 30;  // doubled at each failed attempt, at most an hour
    int digest_max_items = 50;
    int webhook_timeout_seconds = 10;
    bool allow_private_addresses = false;  // webhooks to loopback or private networks
};

// What storage keeps, pruned in small batches (routing/retention).
struct RetentionSettings {
    std::int64_t history_days = 30;         // outcomes (and settled escalations) older go
    std::int64_t history_per_user = 1000;   // and past each user's newest this many
    std::int64_t items_per_topic = 100;     // items nothing else needs: each topic keeps its newest
    std::int64_t check_seconds = 3600;      // how often a pass starts
    int batch_rows = 500;                   // rows deleted per storage job
};

// The link to ejabberd (section component).
struct ComponentSettings {
    std::string jid;                    // e.g. notify.example.org
    std::string server_host = "127.0.0.1";
    int server_port = 5347;
    std::string secret;                 // never logged
    double reconnect_initial_seconds = 0.5;
    double reconnect_max_seconds = 30.0;
};

// Where Herald keeps its state (section storage); storage/backend_factory
// opens it.
struct DatabaseSettings {
    std::string backend = "sqlite";  // storage/backend_factory checks the name
    std::string path = "herald.db";  // the SQLite file
    // storage.postgresql: a libpq connection string or URI (required with
    // the postgresql backend) and a file whose first line is the password.
    std::string postgresql_connection;
    std::string postgresql_password_file;
};

struct RegistrationSettings {
    bool register_on_subscribe = true;
    // Domains whose users may register ("*": any domain); empty: the
    // component's parent domain (notify.example.org: users @example.org).
    std::vector<std::string> allowed_domains;
};

struct PubsubSettings {
    bool only_admins_create_nodes = false;
    std::size_t max_payload_bytes = 64 * 1024;
    std::size_t max_node_name_length = 200;
    std::int64_t default_ttl_seconds = 7 * 24 * 3600;  // 0: items never expire
    int max_items_returned = 100;
    // Public topics per disco#items page (XEP-0059 pages past it).
    std::size_t disco_page_size = 100;
    std::int64_t max_ttl_seconds = 365 * 24 * 3600;  // a longer ttl is refused
};

struct DeliverySettings {
    int window = 64;  // unconfirmed messages per resource
    std::int64_t max_queue_per_user = 10000;
    std::string message_type = "chat";  // or "headline"
    // How often expired items leave the queues and quiet hours are looked at.
    std::int64_t expiry_check_seconds = 30;
    // A message neither receipted nor covered by an answered ping after this
    // is sent again.
    std::int64_t confirm_timeout_seconds = 30;
};

struct LimitsSettings {
    // Per bare JID: IQ sets (publishes, commands, registration) and chat
    // commands; bursts of twice this pass, then resource-constraint.
    double requests_per_second = 50;
    // Any stanza from a user, serialized: policy-violation past it.
    std::size_t max_stanza_bytes = 128 * 1024;
    // Per data form (ad-hoc commands, publish-options, node configuration):
    // not-acceptable past them.
    std::size_t max_form_fields = 64;
    std::size_t max_form_value_bytes = 8192;
    // Bytes handed to the link to ejabberd and not yet taken by TCP: past it
    // no delivery is read from storage until half of it is written.
    std::size_t outbox_bytes = 4 * 1024 * 1024;
    // Storage jobs waiting: past it publishes are refused (HTTP 503, IQ
    // resource-constraint wait) instead of queued.
    std::size_t storage_queue_jobs = 10000;
    // Per user (admins are not limited); past them creating is refused.
    std::int64_t max_topics_per_user = 50;
    std::int64_t max_feeds_per_user = 50;
    std::int64_t max_tokens_per_user = 20;
};

struct HttpSettings {
    bool enabled = false;
    std::string address = "127.0.0.1";
    int port = 8480;
    std::size_t max_body_bytes = 64 * 1024;
    double publishes_per_second = 20;
};

// RSS/Atom feeds users add; each polled no more often than the floor.
struct FeedSettings {
    bool enabled = true;
    std::int64_t min_interval_seconds = 300;
    std::int64_t default_interval_seconds = 1800;
    std::size_t max_response_bytes = 5 * 1024 * 1024;
    std::int64_t timeout_seconds = 30;
    std::int64_t max_redirects = 5;
    // Private, loopback and link-local addresses (refused unless on: a user
    // could otherwise make Herald fetch from inside the network).
    bool allow_private_addresses = false;
};

// Several instances sharing one PostgreSQL database behind an ejabberd
// cluster (section cluster). No instance name: one instance, as before.
struct ClusterSettings {
    std::string instance;  // this instance's unique name
    bool standby = false;  // takes a dead instance's place instead of serving at start
    std::int64_t heartbeat_seconds = 2;
    std::int64_t dead_after_seconds = 10;
    std::int64_t rescan_seconds = 60;
    bool enabled() const { return !instance.empty(); }
};

struct LogSettings {
    std::string level = "info";
    std::optional<std::string> file;
};

// One member per section of the configuration file.
struct Settings {
    ComponentSettings component;
    DatabaseSettings storage;
    RegistrationSettings registration;
    std::vector<std::string> admins;    // bare JIDs
    PubsubSettings pubsub;
    DeliverySettings delivery;
    LimitsSettings limits;
    HttpSettings http;
    SmtpSettings smtp;
    EscalationSettings escalation;
    RetentionSettings retention;
    FeedSettings feeds;
    ClusterSettings cluster;
    LogSettings log;
};

}  // namespace herald::routing
