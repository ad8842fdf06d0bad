#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "routing/preference_service.h"

namespace herald::component::commands {

// The person's last notifications, newest first: delivered, dropped or expired.
class History {
public:
    struct Input {
        int count = 10;
    };
    struct Outcome {
        std::vector<storage::HistoryEntry> entries;
    };

    explicit History(const routing::PreferenceService& service) : service_(&service) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;

private:
    const routing::PreferenceService* service_;
};

// As both front ends show it: a heading, then a line per entry with its time and outcome.
std::string history_heading(std::size_t count);
std::vector<std::string> history_lines(const std::vector<storage::HistoryEntry>& entries);

}  // namespace herald::component::commands
