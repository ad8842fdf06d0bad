#pragma once

#include "routing/preference_service.h"

namespace herald::routing {
class Router;
}  // namespace herald::routing

namespace herald::component::commands {

// Holds notifications in the person's queue, or delivers them again; the
// router learns at once, so delivery stops or the queue flushes now.
class Pause {
public:
    struct Input {
        bool paused = true;
    };
    struct Outcome {
        storage::Preferences preferences;
    };

    Pause(const routing::PreferenceService& service, routing::Router& router) : service_(&service), router_(&router) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;
    void committed(const routing::Actor& actor, const Outcome& outcome) const;

private:
    const routing::PreferenceService* service_;
    routing::Router* router_;
};

}  // namespace herald::component::commands
