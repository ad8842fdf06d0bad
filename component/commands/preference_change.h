#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "storage/pubsub_records.h"

namespace herald::component::commands {

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

}  // namespace herald::component::commands
