#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace herald::component {

struct Config {
    std::string component_jid;          // e.g. notify.example.org
    std::string server_host = "127.0.0.1";
    int server_port = 5347;
    std::string secret;                 // never logged
    std::string database_path = "herald.db";
    bool register_on_subscribe = true;
    std::vector<std::string> admins;    // bare JIDs
    std::string log_level = "info";
    std::optional<std::string> log_file;
    double reconnect_initial_seconds = 0.5;
    double reconnect_max_seconds = 30.0;

    bool only_admins_create_nodes = false;
    std::size_t max_payload_bytes = 64 * 1024;
    std::size_t max_node_name_length = 200;
    std::int64_t default_ttl_seconds = 7 * 24 * 3600;  // 0: items never expire
    int max_items_returned = 100;

    int delivery_window = 64;  // unconfirmed messages per resource
    std::int64_t max_queue_per_user = 10000;
    std::string message_type = "chat";  // or "headline"
    // How often expired items leave the queues and quiet hours are looked at.
    std::int64_t expiry_check_seconds = 30;

    // Per bare JID: IQ sets (publishes, commands, registration) and chat
    // commands; bursts of twice this pass, then resource-constraint.
    double requests_per_second = 50;
    // Any stanza from a user, serialized: policy-violation past it.
    std::size_t max_stanza_bytes = 128 * 1024;
    // Per data form (ad-hoc commands, publish-options, node configuration):
    // not-acceptable past them.
    std::size_t max_form_fields = 64;
    std::size_t max_form_value_bytes = 8192;

    bool http_enabled = false;
    std::string http_address = "127.0.0.1";
    int http_port = 8480;
    std::size_t http_max_body_bytes = 64 * 1024;
    double http_publishes_per_second = 20;
};

struct ConfigError {
    int line = 0;  // 1-based; 0 when the error has no place in the file
    std::string message;
};

struct ConfigResult {
    std::optional<Config> config;   // set only when there are no errors
    std::vector<ConfigError> errors;
};

// Reads and checks the whole file, collecting every error rather than
// stopping at the first. Relative secret_file paths are resolved against the
// config file's folder.
ConfigResult load_config_file(const std::string& path);
ConfigResult load_config_text(const std::string& yaml_text, const std::string& base_dir = ".");

std::string format_error(const std::string& path, const ConfigError& error);

}  // namespace herald::component
