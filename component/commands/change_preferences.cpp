#include "component/commands/change_preferences.h"

#include "component/commands/preference_change.h"
#include "routing/router.h"

namespace herald::component::commands {

using herald::routing::PubsubError;

ChangePreferences::Outcome ChangePreferences::run(storage::Repositories& repos, const routing::Actor& actor,
                                                  const Input& input) const {
    auto preferences = service_->preferences(repos, actor);
    std::optional<std::string> new_secret;
    if (input.all || !input.change.empty()) {
        if (input.all) preferences = *input.all;
        else if (const auto problem = change_preference(preferences, input.change))
            throw PubsubError(routing::Refusal::bad_request, "", *problem);
        new_secret = service_->set_preferences(repos, actor, preferences);
    }
    if (!new_secret && input.new_webhook_secret) new_secret = service_->new_webhook_secret(repos, actor);
    return {service_->preferences(repos, actor), std::move(new_secret)};
}

void ChangePreferences::committed(const routing::Actor& actor, const Outcome& outcome) const {
    router_->on_preferences(actor.jid, outcome.preferences);
}

}  // namespace herald::component::commands
