#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/pubsub_records.h"

namespace herald::component {

// A chat message body read as a command: its first word, lower-cased, and
// the rest of the line, trimmed ("Sub  My Topic " -> "sub", "My Topic").
struct ChatCommand {
    std::string word;
    std::string argument;
};

ChatCommand parse_chat_command(std::string_view body);

std::vector<std::string> split_words(std::string_view text);

// `history [n]`: the count asked for, `fallback` when none; nullopt unless
// it is a whole number from 1 up. Large counts are for the service to cap.
std::optional<int> parse_history_count(std::string_view argument, int fallback);

// `prefs <key> <value...>` applied to `preferences`:
//   type chat|headline
//   dnd none|low|normal|high
//   quiet HH:MM-HH:MM [ZONE]   (zone defaults to UTC)   |   quiet off
//   escalation none | mail ADDRESS [MINUTES] | webhook URL [MINUTES]
// Returns what is wrong with the sentence, or nullopt once applied. Values
// are taken as typed: PubsubService::set_preferences judges them.
std::optional<std::string> change_preference(storage::Preferences& preferences, std::string_view argument);

}  // namespace herald::component
