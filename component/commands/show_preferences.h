#pragma once

#include "routing/preference_service.h"

namespace herald::component::commands {

// The person's preferences as stored.
class ShowPreferences {
public:
    struct Input {};
    struct Outcome {
        storage::Preferences preferences;
    };

    explicit ShowPreferences(const routing::PreferenceService& service) : service_(&service) {}
    Outcome run(storage::Repositories& repos, const routing::Actor& actor, const Input& input) const;

private:
    const routing::PreferenceService* service_;
};

}  // namespace herald::component::commands
