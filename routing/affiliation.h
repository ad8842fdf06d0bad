#pragma once

#include <optional>
#include <string_view>

namespace herald::routing {

// A JID's standing on a topic (XEP-0060 affiliations), named as storage and the wire name them.
enum class Affiliation { owner, publisher, member, none, outcast };

constexpr std::string_view name_of(Affiliation affiliation) {
    switch (affiliation) {
    case Affiliation::owner: return "owner";
    case Affiliation::publisher: return "publisher";
    case Affiliation::member: return "member";
    case Affiliation::none: return "none";
    case Affiliation::outcast: return "outcast";
    }
    return "none";
}

constexpr std::optional<Affiliation> affiliation_named(std::string_view name) {
    for (auto affiliation : {Affiliation::owner, Affiliation::publisher, Affiliation::member, Affiliation::none,
                             Affiliation::outcast})
        if (name_of(affiliation) == name) return affiliation;
    return std::nullopt;
}

}  // namespace herald::routing
