#include "routing/quiet_hours.h"

#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <memory>

namespace herald::routing {
namespace {

std::unique_ptr<icu::TimeZone> time_zone(const std::string& zone) {
    std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(zone)));
    if (!tz || *tz == icu::TimeZone::getUnknown()) return nullptr;
    return tz;
}

}  // namespace

std::optional<int> parse_clock_time(const std::string& text) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    for (const int i : {0, 1, 3, 4})
        if (text[static_cast<std::size_t>(i)] < '0' || text[static_cast<std::size_t>(i)] > '9') return std::nullopt;
    const int hours = (text[0] - '0') * 10 + (text[1] - '0');
    const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
    if (hours > 23 || minutes > 59) return std::nullopt;
    return hours * 60 + minutes;
}

bool known_time_zone(const std::string& zone) { return !zone.empty() && time_zone(zone) != nullptr; }

bool in_quiet_hours(const std::optional<std::string>& start, const std::optional<std::string>& end,
                    const std::optional<std::string>& zone, std::int64_t now_ms) {
    if (!start || !end || !zone) return false;
    const auto from = parse_clock_time(*start);
    const auto to = parse_clock_time(*end);
    const auto tz = time_zone(*zone);
    if (!from || !to || !tz || *from == *to) return false;
    std::int32_t raw = 0, dst = 0;
    UErrorCode status = U_ZERO_ERROR;
    tz->getOffset(static_cast<UDate>(now_ms), false, raw, dst, status);
    if (U_FAILURE(status)) return false;
    const auto local_ms = now_ms + raw + dst;
    const int minute = static_cast<int>(((local_ms / 60000) % 1440 + 1440) % 1440);
    return *from < *to ? (minute >= *from && minute < *to) : (minute >= *from || minute < *to);
}

}  // namespace herald::routing
