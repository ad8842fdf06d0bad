#pragma once

#include "routing/preference_service.h"
#include "routing/pubsub_service.h"
#include "routing/token_service.h"

namespace herald::routing {

// The rules the user commands run, by area; each runs inside a storage job.
struct RuleServices {
    const PubsubService& pubsub;
    const PreferenceService& preferences;
    const TokenService& tokens;
};

}  // namespace herald::routing
