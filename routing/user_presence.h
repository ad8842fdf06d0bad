#pragma once

#include <map>
#include <string>
#include <string_view>

namespace herald::routing {

// Ordered from "takes nothing" to "takes everything now".
enum class Availability { offline, dnd, xa, away, available, chat };

std::string_view to_string(Availability availability);
// From a presence <show/> value; empty means plain available. Unknown values
// count as available, as RFC 6121 asks of receivers.
Availability availability_from_show(std::string_view show);

struct ResourcePresence {
    Availability availability = Availability::available;
    int priority = 0;
};

// One user's presence across resources. The user's state is the best state of
// the resources that take notifications; a negative priority takes none.
class UserPresence {
public:
    void update(const std::string& resource, ResourcePresence presence);
    void remove(const std::string& resource);
    void clear() { resources_.clear(); }

    Availability state() const;
    // Resource that should get a notification now: best state, then highest
    // priority. Null when none takes notifications.
    const std::string* best_resource() const;
    const std::map<std::string, ResourcePresence>& resources() const { return resources_; }
    bool any_resource() const { return !resources_.empty(); }

private:
    std::map<std::string, ResourcePresence> resources_;
};

}  // namespace herald::routing
