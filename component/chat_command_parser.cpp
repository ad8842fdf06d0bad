#include "component/chat_command_parser.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <map>

#include "routing/pubsub_service.h"
#include "routing/quiet_hours.h"

namespace herald::component {

using herald::routing::known_time_zone;
using herald::routing::parse_priority;

namespace {

constexpr std::string_view kSpace = " \t\r\n";

template <class Number>
std::optional<Number> whole_number(std::string_view text) {
    Number value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

using Values = std::vector<std::string>;
using Problem = std::optional<std::string>;

constexpr std::int64_t kMaxEscalationMinutes = 7 * 24 * 60;

std::string quoted(std::string_view value) { return "'" + std::string(value) + "'"; }

// "7:00" or "07:00" -> "07:00"; nullopt unless a time of day.
std::optional<std::string> clock_time(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 2 || text.size() != colon + 3) return std::nullopt;
    const auto hours = whole_number<int>(text.substr(0, colon));
    const auto minutes = whole_number<int>(text.substr(colon + 1));
    if (!hours || !minutes || *hours < 0 || *hours > 23 || *minutes < 0 || *minutes > 59 ||
        text.find_first_not_of("0123456789:") != std::string_view::npos)
        return std::nullopt;
    return std::string(colon == 1 ? "0" : "") + std::string(text);
}

Problem set_type(storage::Preferences& preferences, const Values& values) {
    if (values.size() != 1) return "usage: prefs type chat|headline|pubsub";
    const auto type = lower(values[0]);
    if (type != "chat" && type != "headline" && type != "pubsub")
        return quoted(values[0]) + " is not a message type: say chat, headline or pubsub";
    preferences.message_type = type;
    return std::nullopt;
}

Problem set_dnd(storage::Preferences& preferences, const Values& values) {
    if (values.size() != 1) return "usage: prefs dnd none|low|normal|high";
    const auto holds = lower(values[0]);
    if (holds != "none" && holds != "low" && holds != "normal" && holds != "high")
        return quoted(values[0]) + " is not what dnd can hold back: say none, low, normal or high";
    preferences.dnd_holds = holds;
    return std::nullopt;
}

Problem set_quiet(storage::Preferences& preferences, const Values& values) {
    const std::string usage = "usage: prefs quiet 22:00-07:00 Europe/Paris, or prefs quiet off";
    if (values.size() == 1 && lower(values[0]) == "off") {
        preferences.quiet_start.reset();
        preferences.quiet_end.reset();
        preferences.quiet_zone.reset();
        return std::nullopt;
    }
    if (values.empty() || values.size() > 2) return usage;
    const auto dash = values[0].find('-');
    if (dash == std::string::npos) return quoted(values[0]) + " is not a span of hours: " + usage;
    return set_quiet_hours(preferences, std::string_view(values[0]).substr(0, dash),
                           std::string_view(values[0]).substr(dash + 1), values.size() == 2 ? values[1] : "UTC");
}

Problem set_escalation(storage::Preferences& preferences, const Values& values) {
    const std::string usage = "usage: prefs escalation none, or prefs escalation mail ADDRESS [MINUTES] [PRIORITY], "
                              "or prefs escalation webhook URL [MINUTES] [PRIORITY]";
    if (values.empty() || values.size() > 4) return usage;
    const auto channel = lower(values[0]);
    if (channel == "none") {
        if (values.size() != 1) return usage;
        preferences.escalation_channel = channel;
        preferences.escalation_target.reset();
        return std::nullopt;
    }
    if (channel != "mail" && channel != "webhook")
        return quoted(values[0]) + " is not an escalation channel: say none, mail or webhook";
    const auto target = values.size() >= 2 ? std::optional<std::string>(values[1]) : std::nullopt;
    if (auto problem = check_escalation_target(channel, target)) return problem;
    preferences.escalation_channel = channel;
    preferences.escalation_target = target;
    if (values.size() >= 3)
        if (auto problem = set_escalation_minutes(preferences, values[2])) return problem;
    if (values.size() == 4) {
        const auto threshold = parse_priority(lower(values[3]));
        if (!threshold) return quoted(values[3]) + " is not a priority: say low, normal, high or urgent";
        preferences.escalation_min_priority = *threshold;
    }
    return std::nullopt;
}

}  // namespace

ChatCommand parse_chat_command(std::string_view body) {
    const auto text = trim(body);
    const auto end_of_word = std::min(text.find_first_of(kSpace), text.size());
    return {lower(text.substr(0, end_of_word)), std::string(trim(text.substr(end_of_word)))};
}

std::optional<int> parse_history_count(std::string_view argument, int fallback) {
    if (argument.empty()) return fallback;
    const auto count = whole_number<int>(argument);
    if (!count || *count < 1) return std::nullopt;
    return count;
}

std::optional<std::string> set_quiet_hours(storage::Preferences& preferences, std::string_view start,
                                           std::string_view end, std::string_view zone) {
    const auto from = clock_time(start);
    if (!from) return quoted(start) + " is not a time of day: write it like 22:00 or 7:30";
    const auto to = clock_time(end);
    if (!to) return quoted(end) + " is not a time of day: write it like 07:00 or 7:30";
    if (!known_time_zone(std::string(zone)))
        return quoted(zone) + " is not a time zone Herald knows: use a name like Europe/Paris, America/New_York or UTC";
    preferences.quiet_start = from;
    preferences.quiet_end = to;
    preferences.quiet_zone = std::string(zone);
    return std::nullopt;
}

std::optional<std::string> set_escalation_minutes(storage::Preferences& preferences, std::string_view minutes) {
    const auto number = whole_number<std::int64_t>(minutes);
    if (!number || *number < 0) return quoted(minutes) + " is not a number of minutes, e.g. 30";
    if (*number > kMaxEscalationMinutes)
        return quoted(minutes) + " minutes is more than a week: at most " + std::to_string(kMaxEscalationMinutes);
    preferences.escalation_minutes = *number;
    return std::nullopt;
}

std::optional<std::string> check_escalation_target(std::string_view channel, const std::optional<std::string>& target) {
    if (channel == "mail" && !target) return "escalation by mail needs your address, e.g. me@example.org";
    if (channel == "webhook" && !target) return "escalation by webhook needs a URL, e.g. https://hooks.example.org/x";
    if (target && target->find_first_of("<> \r\n") != std::string::npos)
        return quoted(*target) + " may not contain spaces, line breaks or angle brackets";
    if (channel == "mail" && target->find('@') == std::string::npos) return quoted(*target) + " is not a mail address";
    if (channel == "webhook" && target->rfind("https://", 0) != 0 && target->rfind("http://", 0) != 0)
        return quoted(*target) + " is not an http or https URL";
    return std::nullopt;
}

std::optional<std::string> change_preference(storage::Preferences& preferences, std::string_view argument) {
    using Setter = Problem (*)(storage::Preferences&, const Values&);
    static const std::map<std::string, Setter, std::less<>> setters = {
        {"type", set_type},
        {"dnd", set_dnd},
        {"quiet", set_quiet},
        {"escalation", set_escalation},
    };
    auto words = split_words(argument);
    if (words.empty()) return "say which preference: type, dnd, quiet or escalation";
    const auto setter = setters.find(lower(words.front()));
    if (setter == setters.end())
        return "there is no preference '" + words.front() + "': try type, dnd, quiet or escalation";
    words.erase(words.begin());
    return setter->second(preferences, words);
}

}  // namespace herald::component
