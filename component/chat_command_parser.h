#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/pubsub_records.h"
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

// `history [n]`: the count asked for, `fallback` when none; nullopt unless
// it is a whole number from 1 up. Large counts are for the service to cap.
std::optional<int> parse_history_count(std::string_view argument, int fallback);

// `prefs <key> <value...>` applied to `preferences`:
//   type chat|headline|pubsub
//   dnd none|low|normal|high
//   quiet H:MM-H:MM [ZONE]   (zone defaults to UTC)   |   quiet off
//   escalation none | mail ADDRESS [MINUTES] [PRIORITY] | webhook URL [MINUTES] [PRIORITY]
// Returns what is wrong, naming the value that is, or nullopt once applied.
std::optional<std::string> change_preference(storage::Preferences& preferences, std::string_view argument);

// The checks behind both the chat command and the Preferences form, each
// naming the value that is wrong (nullopt: applied).
// Quiet hours from "7:00" or "07:00" times and an IANA zone; stored as HH:MM.
std::optional<std::string> set_quiet_hours(storage::Preferences& preferences, std::string_view start,
                                           std::string_view end, std::string_view zone);
// The escalation delay in whole minutes, at most a week.
std::optional<std::string> set_escalation_minutes(storage::Preferences& preferences, std::string_view minutes);
// Where escalations go: a mail address for mail, an http(s) URL for webhook.
std::optional<std::string> check_escalation_target(std::string_view channel, const std::optional<std::string>& target);

}  // namespace herald::component
