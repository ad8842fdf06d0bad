#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "routing/settings.h"
#include "storage/backend_factory.h"

namespace herald::component {

using Config = routing::Settings;
using routing::EscalationSettings;
using routing::RetentionSettings;
using routing::SmtpSettings;

struct ConfigError {
    int line = 0;  // 1-based; 0 when the error has no place in the file
    std::string message;
};

struct ConfigResult {
    std::optional<Config> config;   // set only when there are no errors
    std::vector<ConfigError> errors;
};

// Whether the component secret is read (secret_file, secret_env). Programs
// that never talk to ejabberd (`herald ingest-mail`, run by the MTA as
// another user) skip it: the file or variable need not be there for them.
enum class ComponentSecret { read, skip };

// Reads and checks the whole file, collecting every error rather than
// stopping at the first. Relative secret_file paths are resolved against the
// config file's folder.
ConfigResult load_config_file(const std::string& path, ComponentSecret secret = ComponentSecret::read);
ConfigResult load_config_text(const std::string& yaml_text, const std::string& base_dir = ".",
                              ComponentSecret secret = ComponentSecret::read);

// What storage::open_backend needs of the configuration.
storage::StorageSettings storage_settings(const Config& config);

std::string format_error(const std::string& path, const ConfigError& error);

}  // namespace herald::component
