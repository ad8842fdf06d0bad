#include "text/clock.h"

#include <cstdio>
#include <ctime>

namespace herald::text {

std::string formatted_utc(std::int64_t ms, const char* format) {
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[64];
    std::strftime(text, sizeof text, format, &parts);
    return text;
}

std::string utc_stamp(std::int64_t ms) {
    char millis[8];
    std::snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(ms % 1000));
    return formatted_utc(ms, "%Y-%m-%dT%H:%M:%S") + millis;
}

std::string utc_minute(std::int64_t ms) { return formatted_utc(ms, "%Y-%m-%d %H:%M"); }

}  // namespace herald::text
