#include "component/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "storage/backend_factory.h"

namespace herald::component {
namespace {

using Errors = std::vector<ConfigError>;

int line_of(const YAML::Node& node) { return node.Mark().is_null() ? 0 : node.Mark().line + 1; }

struct Context {
    Config& config;
    Errors& errors;
    std::string base_dir;
    ComponentSecret secret;
    int secret_sources = 0;

    void fail(const YAML::Node& node, const std::string& message) {
        errors.push_back({line_of(node), message});
    }
};

template <class T>
std::optional<T> scalar(Context& context, const YAML::Node& node, const std::string& key,
                        const char* expected) {
    if (!node.IsScalar()) {
        context.fail(node, key + ": expected " + expected);
        return std::nullopt;
    }
    try {
        return node.as<T>();
    } catch (const YAML::Exception&) {
        context.fail(node, key + ": expected " + expected + ", got '" + node.Scalar() + "'");
        return std::nullopt;
    }
}

bool is_domain(const std::string& text) {
    return !text.empty() && text.find_first_of("@/ ") == std::string::npos;
}

bool is_bare_jid(const std::string& text) {
    const auto at = text.find('@');
    return at != std::string::npos && at > 0 && is_domain(text.substr(at + 1));
}

bool is_instance_name(const std::string& text) {
    return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '_' || c == '-';
    });
}

std::string read_secret_file(Context& context, const YAML::Node& node, const std::string& key,
                             const std::string& file) {
    std::filesystem::path path(file);
    if (path.is_relative()) path = std::filesystem::path(context.base_dir) / path;
    std::ifstream in(path);
    if (!in) {
        context.fail(node, key + ": cannot read " + path.string());
        return {};
    }
    std::string secret;
    std::getline(in, secret);
    while (!secret.empty() && (secret.back() == '\r' || secret.back() == ' ')) secret.pop_back();
    if (secret.empty()) context.fail(node, key + ": " + path.string() + " is empty");
    return secret;
}

void secret_from_file(Context& c, const YAML::Node& n, const std::string& k, std::string& target) {
    if (auto v = scalar<std::string>(c, n, k, "a file path")) target = read_secret_file(c, n, k, *v);
}

void secret_from_env(Context& c, const YAML::Node& n, const std::string& k, std::string& target) {
    if (auto v = scalar<std::string>(c, n, k, "an environment variable name")) {
        const char* value = std::getenv(v->c_str());
        if (value && *value) target = value;
        else c.fail(n, k + ": environment variable " + *v + " is not set");
    }
}

void text(Context& c, const YAML::Node& n, const std::string& k, std::string& target, const char* expected) {
    if (auto v = scalar<std::string>(c, n, k, expected)) target = *v;
}

void flag(Context& c, const YAML::Node& n, const std::string& k, bool& target) {
    if (auto v = scalar<bool>(c, n, k, "true or false")) target = *v;
}

template <class T>
void positive(Context& c, const YAML::Node& n, const std::string& k, T& target, bool zero_allowed = false) {
    if (auto v = scalar<std::int64_t>(c, n, k, "a whole number")) {
        if (*v > 0 || (zero_allowed && *v == 0)) target = static_cast<T>(*v);
        else c.fail(n, k + (zero_allowed ? ": must not be negative" : ": must be positive"));
    }
}

void positive_number(Context& c, const YAML::Node& n, const std::string& k, double& target, const char* expected) {
    if (auto v = scalar<double>(c, n, k, expected)) {
        if (*v > 0) target = *v;
        else c.fail(n, k + ": must be positive");
    }
}

void one_of(Context& c, const YAML::Node& n, const std::string& k, std::string& target,
            const std::set<std::string>& allowed, const char* listed) {
    if (auto v = scalar<std::string>(c, n, k, listed)) {
        if (allowed.count(*v)) target = *v;
        else c.fail(n, k + ": '" + *v + "' is not one of " + listed);
    }
}

struct Field {
    const char* section;
    const char* key;
    bool required;
    std::function<void(Context&, const YAML::Node&, const std::string&)> apply;
};

const std::vector<Field>& fields() {
    static const std::vector<Field> table = {
        {"component", "jid", true,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             if (auto v = scalar<std::string>(c, n, k, "a domain such as notify.example.org")) {
                 if (is_domain(*v)) c.config.component.jid = *v;
                 else c.fail(n, k + ": '" + *v + "' is not a bare domain");
             }
         }},
        {"component", "server", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             if (auto v = scalar<std::string>(c, n, k, "a host name or address"))
                 c.config.component.server_host = *v;
         }},
        {"component", "port", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             if (auto v = scalar<int>(c, n, k, "a port number")) {
                 if (*v > 0 && *v < 65536) c.config.component.server_port = *v;
                 else c.fail(n, k + ": port must be between 1 and 65535");
             }
         }},
        {"component", "secret", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             ++c.secret_sources;
             if (auto v = scalar<std::string>(c, n, k, "a string")) c.config.component.secret = *v;
         }},
        {"component", "secret_file", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             ++c.secret_sources;
             if (c.secret == ComponentSecret::read) secret_from_file(c, n, k, c.config.component.secret);
         }},
        {"component", "secret_env", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             ++c.secret_sources;
             if (c.secret == ComponentSecret::read) secret_from_env(c, n, k, c.config.component.secret);
         }},
        {"component", "reconnect_initial_seconds", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             positive_number(c, n, k, c.config.component.reconnect_initial_seconds, "a number of seconds");
         }},
        {"component", "reconnect_max_seconds", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             positive_number(c, n, k, c.config.component.reconnect_max_seconds, "a number of seconds");
         }},
        {"storage", "backend", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             if (auto v = scalar<std::string>(c, n, k, "a backend name such as sqlite")) {
                 if (auto problem = storage::backend_problem(*v)) c.fail(n, k + ": " + *problem);
                 else c.config.storage.backend = *v;
             }
         }},
        {"storage", "database", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             if (auto v = scalar<std::string>(c, n, k, "a file path")) {
                 std::filesystem::path path(*v);
                 if (path.is_relative() && *v != ":memory:")
                     path = std::filesystem::path(c.base_dir) / path;
                 c.config.storage.path = path.string();
             }
         }},
        {"storage", "postgresql", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             if (!n.IsMap()) return c.fail(n, k + ": expected a mapping (connection, password_file)");
             for (const auto& entry : n) {
                 const auto key = entry.first.Scalar();
                 const auto path = k + "." + key;
                 if (key == "connection") {
                     text(c, entry.second, path, c.config.storage.postgresql_connection,
                          "a libpq connection string or URI, e.g. postgresql://herald@db.example.org/herald");
                 } else if (key == "password_file") {
                     auto v = scalar<std::string>(c, entry.second, path, "a file path");
                     if (!v) continue;
                     std::filesystem::path file(*v);
                     if (file.is_relative()) file = std::filesystem::path(c.base_dir) / file;
                     c.config.storage.postgresql_password_file = file.string();
                     // Read when the database is opened; checked here when secrets are.
                     if (c.secret == ComponentSecret::read) read_secret_file(c, entry.second, path, file.string());
                 } else {
                     c.fail(entry.first, "unknown setting '" + path + "'");
                 }
             }
         }},
        {"registration", "register_on_subscribe", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { flag(c, n, k, c.config.registration.register_on_subscribe); }},
        {"registration", "allowed_domains", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             if (!n.IsSequence()) return c.fail(n, k + ": expected a list of domains, or [\"*\"] for any");
             for (const auto& entry : n)
                 if (auto domain = scalar<std::string>(c, entry, k, "a domain")) {
                     if (*domain == "*" || is_domain(*domain)) c.config.registration.allowed_domains.push_back(*domain);
                     else c.fail(entry, k + ": '" + *domain + "' is not a domain");
                 }
         }},
        {"pubsub", "create_nodes", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             if (auto v = scalar<std::string>(c, n, k, "registered or admins")) {
                 if (*v == "registered" || *v == "admins") c.config.pubsub.only_admins_create_nodes = *v == "admins";
                 else c.fail(n, k + ": '" + *v + "' is not one of registered, admins");
             }
         }},
        {"pubsub", "max_payload_bytes", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.pubsub.max_payload_bytes); }},
        {"pubsub", "max_node_name_length", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.pubsub.max_node_name_length); }},
        {"pubsub", "default_ttl_seconds", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.pubsub.default_ttl_seconds, true); }},
        {"pubsub", "max_items_returned", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.pubsub.max_items_returned); }},
        {"pubsub", "disco_page_size", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.pubsub.disco_page_size); }},
        {"pubsub", "max_ttl_seconds", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.pubsub.max_ttl_seconds); }},
        {"delivery", "window", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.delivery.window); }},
        {"delivery", "max_queue_per_user", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.delivery.max_queue_per_user); }},
        {"delivery", "expiry_check_seconds", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.delivery.expiry_check_seconds); }},
        {"delivery", "confirm_timeout_seconds", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.delivery.confirm_timeout_seconds); }},
        {"delivery", "message_type", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             one_of(c, n, k, c.config.delivery.message_type, {"chat", "headline"}, "chat, headline");
         }},
        {"limits", "requests_per_second", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             positive_number(c, n, k, c.config.limits.requests_per_second, "a rate");
         }},
        {"limits", "max_stanza_bytes", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.limits.max_stanza_bytes); }},
        {"limits", "max_form_fields", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.limits.max_form_fields); }},
        {"limits", "max_form_value_bytes", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.limits.max_form_value_bytes); }},
        {"limits", "outbox_bytes", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.limits.outbox_bytes); }},
        {"limits", "storage_queue_jobs", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.limits.storage_queue_jobs); }},
        {"limits", "max_topics_per_user", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.limits.max_topics_per_user, true); }},
        {"limits", "max_feeds_per_user", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.limits.max_feeds_per_user, true); }},
        {"limits", "max_tokens_per_user", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.limits.max_tokens_per_user, true); }},
        {"http", "enabled", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { flag(c, n, k, c.config.http.enabled); }},
        {"http", "address", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             if (auto v = scalar<std::string>(c, n, k, "an IP address")) c.config.http.address = *v;
         }},
        {"http", "port", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             if (auto v = scalar<int>(c, n, k, "a port number")) {
                 if (*v >= 0 && *v < 65536) c.config.http.port = *v;
                 else c.fail(n, k + ": port must be between 0 (any free port) and 65535");
             }
         }},
        {"http", "max_body_bytes", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.http.max_body_bytes); }},
        {"http", "publishes_per_second", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             positive_number(c, n, k, c.config.http.publishes_per_second, "a rate");
         }},
        {"smtp", "host", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { text(c, n, k, c.config.smtp.host, "a host name"); }},
        {"smtp", "port", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             if (auto v = scalar<int>(c, n, k, "a port number")) {
                 if (*v > 0 && *v < 65536) c.config.smtp.port = *v;
                 else c.fail(n, k + ": port must be between 1 and 65535");
             }
         }},
        {"smtp", "security", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             one_of(c, n, k, c.config.smtp.security, {"none", "starttls", "tls"}, "none, starttls, tls");
         }},
        {"smtp", "username", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { text(c, n, k, c.config.smtp.username, "a string"); }},
        {"smtp", "password_file", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             if (c.secret == ComponentSecret::read) secret_from_file(c, n, k, c.config.smtp.password);
         }},
        {"smtp", "password_env", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             if (c.secret == ComponentSecret::read) secret_from_env(c, n, k, c.config.smtp.password);
         }},
        {"smtp", "from", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             if (auto v = scalar<std::string>(c, n, k, "a mail address")) {
                 if (v->find('@') != std::string::npos) c.config.smtp.from = *v;
                 else c.fail(n, k + ": '" + *v + "' is not a mail address");
             }
         }},
        {"smtp", "timeout_seconds", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.smtp.timeout_seconds); }},
        {"escalation", "check_seconds", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.escalation.check_seconds); }},
        {"escalation", "delay_unit_seconds", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             positive_number(c, n, k, c.config.escalation.delay_unit_seconds, "a number of seconds");
         }},
        {"escalation", "startup_grace_seconds", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             positive(c, n, k, c.config.escalation.startup_grace_seconds, true);
         }},
        {"escalation", "max_attempts", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.escalation.max_attempts); }},
        {"escalation", "retry_seconds", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.escalation.retry_seconds); }},
        {"escalation", "digest_max_items", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             positive(c, n, k, c.config.escalation.digest_max_items);
         }},
        {"escalation", "webhook_timeout_seconds", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             positive(c, n, k, c.config.escalation.webhook_timeout_seconds);
         }},
        {"escalation", "allow_private_addresses", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             flag(c, n, k, c.config.escalation.allow_private_addresses);
         }},
        {"cluster", "instance", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             std::string name;
             text(c, n, k, name, "a name of letters, digits, '.', '_' or '-'");
             if (is_instance_name(name)) c.config.cluster.instance = name;
             else c.fail(n, k + ": expected 1 to 64 letters, digits, '.', '_' or '-'");
         }},
        {"cluster", "standby", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { flag(c, n, k, c.config.cluster.standby); }},
        {"cluster", "heartbeat_seconds", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.cluster.heartbeat_seconds); }},
        {"cluster", "dead_after_seconds", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.cluster.dead_after_seconds); }},
        {"cluster", "rescan_seconds", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.cluster.rescan_seconds); }},
        {"retention", "history_days", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.retention.history_days); }},
        {"retention", "history_per_user", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             positive(c, n, k, c.config.retention.history_per_user);
         }},
        {"retention", "items_per_topic", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             positive(c, n, k, c.config.retention.items_per_topic);
         }},
        {"retention", "check_seconds", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.retention.check_seconds); }},
        {"retention", "batch_rows", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.retention.batch_rows); }},
        {"feeds", "enabled", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { flag(c, n, k, c.config.feeds.enabled); }},
        {"feeds", "min_interval_seconds", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.feeds.min_interval_seconds); }},
        {"feeds", "default_interval_seconds", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             positive(c, n, k, c.config.feeds.default_interval_seconds);
         }},
        {"feeds", "max_response_bytes", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.feeds.max_response_bytes); }},
        {"feeds", "timeout_seconds", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.feeds.timeout_seconds); }},
        {"feeds", "max_redirects", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { positive(c, n, k, c.config.feeds.max_redirects, true); }},
        {"feeds", "allow_private_addresses", false,
         [](Context& c, const YAML::Node& n, const std::string& k) { flag(c, n, k, c.config.feeds.allow_private_addresses); }},
        {"log", "level", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             one_of(c, n, k, c.config.log.level, {"trace", "debug", "info", "warn", "error"},
                    "trace, debug, info, warn, error");
         }},
        {"log", "file", false,
         [](Context& c, const YAML::Node& n, const std::string& k) {
             if (auto v = scalar<std::string>(c, n, k, "a file path")) c.config.log.file = *v;
         }},
    };
    return table;
}

void read_admins(Context& context, const YAML::Node& node) {
    if (!node.IsSequence()) {
        context.fail(node, "admins: expected a list of bare JIDs");
        return;
    }
    for (const auto& entry : node) {
        auto jid = scalar<std::string>(context, entry, "admins", "a bare JID");
        if (!jid) continue;
        if (is_bare_jid(*jid)) context.config.admins.push_back(*jid);
        else context.fail(entry, "admins: '" + *jid + "' is not a bare JID (user@domain)");
    }
}

void read_section(Context& context, const std::string& section, const YAML::Node& node) {
    if (!node.IsMap()) {
        context.fail(node, section + ": expected a mapping");
        return;
    }
    std::set<std::string> seen;
    for (const auto& entry : node) {
        const auto key = entry.first.Scalar();
        const std::string path = section + "." + key;
        const Field* field = nullptr;
        for (const auto& candidate : fields())
            if (candidate.section == section && candidate.key == key) field = &candidate;
        if (!field) {
            context.fail(entry.first, "unknown setting '" + path + "'");
            continue;
        }
        seen.insert(key);
        field->apply(context, entry.second, path);
    }
    for (const auto& field : fields())
        if (field.section == section && field.required && !seen.count(field.key))
            context.fail(node, std::string("missing required setting '") + section + "." +
                                   field.key + "'");
}

void check_whole(Context& context, const YAML::Node& root) {
    static const std::array sections = {"component", "storage", "registration", "pubsub", "delivery", "limits", "http", "feeds", "smtp", "escalation", "retention", "cluster", "log"};
    std::set<std::string> seen;
    for (const auto& entry : root) {
        const auto key = entry.first.Scalar();
        seen.insert(key);
        if (key == "admins") read_admins(context, entry.second);
        else if (std::find(sections.begin(), sections.end(), key) != sections.end())
            read_section(context, key, entry.second);
        else context.fail(entry.first, "unknown section '" + key + "'");
    }
    if (!seen.count("component")) context.fail(root, "missing required section 'component'");
    else if (context.secret_sources == 0)
        context.fail(root["component"],
                     "component: one of secret, secret_file or secret_env is required");
    else if (context.secret_sources > 1)
        context.fail(root["component"],
                     "component: give only one of secret, secret_file or secret_env");
    if (context.config.feeds.default_interval_seconds < context.config.feeds.min_interval_seconds)
        context.fail(root["feeds"], "feeds: default_interval_seconds is below min_interval_seconds");
    if (context.config.pubsub.max_ttl_seconds > 100LL * 365 * 24 * 3600)
        context.fail(root["pubsub"], "pubsub: max_ttl_seconds is above 100 years");
    if (context.config.pubsub.default_ttl_seconds > context.config.pubsub.max_ttl_seconds)
        context.fail(root["pubsub"], "pubsub: default_ttl_seconds is above max_ttl_seconds");
    if (context.config.component.reconnect_max_seconds < context.config.component.reconnect_initial_seconds)
        context.fail(root["component"],
                     "component: reconnect_max_seconds is below reconnect_initial_seconds");
    if (context.config.storage.backend == "postgresql" && context.config.storage.postgresql_connection.empty())
        context.fail(root["storage"],
                     "storage: backend postgresql needs postgresql.connection (a libpq connection string or URI)");
    const auto& cluster = context.config.cluster;
    if (seen.count("cluster") && !cluster.enabled())
        context.fail(root["cluster"], "cluster: 'instance' is required (this instance's unique name)");
    if (cluster.enabled() && context.config.storage.backend != "postgresql")
        context.fail(root["cluster"], "cluster: several instances share a PostgreSQL database (storage.backend: postgresql)");
    if (cluster.heartbeat_seconds > 60)
        context.fail(root["cluster"], "cluster: heartbeat_seconds is above 60");
    if (cluster.dead_after_seconds <= 2 * cluster.heartbeat_seconds)
        context.fail(root["cluster"], "cluster: dead_after_seconds must be more than twice heartbeat_seconds");
    const auto& smtp = context.config.smtp;
    if (!smtp.host.empty() && smtp.from.empty())
        context.fail(root["smtp"], "smtp: 'from' is required when a host is set");
    if (!smtp.password.empty() && smtp.username.empty())
        context.fail(root["smtp"], "smtp: a password needs a username");
}

}  // namespace

ConfigResult load_config_text(const std::string& yaml_text, const std::string& base_dir, ComponentSecret secret) {
    ConfigResult result;
    Config config;
    Context context{config, result.errors, base_dir, secret};
    try {
        const YAML::Node root = YAML::Load(yaml_text);
        if (!root.IsMap()) context.fail(root, "the file must be a mapping of sections");
        else check_whole(context, root);
    } catch (const YAML::Exception& error) {
        result.errors.push_back({error.mark.is_null() ? 0 : error.mark.line + 1, error.msg});
    }
    if (result.errors.empty()) result.config = std::move(config);
    return result;
}

ConfigResult load_config_file(const std::string& path, ComponentSecret secret) {
    std::ifstream in(path);
    if (!in) return {std::nullopt, {{0, "cannot read config file " + path}}};
    std::stringstream text;
    text << in.rdbuf();
    const auto base = std::filesystem::absolute(path).parent_path().string();
    return load_config_text(text.str(), base, secret);
}

storage::StorageSettings storage_settings(const Config& config) {
    return {.backend = config.storage.backend,
            .path = config.storage.path,
            .postgresql_connection = config.storage.postgresql_connection,
            .postgresql_password_file = config.storage.postgresql_password_file,
            .instance = config.cluster.instance,
            .dead_after_ms = config.cluster.dead_after_seconds * 1000};
}

std::string format_error(const std::string& path, const ConfigError& error) {
    return path + (error.line > 0 ? ":" + std::to_string(error.line) : "") + ": " + error.message;
}

}  // namespace herald::component
