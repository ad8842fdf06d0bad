#include "component/chat_command_parser.h"

#include <algorithm>

namespace herald::component {

namespace {

constexpr std::string_view kSpace = " \t\r\n";

}  // namespace

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

}  // namespace herald::component
