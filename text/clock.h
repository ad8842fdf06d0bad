#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace herald::text {

// Wall-clock time in milliseconds since the epoch: what items and history
// are stamped with.
inline std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// "2026-11-24T03:33:16.204Z": XEP-0082, for delay stamps.
std::string utc_stamp(std::int64_t ms);
// "2026-11-24 03:33", for people.
std::string utc_minute(std::int64_t ms);
// Any other shape, through strftime(3)'s `format` (at most 63 characters).
std::string formatted_utc(std::int64_t ms, const char* format);

}  // namespace herald::text
