#include "ingest/feed_date.h"

#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <string>

namespace herald::ingest {
namespace {

using namespace std::chrono;

struct Zone {
    std::string_view name;
    int minutes;
};

constexpr std::array kZones = {Zone{"GMT", 0},      Zone{"UT", 0},       Zone{"UTC", 0},      Zone{"Z", 0},
                               Zone{"EST", -5 * 60}, Zone{"EDT", -4 * 60}, Zone{"CST", -6 * 60}, Zone{"CDT", -5 * 60},
                               Zone{"MST", -7 * 60}, Zone{"MDT", -6 * 60}, Zone{"PST", -8 * 60}, Zone{"PDT", -7 * 60}};

constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};

// Reads a run of digits; advances `at`.
std::optional<int> number(std::string_view text, std::size_t& at, std::size_t max_digits = 4) {
    std::size_t end = at;
    while (end < text.size() && end - at < max_digits && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
    int value = 0;
    if (end == at || std::from_chars(text.data() + at, text.data() + end, value).ec != std::errc()) return std::nullopt;
    at = end;
    return value;
}

bool expect(std::string_view text, std::size_t& at, char c) {
    if (at < text.size() && text[at] == c) {
        ++at;
        return true;
    }
    return false;
}

void skip_spaces(std::string_view text, std::size_t& at) {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == ',')) ++at;
}

std::optional<int> offset_minutes(std::string_view zone) {
    if (zone.empty()) return 0;
    if (zone[0] == '+' || zone[0] == '-') {
        std::string digits;
        for (char c : zone.substr(1))
            if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
        if (digits.size() != 4) return std::nullopt;
        const int minutes = std::stoi(digits.substr(0, 2)) * 60 + std::stoi(digits.substr(2));
        return zone[0] == '-' ? -minutes : minutes;
    }
    std::string upper;
    for (char c : zone) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const auto& known : kZones)
        if (known.name == upper) return known.minutes;
    return std::nullopt;
}

std::optional<std::int64_t> to_unix(int year, int month, int day, int hour, int minute, int second, int offset) {
    const year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                              std::chrono::day(static_cast<unsigned>(day))};
    if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
    const auto at = sys_days(date) + hours(hour) + minutes(minute) + seconds(second) - minutes(offset);
    return duration_cast<seconds>(at.time_since_epoch()).count();
}

std::optional<std::int64_t> parse_rfc3339(std::string_view text) {
    std::size_t at = 0;
    const auto year = number(text, at);
    if (!year || !expect(text, at, '-')) return std::nullopt;
    const auto month = number(text, at, 2);
    if (!month || !expect(text, at, '-')) return std::nullopt;
    const auto day = number(text, at, 2);
    if (!day) return std::nullopt;
    if (at == text.size()) return to_unix(*year, *month, *day, 0, 0, 0, 0);
    if (!expect(text, at, 'T') && !expect(text, at, 't') && !expect(text, at, ' ')) return std::nullopt;
    const auto hour = number(text, at, 2);
    if (!hour || !expect(text, at, ':')) return std::nullopt;
    const auto minute = number(text, at, 2);
    if (!minute) return std::nullopt;
    int second = 0;
    if (expect(text, at, ':')) {
        const auto read = number(text, at, 2);
        if (!read) return std::nullopt;
        second = *read;
    }
    if (expect(text, at, '.'))
        while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
    const auto offset = offset_minutes(text.substr(at));
    if (!offset) return std::nullopt;
    return to_unix(*year, *month, *day, *hour, *minute, second, *offset);
}

std::optional<int> month_number(std::string_view name) {
    if (name.size() < 3) return std::nullopt;
    std::string lower;
    for (char c : name.substr(0, 3)) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (std::size_t i = 0; i < kMonths.size(); ++i)
        if (kMonths[i] == lower) return static_cast<int>(i) + 1;
    return std::nullopt;
}

std::optional<std::int64_t> parse_rfc822(std::string_view text) {
    std::size_t at = 0;
    skip_spaces(text, at);
    if (at < text.size() && std::isalpha(static_cast<unsigned char>(text[at]))) {  // day name
        while (at < text.size() && std::isalpha(static_cast<unsigned char>(text[at]))) ++at;
        skip_spaces(text, at);
    }
    const auto day = number(text, at, 2);
    skip_spaces(text, at);
    const std::size_t month_start = at;
    while (at < text.size() && std::isalpha(static_cast<unsigned char>(text[at]))) ++at;
    const auto month = month_number(text.substr(month_start, at - month_start));
    skip_spaces(text, at);
    auto year = number(text, at);
    if (!day || !month || !year) return std::nullopt;
    if (*year < 100) *year += *year < 50 ? 2000 : 1900;
    skip_spaces(text, at);
    int hour = 0, minute = 0, second = 0;
    if (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) {
        const auto h = number(text, at, 2);
        if (!h || !expect(text, at, ':')) return std::nullopt;
        const auto m = number(text, at, 2);
        if (!m) return std::nullopt;
        hour = *h;
        minute = *m;
        if (expect(text, at, ':')) {
            const auto s = number(text, at, 2);
            if (!s) return std::nullopt;
            second = *s;
        }
    }
    skip_spaces(text, at);
    std::size_t end = text.size();
    while (end > at && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
    const auto offset = offset_minutes(text.substr(at, end - at));
    if (!offset) return std::nullopt;
    return to_unix(*year, *month, *day, hour, minute, second, *offset);
}

}  // namespace

std::optional<std::int64_t> parse_feed_date(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
    if (text.empty()) return std::nullopt;
    if (auto rfc3339 = parse_rfc3339(text)) return rfc3339;
    return parse_rfc822(text);
}

}  // namespace herald::ingest
