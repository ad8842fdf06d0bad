#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace herald::routing {

// "HH:MM" -> minutes after midnight; nullopt when malformed.
std::optional<int> parse_clock_time(const std::string& text);
// True for an IANA time zone name the system knows (Europe/Paris, UTC...).
bool known_time_zone(const std::string& zone);
// Whether `now_ms` falls in [start, end) in that zone; the span may cross
// midnight (22:00-07:00). False when any part is missing or malformed.
bool in_quiet_hours(const std::optional<std::string>& start, const std::optional<std::string>& end,
                    const std::optional<std::string>& zone, std::int64_t now_ms);

}  // namespace herald::routing
