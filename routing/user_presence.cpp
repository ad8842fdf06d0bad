#include "routing/user_presence.h"

#include <array>
#include <utility>

namespace herald::routing {
namespace {

constexpr std::array<std::pair<std::string_view, Availability>, 6> kNames = {{
    {"offline", Availability::offline},
    {"dnd", Availability::dnd},
    {"xa", Availability::xa},
    {"away", Availability::away},
    {"available", Availability::available},
    {"chat", Availability::chat},
}};

// Chat and available take notifications alike; only order matters here.
int rank(Availability availability) {
    return availability == Availability::chat ? static_cast<int>(Availability::available)
                                              : static_cast<int>(availability);
}

}  // namespace

std::string_view to_string(Availability availability) {
    for (const auto& [name, value] : kNames)
        if (value == availability) return name;
    return "offline";
}

Availability availability_from_show(std::string_view show) {
    if (show.empty()) return Availability::available;
    for (const auto& [name, value] : kNames)
        if (name == show && value != Availability::offline) return value;
    return Availability::available;
}

void UserPresence::update(const std::string& resource, ResourcePresence presence) {
    resources_[resource] = presence;
}

void UserPresence::remove(const std::string& resource) { resources_.erase(resource); }

const std::string* UserPresence::best_resource() const {
    const std::string* best = nullptr;
    const ResourcePresence* best_presence = nullptr;
    for (const auto& [resource, presence] : resources_) {
        if (presence.priority < 0) continue;
        if (!best_presence || rank(presence.availability) > rank(best_presence->availability) ||
            (rank(presence.availability) == rank(best_presence->availability) &&
             presence.priority > best_presence->priority)) {
            best = &resource;
            best_presence = &presence;
        }
    }
    return best;
}

Availability UserPresence::state() const {
    const auto* resource = best_resource();
    return resource ? resources_.at(*resource).availability : Availability::offline;
}

}  // namespace herald::routing
