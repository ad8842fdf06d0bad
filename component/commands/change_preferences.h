#pragma once

#include <optional>
#include <string>

#include "routing/preference_service.h"

namespace herald::routing {
class Router;
}  // namespace herald::routing

namespace herald::component::commands {

// Saves the person's preferences, all of them or one, and tells the router.
// A webhook signing secret made here is in the outcome: to be shown this
// once, in an answer the log never writes.
class ChangePreferences {
public:
    struct Input {
        std::optional<storage::Preferences> all;  // every preference, as the Preferences form gives them
        std::string change;                       // or one, as `prefs KEY VALUE` says it: "quiet 22:00-07:00"
        bool new_webhook_secret = false;          // and a new signing secret, unless saving made one
    };
    struct Outcome {
        storage::Preferences preferences;  // as saved
        std::optional<std::string> new_secret;
    };

    ChangePreferences(const routing::PreferenceService& service, routing::Router& router)
        : service_(&service), router_(&router) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;
    void committed(const routing::Actor& actor, const Outcome& outcome) const;

private:
    const routing::PreferenceService* service_;
    routing::Router* router_;
};

}  // namespace herald::component::commands
