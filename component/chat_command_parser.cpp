#include "component/chat_command_parser.h"

#include <algorithm>

namespace herald::component {

namespace {

constexpr std::string_view kSpace = " \t\r\n";

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

}  // namespace herald::component
