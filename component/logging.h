#pragma once

#include <optional>
#include <string>

namespace herald::component {

// Logs to stderr, or to `file` when given: "time level message".
void configure_logging(const std::string& level, const std::optional<std::string>& file);

}  // namespace herald::component
