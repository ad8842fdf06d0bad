#include "component/commands/history.h"

#include "component/notification_payload.h"
#include "text/clock.h"

namespace herald::component::commands {

History::Outcome History::run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const {
    return {service_->history(repos, actor, input.count)};
}

std::string history_heading(std::size_t count) {
    return "Your last " + std::to_string(count) + " notifications, newest first (times in UTC)";
}

std::vector<std::string> history_lines(const std::vector<storage::HistoryEntry>& entries) {
    std::vector<std::string> lines;
    for (const auto& entry : entries)
        lines.push_back(text::utc_minute(entry.at_ms) + " " + notification_text(entry.item) + " - " + entry.outcome);
    return lines;
}

}  // namespace herald::component::commands
