#pragma once

#include <optional>
#include <string>
#include <vector>

#include "routing/access_rules.h"
#include "routing/settings.h"

namespace herald::routing {

// A registered user's own settings and record: preferences, pause, the
// webhook signing secret and history. Runs inside storage jobs.
class PreferenceService {
public:
    explicit PreferenceService(const Settings& config) : config_(config) {}

    // The user's last notifications: received, dropped or expired.
    std::vector<storage::HistoryEntry> history(storage::Repositories& repos, const Actor& actor,
                                               int limit) const;
    storage::Preferences preferences(storage::Repositories& repos, const Actor& actor) const;
    // Checks every field; refuses with a text naming what is wrong. Returns
    // the webhook signing secret when this change made it: to be shown to
    // the user this once, never logged, never again.
    std::optional<std::string> set_preferences(storage::Repositories& repos, const Actor& actor,
                                               const storage::Preferences& preferences) const;
    // A new webhook signing secret, to be shown this once; the old one stops
    // signing. Refused unless the user escalates by webhook.
    std::string new_webhook_secret(storage::Repositories& repos, const Actor& actor) const;
    storage::Preferences set_paused(storage::Repositories& repos, const Actor& actor, bool paused) const;

private:
    const Settings& config_;
};

}  // namespace herald::routing
