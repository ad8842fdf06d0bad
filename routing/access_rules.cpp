#include "routing/access_rules.h"

#include <chrono>
#include <limits>

#include "routing/affiliation.h"

namespace herald::routing {

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string explain(const PubsubError& error) {
    if (!error.text.empty()) return error.text;
    if (error.pubsub_condition == "not-subscribed") return "you are not subscribed to that topic";
    if (error.pubsub_condition == "nodeid-required") return "a topic name is needed";
    switch (error.reason) {
        case Refusal::registration_required: return "you are not registered: add this contact to your roster first";
        case Refusal::item_not_found: return "there is no such topic";
        case Refusal::forbidden: return "you are not allowed to do that";
        case Refusal::conflict: return "that topic already exists";
        case Refusal::not_allowed: return "that name is reserved";
        case Refusal::not_acceptable: return "that topic name is not acceptable";
        default: return std::string(stanza_error_of(error.reason).condition);
    }
}

PubsubError over_limit(std::int64_t limit, const std::string& what, const std::string& setting) {
    return PubsubError(Refusal::policy_violation, "",
                       "you have reached this service's limit of " + std::to_string(limit) + " " + what +
                           " per user (limits." + setting + "); remove one first");
}

std::int64_t limit_for(const Actor& actor, std::int64_t limit) {
    return actor.admin ? std::numeric_limits<std::int64_t>::max() : limit;
}

void require_registered(storage::Repositories& repos, const Actor& actor) {
    if (!repos.users.find(actor.jid)) throw PubsubError(Refusal::registration_required);
}

storage::Node require_node(storage::Repositories& repos, const std::string& node) {
    auto found = repos.nodes.find(node);
    if (!found) throw PubsubError(Refusal::item_not_found);
    return *found;
}

void require_owner(storage::Repositories& repos, const Actor& actor,
                                  const storage::Node& node) {
    if (!actor.admin && affiliation_named(repos.nodes.affiliation(node.name, actor.jid)) != Affiliation::owner)
        throw PubsubError(Refusal::forbidden);
}

}  // namespace herald::routing
