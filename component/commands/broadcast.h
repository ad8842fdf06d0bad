#pragma once

#include <string>

#include "routing/metrics.h"
#include "routing/pubsub_service.h"

namespace herald::routing {
class Router;
}  // namespace herald::routing

namespace herald::component::commands {

// A high priority notification to every registered user (admins); once
// committed the router delivers it.
class Broadcast {
public:
    struct Input {
        std::string title;
        std::string text;
    };
    using Outcome = routing::PublishOutcome;

    Broadcast(const routing::PubsubService& service, routing::Router& router, routing::Metrics& metrics)
        : service_(&service), router_(&router), metrics_(&metrics) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;
    void committed(const routing::Actor& actor, const Outcome& outcome) const;

private:
    const routing::PubsubService* service_;
    routing::Router* router_;
    routing::Metrics* metrics_;
};

}  // namespace herald::component::commands
