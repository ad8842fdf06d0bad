#pragma once

#include "routing/acknowledgements.h"
#include "routing/pubsub_service.h"

namespace herald::component::commands {

// Acknowledges one of the person's notifications; once committed, the
// recipients who had it, its publisher and its callback are told.
class Acknowledge {
public:
    using Input = routing::AckRequest;
    struct Outcome {
        routing::AckRequest request;
        routing::AckResult result;
    };

    explicit Acknowledge(routing::Acknowledgements& acks) : acks_(&acks) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;
    void committed(const routing::Actor& actor, const Outcome& outcome) const;

private:
    routing::Acknowledgements* acks_;
};

}  // namespace herald::component::commands
