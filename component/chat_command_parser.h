#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text/words.h"

namespace herald::component {

// A chat message body read as a command: its first word, lower-cased, and
// the rest of the line, trimmed ("Sub  My Topic " -> "sub", "My Topic").
struct ChatCommand {
    std::string word;
    std::string argument;
};

ChatCommand parse_chat_command(std::string_view body);

using text::kMaxCommandBytes;
using text::kMaxQuotedBytes;
using text::lower;
using text::split_words;
using text::trim;

// The whole text as a decimal number (no sign unless signed, no spaces), or nullopt.
template <class Number>
std::optional<Number> whole_number(std::string_view text) {
    Number value{};
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// `history [n]`: the count asked for, `fallback` when none; nullopt unless
// it is a whole number from 1 up. Large counts are for the service to cap.
std::optional<int> parse_history_count(std::string_view argument, int fallback);

}  // namespace herald::component
