#pragma once

#include <chrono>
#include <cstdint>

#include "routing/pubsub_service.h"

namespace herald::routing {
class Router;
}  // namespace herald::routing

namespace herald::component::commands {

// Herald's counts, for admins; who is online and the uptime are added on
// the io thread, which alone knows them.
class Stats {
public:
    struct Input {};
    struct Outcome {
        storage::ServiceCounts counts;
        std::int64_t online_users = 0;
        std::int64_t uptime_seconds = 0;
    };

    Stats(const routing::PubsubService& service, const routing::Router& router,
          std::chrono::steady_clock::time_point started)
        : service_(&service), router_(&router), started_(started) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;
    void committed(const routing::Actor& actor, Outcome& outcome) const;

private:
    const routing::PubsubService* service_;
    const routing::Router* router_;
    std::chrono::steady_clock::time_point started_;
};

}  // namespace herald::component::commands
