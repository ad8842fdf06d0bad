#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

#include "routing/refusal.h"
#include "storage/repositories.h"

// Who may do what: the checks the services share, each a refusal when it
// fails. They run inside a storage job.
namespace herald::routing {

// Who asks: their bare JID and whether the config makes them an admin.
struct Actor {
    std::string jid;
    bool admin = false;
};

// A refusal, with its stanza error and XEP-0060 application condition.
class PubsubError : public std::runtime_error {
public:
    explicit PubsubError(Refusal reason, std::string pubsub_condition = {}, std::string text = {})
        : std::runtime_error(std::string(stanza_error_of(reason).condition)), reason(reason),
          pubsub_condition(std::move(pubsub_condition)), text(std::move(text)) {}
    Refusal reason;
    std::string pubsub_condition;  // e.g. invalid-jid, in pubsub#errors
    std::string text;              // for people: what to change
};

// What a refusal means to a person in a chat client.
std::string explain(const PubsubError& error);

std::int64_t now_seconds();

// A per-user limit from the config; admins have none.
std::int64_t limit_for(const Actor& actor, std::int64_t limit);
// Past a per-user limit: the refusal names the limit and its setting.
PubsubError over_limit(std::int64_t limit, const std::string& what, const std::string& setting);

void require_registered(storage::Repositories& repos, const Actor& actor);
storage::Node require_node(storage::Repositories& repos, const std::string& node);
// The topic's owner, or an admin.
void require_owner(storage::Repositories& repos, const Actor& actor, const storage::Node& node);

}  // namespace herald::routing
