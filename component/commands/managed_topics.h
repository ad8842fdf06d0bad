#pragma once

#include <string>
#include <vector>

#include "routing/pubsub_service.h"

namespace herald::component::commands {

// The topics the person may manage: those they own, or every public one for an admin.
class ManagedTopics {
public:
    struct Input {};
    struct Outcome {
        std::vector<std::string> topics;
    };

    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;
};

}  // namespace herald::component::commands
