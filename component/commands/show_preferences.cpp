#include "component/commands/show_preferences.h"

namespace herald::component::commands {

ShowPreferences::Outcome ShowPreferences::run(storage::Repositories& repos, const routing::Actor& actor,
                                              const Input&) const {
    return {service_->preferences(repos, actor)};
}

}  // namespace herald::component::commands
