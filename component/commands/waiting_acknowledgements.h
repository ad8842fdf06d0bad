#pragma once

#include <vector>

#include "routing/pubsub_service.h"

namespace herald::component::commands {

// The person's notifications waiting for their acknowledgement, the one
// received last first.
class WaitingAcknowledgements {
public:
    struct Input {
        int limit = 30;
    };
    struct Outcome {
        std::vector<storage::QueuedItem> items;
    };

    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;
};

}  // namespace herald::component::commands
