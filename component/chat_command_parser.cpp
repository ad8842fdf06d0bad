#include "component/chat_command_parser.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <map>

#include "component/pubsub_service.h"

namespace herald::component {
namespace {

constexpr std::string_view kSpace = " \t\r\n";

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(kSpace);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

std::string lower(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
    return result;
}

template <class Number>
std::optional<Number> whole_number(std::string_view text) {
    Number value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

using Values = std::vector<std::string>;
using Problem = std::optional<std::string>;

Problem set_type(storage::Preferences& preferences, const Values& values) {
    if (values.size() != 1) return "usage: prefs type chat|headline";
    preferences.message_type = lower(values[0]);
    return std::nullopt;
}

Problem set_dnd(storage::Preferences& preferences, const Values& values) {
    if (values.size() != 1) return "usage: prefs dnd none|low|normal|high";
    preferences.dnd_holds = lower(values[0]);
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
    if (dash == std::string::npos) return usage;
    preferences.quiet_start = values[0].substr(0, dash);
    preferences.quiet_end = values[0].substr(dash + 1);
    preferences.quiet_zone = values.size() == 2 ? values[1] : "UTC";
    return std::nullopt;
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
    preferences.escalation_channel = channel;
    if (values.size() >= 2) preferences.escalation_target = values[1];
    else preferences.escalation_target.reset();
    if (values.size() == 3) {
        const auto minutes = whole_number<std::int64_t>(values[2]);
        if (!minutes) return "the delay is in minutes, e.g. prefs escalation mail me@example.org 30";
        preferences.escalation_minutes = *minutes;
    }
    if (values.size() == 4) {
        const auto threshold = parse_priority(lower(values[3]));
        if (!threshold) return "the priority is low, normal, high or urgent, e.g. prefs escalation mail me@example.org 30 high";
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

std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> words;
    for (auto start = text.find_first_not_of(kSpace); start != std::string_view::npos;
         start = text.find_first_not_of(kSpace, start)) {
        const auto end = std::min(text.find_first_of(kSpace, start), text.size());
        words.emplace_back(text.substr(start, end - start));
        start = end;
    }
    return words;
}

std::optional<int> parse_history_count(std::string_view argument, int fallback) {
    if (argument.empty()) return fallback;
    const auto count = whole_number<int>(argument);
    if (!count || *count < 1) return std::nullopt;
    return count;
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
