#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "component/admin_command.h"
#include "component/config.h"

using herald::component::load_config_file;
using herald::component::load_config_text;

namespace {

const char* kValid = R"(component:
  jid: notify.localhost
  server: 127.0.0.1
  port: 5999
  secret: s3cret
storage:
  database: /tmp/herald-test.db
registration:
  register_on_subscribe: false
admins: [admin@localhost]
log:
  level: debug
)";

bool has_error(const herald::component::ConfigResult& result, int line, const std::string& text) {
    for (const auto& error : result.errors)
        if (error.line == line && error.message.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST(Config, ReadsEverySetting) {
    const auto result = load_config_text(kValid);
    ASSERT_TRUE(result.errors.empty()) << result.errors.front().message;
    const auto& config = *result.config;
    EXPECT_EQ(config.component.jid, "notify.localhost");
    EXPECT_EQ(config.component.server_port, 5999);
    EXPECT_EQ(config.component.secret, "s3cret");
    EXPECT_EQ(config.storage.path, "/tmp/herald-test.db");
    EXPECT_FALSE(config.registration.register_on_subscribe);
    EXPECT_EQ(config.admins, std::vector<std::string>{"admin@localhost"});
    EXPECT_EQ(config.log.level, "debug");
}

TEST(Config, DefaultsApplyWhenOmitted) {
    const auto result = load_config_text("component:\n  jid: notify.localhost\n  secret: x\n");
    ASSERT_TRUE(result.config);
    EXPECT_EQ(result.config->component.server_host, "127.0.0.1");
    EXPECT_EQ(result.config->component.server_port, 5347);
    EXPECT_TRUE(result.config->registration.register_on_subscribe);
    EXPECT_EQ(result.config->log.level, "info");
}

TEST(Config, ReportsEveryErrorWithItsLine) {
    const auto result = load_config_text(R"(component:
  jid: not a domain
  port: 70000
  secret: x
  colour: blue
storage:
  database: [1, 2]
log:
  level: loud
admins: [nobody]
extras: {}
)");
    EXPECT_FALSE(result.config);
    EXPECT_TRUE(has_error(result, 2, "component.jid")) ;
    EXPECT_TRUE(has_error(result, 3, "between 1 and 65535"));
    EXPECT_TRUE(has_error(result, 5, "unknown setting 'component.colour'"));
    EXPECT_TRUE(has_error(result, 7, "storage.database"));
    EXPECT_TRUE(has_error(result, 9, "'loud'"));
    EXPECT_TRUE(has_error(result, 10, "not a bare JID"));
    EXPECT_TRUE(has_error(result, 11, "unknown section 'extras'"));
    EXPECT_EQ(result.errors.size(), 7u);
}

TEST(Config, RequiresJidAndExactlyOneSecret) {
    auto missing = load_config_text("component:\n  port: 5347\n");
    EXPECT_TRUE(has_error(missing, 2, "missing required setting 'component.jid'"));
    EXPECT_TRUE(has_error(missing, 2, "one of secret, secret_file or secret_env is required"));
    auto both = load_config_text("component:\n  jid: a.b\n  secret: x\n  secret_env: HOME\n");
    EXPECT_TRUE(has_error(both, 2, "only one of"));
    EXPECT_TRUE(has_error(load_config_text("storage: {}\n"), 1, "missing required section 'component'"));
}

TEST(Config, ReportsYamlSyntaxErrorsWithLine) {
    const auto result = load_config_text("component:\n  jid: a.b\n  secret: [unclosed\n");
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_GT(result.errors.front().line, 0);
}

TEST(Config, ReadsSecretFromFileRelativeToConfigAndFromEnvironment) {
    const auto dir = std::filesystem::temp_directory_path() / "herald-config-test";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "secret") << "from-file\n";
    std::ofstream(dir / "herald.yaml") << "component:\n  jid: a.b\n  secret_file: secret\n";
    const auto from_file = load_config_file((dir / "herald.yaml").string());
    ASSERT_TRUE(from_file.config);
    EXPECT_EQ(from_file.config->component.secret, "from-file");

    std::ofstream(dir / "missing.yaml") << "component:\n  jid: a.b\n  secret_file: nope\n";
    EXPECT_TRUE(has_error(load_config_file((dir / "missing.yaml").string()), 3, "cannot read"));

    ::setenv("HERALD_TEST_SECRET", "from-env", 1);
    const auto from_env = load_config_text("component:\n  jid: a.b\n  secret_env: HERALD_TEST_SECRET\n");
    ASSERT_TRUE(from_env.config);
    EXPECT_EQ(from_env.config->component.secret, "from-env");
    EXPECT_TRUE(has_error(load_config_text("component:\n  jid: a.b\n  secret_env: HERALD_UNSET_VAR\n"),
                          3, "is not set"));
    std::filesystem::remove_all(dir);
}

TEST(Config, ProgramsThatNeverConnectSkipTheSecret) {
    using herald::component::ComponentSecret;
    const auto unset = load_config_text("component:\n  jid: a.b\n  secret_env: HERALD_UNSET_VAR\nhttp:\n  port: 9000\n",
                                        ".", ComponentSecret::skip);
    ASSERT_TRUE(unset.config) << (unset.errors.empty() ? "" : unset.errors.front().message);
    EXPECT_EQ(unset.config->component.secret, "");
    EXPECT_EQ(unset.config->http.port, 9000);
    EXPECT_TRUE(load_config_text("component:\n  jid: a.b\n  secret_file: /nonexistent\n", ".", ComponentSecret::skip).config);
    EXPECT_FALSE(load_config_text("component:\n  jid: a.b\n", ".", ComponentSecret::skip).config)
        << "the file must still name a secret";
}

TEST(Config, ExampleFileInRepositoryIsValidButForItsSecretFile) {
    const auto result = load_config_file(std::string(HERALD_SOURCE_DIR) + "/herald.example.yaml");
    // The example points at /etc/herald/component.secret, absent on a build machine.
    for (const auto& error : result.errors) EXPECT_NE(error.message.find("secret_file"), std::string::npos) << error.message;
}

TEST(Config, ReadsPubsubAndDeliverySettings) {
    const auto result = load_config_text(R"(component: {jid: a.b, secret: x}
pubsub:
  create_nodes: admins
  max_payload_bytes: 1000
  default_ttl_seconds: 0
delivery:
  window: 8
  max_queue_per_user: 50
  message_type: headline
  confirm_timeout_seconds: 5
)");
    ASSERT_TRUE(result.config) << result.errors.front().message;
    EXPECT_TRUE(result.config->pubsub.only_admins_create_nodes);
    EXPECT_EQ(result.config->pubsub.max_payload_bytes, 1000u);
    EXPECT_EQ(result.config->pubsub.default_ttl_seconds, 0);
    EXPECT_EQ(result.config->delivery.window, 8);
    EXPECT_EQ(result.config->delivery.max_queue_per_user, 50);
    EXPECT_EQ(result.config->delivery.message_type, "headline");
    EXPECT_EQ(result.config->delivery.confirm_timeout_seconds, 5);

    const auto bad = load_config_text(
        "component: {jid: a.b, secret: x}\ndelivery:\n  window: 0\n  message_type: loud\npubsub:\n  create_nodes: all\n");
    EXPECT_TRUE(has_error(bad, 3, "must be positive"));
    EXPECT_TRUE(has_error(bad, 4, "'loud'"));
    EXPECT_TRUE(has_error(bad, 6, "'all'"));
}

TEST(Config, ReadsFeedSettingsAndRefusesBadOnes) {
    const std::string base = "component:\n  jid: notify.localhost\n  secret: s\n";
    const auto defaults = load_config_text(base);
    ASSERT_TRUE(defaults.config);
    EXPECT_TRUE(defaults.config->feeds.enabled);
    EXPECT_FALSE(defaults.config->feeds.allow_private_addresses) << "private addresses are refused by default";
    EXPECT_EQ(defaults.config->feeds.min_interval_seconds, 300);

    const auto result = load_config_text(base + "feeds:\n  enabled: false\n  min_interval_seconds: 10\n"
                                                "  default_interval_seconds: 60\n  max_response_bytes: 1000\n"
                                                "  timeout_seconds: 5\n  max_redirects: 0\n"
                                                "  allow_private_addresses: true\n");
    ASSERT_TRUE(result.config) << result.errors.front().message;
    const auto& config = *result.config;
    EXPECT_FALSE(config.feeds.enabled);
    EXPECT_EQ(config.feeds.min_interval_seconds, 10);
    EXPECT_EQ(config.feeds.default_interval_seconds, 60);
    EXPECT_EQ(config.feeds.max_response_bytes, 1000u);
    EXPECT_EQ(config.feeds.timeout_seconds, 5);
    EXPECT_EQ(config.feeds.max_redirects, 0);
    EXPECT_TRUE(config.feeds.allow_private_addresses);

    const auto bad = load_config_text(base + "feeds:\n  min_interval_seconds: 0\n  timeout_seconds: soon\n"
                                             "  allow_private_addresses: maybe\n  poll_everything: true\n");
    EXPECT_FALSE(bad.config);
    EXPECT_TRUE(has_error(bad, 5, "feeds.min_interval_seconds: must be positive"));
    EXPECT_TRUE(has_error(bad, 6, "feeds.timeout_seconds: expected a whole number"));
    EXPECT_TRUE(has_error(bad, 7, "feeds.allow_private_addresses: expected true or false"));
    EXPECT_TRUE(has_error(bad, 8, "unknown setting 'feeds.poll_everything'"));
    const auto inverted = load_config_text(base + "feeds:\n  min_interval_seconds: 600\n  default_interval_seconds: 60\n");
    EXPECT_TRUE(has_error(inverted, 5, "default_interval_seconds is below min_interval_seconds"));
}

TEST(Config, ReadsStanzaAndFormLimits) {
    const auto result = load_config_text(R"(component: {jid: a.b, secret: x}
limits:
  requests_per_second: 5
  max_stanza_bytes: 4096
  max_form_fields: 10
  max_form_value_bytes: 100
  outbox_bytes: 65536
  storage_queue_jobs: 3
)");
    ASSERT_TRUE(result.config) << result.errors.front().message;
    EXPECT_EQ(result.config->limits.outbox_bytes, 65536u);
    EXPECT_EQ(result.config->limits.storage_queue_jobs, 3u);
    EXPECT_EQ(result.config->limits.requests_per_second, 5);
    EXPECT_EQ(result.config->limits.max_stanza_bytes, 4096u);
    EXPECT_EQ(result.config->limits.max_form_fields, 10u);
    EXPECT_EQ(result.config->limits.max_form_value_bytes, 100u);

    const auto bad = load_config_text("component: {jid: a.b, secret: x}\nlimits:\n  max_stanza_bytes: 0\n"
                                      "  max_form_fields: -1\n  max_form_value_bytes: lots\n");
    EXPECT_TRUE(has_error(bad, 3, "must be positive"));
    EXPECT_TRUE(has_error(bad, 4, "must be positive"));
    EXPECT_TRUE(has_error(bad, 5, "a whole number"));
}

TEST(Config, ReadsRegistrationDomainsUserCapsAndTtlBound) {
    const auto defaults = load_config_text("component: {jid: a.b, secret: x}\n");
    ASSERT_TRUE(defaults.config);
    EXPECT_TRUE(defaults.config->registration.allowed_domains.empty()) << "empty: the component's parent domain";
    EXPECT_EQ(defaults.config->pubsub.max_ttl_seconds, 365 * 24 * 3600);
    EXPECT_GT(defaults.config->limits.max_topics_per_user, 0);

    const auto result = load_config_text(R"(component: {jid: a.b, secret: x}
registration:
  allowed_domains: [example.org, "*"]
pubsub:
  max_ttl_seconds: 86400
  default_ttl_seconds: 3600
limits:
  max_topics_per_user: 3
  max_feeds_per_user: 0
  max_tokens_per_user: 7
)");
    ASSERT_TRUE(result.config) << result.errors.front().message;
    EXPECT_EQ(result.config->registration.allowed_domains, (std::vector<std::string>{"example.org", "*"}));
    EXPECT_EQ(result.config->pubsub.max_ttl_seconds, 86400);
    EXPECT_EQ(result.config->limits.max_topics_per_user, 3);
    EXPECT_EQ(result.config->limits.max_feeds_per_user, 0);
    EXPECT_EQ(result.config->limits.max_tokens_per_user, 7);

    const auto bad = load_config_text("component: {jid: a.b, secret: x}\nregistration:\n  allowed_domains: example.org\n"
                                      "pubsub:\n  max_ttl_seconds: 60\nlimits:\n  max_topics_per_user: -1\n");
    EXPECT_TRUE(has_error(bad, 3, "expected a list of domains"));
    EXPECT_TRUE(has_error(bad, 7, "must not be negative"));
    EXPECT_TRUE(has_error(bad, 5, "default_ttl_seconds is above max_ttl_seconds"));
    EXPECT_TRUE(has_error(load_config_text("component: {jid: a.b, secret: x}\nregistration:\n  allowed_domains: [\"a@b\"]\n"),
                          3, "is not a domain"));
}

TEST(Config, ReadsRetentionWithSaneDefaults) {
    const auto defaults = load_config_text("component:\n  jid: notify.example.org\n  secret: s\n");
    ASSERT_TRUE(defaults.config);
    EXPECT_EQ(defaults.config->retention.history_days, 30);
    EXPECT_EQ(defaults.config->retention.batch_rows, 500);
    const auto set = load_config_text(
        "component:\n  jid: notify.example.org\n  secret: s\nretention:\n  history_days: 7\n  history_per_user: 200\n"
        "  items_per_topic: 20\n  check_seconds: 60\n  batch_rows: 100\n");
    ASSERT_TRUE(set.config) << set.errors.at(0).message;
    EXPECT_EQ(set.config->retention.history_days, 7);
    EXPECT_EQ(set.config->retention.history_per_user, 200);
    EXPECT_EQ(set.config->retention.items_per_topic, 20);
    EXPECT_EQ(set.config->retention.check_seconds, 60);
    EXPECT_EQ(set.config->retention.batch_rows, 100);
    EXPECT_FALSE(load_config_text("component:\n  jid: notify.example.org\n  secret: s\nretention:\n  history_days: 0\n").config);
}

TEST(Config, ReadsThePostgresqlBackendAndRequiresItsConnection) {
    const auto dir = std::filesystem::temp_directory_path() / ("herald-config-pg-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "pg.password") << "pg-s3cret\n";
    const auto config = load_config_text(R"(component:
  jid: notify.localhost
  secret: s3cret
storage:
  backend: postgresql
  postgresql:
    connection: postgresql://herald@db.example.org/herald
    password_file: pg.password
)",
                                         dir.string());
    ASSERT_TRUE(config.config) << config.errors.front().message;
    EXPECT_EQ(config.config->storage.backend, "postgresql");
    EXPECT_EQ(config.config->storage.postgresql_connection, "postgresql://herald@db.example.org/herald");
    EXPECT_EQ(config.config->storage.postgresql_password_file, (dir / "pg.password").string()) << "relative to the config";
    const auto settings = herald::component::storage_settings(*config.config);
    EXPECT_EQ(settings.backend, "postgresql");
    EXPECT_EQ(settings.postgresql_connection, "postgresql://herald@db.example.org/herald");

    const auto missing = load_config_text("component:\n  jid: a.b\n  secret: s\nstorage:\n  backend: postgresql\n");
    EXPECT_TRUE(has_error(missing, 5, "backend postgresql needs postgresql.connection")) << missing.errors.size();
    const auto unreadable = load_config_text(
        "component:\n  jid: a.b\n  secret: s\nstorage:\n  backend: postgresql\n  postgresql:\n"
        "    connection: dbname=herald\n    password_file: /nonexistent/pg.password\n    colour: blue\n");
    EXPECT_TRUE(has_error(unreadable, 8, "storage.postgresql.password_file: cannot read"));
    EXPECT_TRUE(has_error(unreadable, 9, "unknown setting 'storage.postgresql.colour'"));
    EXPECT_TRUE(has_error(load_config_text("component:\n  jid: a.b\n  secret: s\nstorage:\n  backend: mysql\n"), 5,
                          "not one of sqlite, postgresql"));
    std::filesystem::remove_all(dir);
}

TEST(Config, HeraldAdminBackupOnPostgresqlPointsToPgDump) {
    const auto dir = std::filesystem::temp_directory_path() / ("herald-admin-pg-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "herald.yaml") << "component:\n  jid: notify.localhost\n  secret: s\nstorage:\n"
                                          "  backend: postgresql\n  postgresql:\n"
                                          "    connection: postgresql://herald@127.0.0.1:1/herald\n";
    std::ostringstream out, err;
    const auto status = herald::component::run_admin(
        {"--config", (dir / "herald.yaml").string(), "backup", (dir / "copy.db").string()}, out, err);
    EXPECT_EQ(status, 69) << "EX_UNAVAILABLE; " << err.str();
    EXPECT_NE(err.str().find("pg_dump"), std::string::npos) << err.str();
    EXPECT_FALSE(std::filesystem::exists(dir / "copy.db"));
    std::filesystem::remove_all(dir);
}

TEST(Config, HeraldAdminMigratesToPostgresqlOnlyWhenConfiguredFor) {
    const auto dir = std::filesystem::temp_directory_path() / ("herald-admin-migrate-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "sqlite.yaml") << "component:\n  jid: notify.localhost\n  secret: s\nstorage:\n  database: h.db\n";
    std::ofstream(dir / "postgresql.yaml") << "component:\n  jid: notify.localhost\n  secret: s\nstorage:\n"
                                              "  backend: postgresql\n  postgresql:\n"
                                              "    connection: postgresql://herald@127.0.0.1:1/herald\n";
    std::ostringstream out, err;
    EXPECT_EQ(herald::component::run_admin({"--config", (dir / "sqlite.yaml").string(), "migrate-to-postgresql",
                                            (dir / "h.db").string()},
                                           out, err),
              78)
        << "EX_CONFIG: the target is the configured PostgreSQL database; " << err.str();
    EXPECT_EQ(herald::component::run_admin({"--config", (dir / "postgresql.yaml").string(), "migrate-to-postgresql",
                                            (dir / "absent.db").string()},
                                           out, err),
              66)
        << "EX_NOINPUT; " << err.str();
    std::filesystem::remove_all(dir);
}

TEST(Config, ReadsTheClusterSectionWhichNeedsPostgresql) {
    const auto config = load_config_text(R"(component:
  jid: notify.localhost
  secret: s3cret
storage:
  backend: postgresql
  postgresql:
    connection: dbname=herald
cluster:
  instance: herald-2.eu_west
  standby: true
  heartbeat_seconds: 1
  dead_after_seconds: 5
  rescan_seconds: 30
)");
    ASSERT_TRUE(config.config) << config.errors.front().message;
    const auto& cluster = config.config->cluster;
    EXPECT_TRUE(cluster.enabled());
    EXPECT_EQ(cluster.instance, "herald-2.eu_west");
    EXPECT_TRUE(cluster.standby);
    EXPECT_EQ(cluster.heartbeat_seconds, 1);
    EXPECT_EQ(cluster.dead_after_seconds, 5);
    EXPECT_EQ(cluster.rescan_seconds, 30);
    const auto settings = herald::component::storage_settings(*config.config);
    EXPECT_EQ(settings.instance, "herald-2.eu_west");
    EXPECT_EQ(settings.dead_after_ms, 5000);

    EXPECT_FALSE(load_config_text("component:\n  jid: a.b\n  secret: s\n").config->cluster.enabled())
        << "one instance unless told";
    EXPECT_TRUE(has_error(load_config_text("component:\n  jid: a.b\n  secret: s\ncluster:\n  instance: a\n"), 5,
                          "share a PostgreSQL database"));
    const auto pg = std::string("component:\n  jid: a.b\n  secret: s\nstorage:\n  backend: postgresql\n"
                                "  postgresql:\n    connection: dbname=h\ncluster:\n");
    EXPECT_TRUE(has_error(load_config_text(pg + "  standby: true\n"), 9, "'instance' is required"));
    EXPECT_TRUE(has_error(load_config_text(pg + "  instance: a b\n"), 9, "cluster.instance: expected 1 to 64"));
    EXPECT_TRUE(has_error(load_config_text(pg + "  instance: a\n  heartbeat_seconds: 5\n  dead_after_seconds: 10\n"),
                          9, "more than twice heartbeat_seconds"));
}
