#include "routing/preference_service.h"

#include <algorithm>

#include "routing/escalation_channel.h"
#include "routing/quiet_hours.h"
#include "routing/secret_token.h"

namespace herald::routing {

std::vector<storage::HistoryEntry> PreferenceService::history(storage::Repositories& repos, const Actor& actor,
                                                          int limit) const {
    require_registered(repos, actor);
    return repos.queue.history(actor.jid, std::clamp(limit, 1, config_.pubsub.max_items_returned));
}

storage::Preferences PreferenceService::preferences(storage::Repositories& repos, const Actor& actor) const {
    require_registered(repos, actor);
    return repos.users.preferences(actor.jid);
}

std::optional<std::string> PreferenceService::set_preferences(storage::Repositories& repos, const Actor& actor,
                                                          const storage::Preferences& p) const {
    require_registered(repos, actor);
    auto refuse = [](const std::string& text) { throw PubsubError(Refusal::bad_request, "", text); };
    if (p.message_type && *p.message_type != "chat" && *p.message_type != "headline" && *p.message_type != "pubsub")
        refuse("message type must be chat, headline or pubsub");
    if (p.dnd_holds != "none" && p.dnd_holds != "low" && p.dnd_holds != "normal" && p.dnd_holds != "high")
        refuse("while dnd, hold back one of: none, low, normal, high");
    const bool any_quiet = p.quiet_start || p.quiet_end || p.quiet_zone;
    if (any_quiet) {
        if (!p.quiet_start || !parse_clock_time(*p.quiet_start)) refuse("quiet hours start must be HH:MM, e.g. 22:00");
        if (!p.quiet_end || !parse_clock_time(*p.quiet_end)) refuse("quiet hours end must be HH:MM, e.g. 07:00");
        if (!p.quiet_zone || !known_time_zone(*p.quiet_zone))
            refuse("quiet hours need a time zone such as Europe/Paris or UTC");
    }
    const auto channel = escalation_channel_named(p.escalation_channel);
    if (!channel) refuse("escalation channel must be none, mail or webhook");
    if (p.escalation_minutes < 0 || p.escalation_minutes > 7 * 24 * 60)
        refuse("escalation delay must be between 0 and 10080 minutes");
    if (channel == EscalationChannel::mail &&
        (!p.escalation_target || p.escalation_target->find('@') == std::string::npos))
        refuse("escalation by mail needs an email address");
    if (channel == EscalationChannel::webhook &&
        (!p.escalation_target || (p.escalation_target->rfind("https://", 0) != 0 &&
                                  p.escalation_target->rfind("http://", 0) != 0)))
        refuse("escalation by webhook needs an http or https URL");
    if (p.escalation_target && p.escalation_target->find_first_of("<> \r\n") != std::string::npos)
        refuse("the escalation address or URL may not contain spaces, line breaks or angle brackets");
    if (p.escalation_min_priority < 0 || p.escalation_min_priority > 3)
        refuse("escalation priority must be low, normal, high or urgent");
    repos.users.save_preferences(actor.jid, p);
    if (channel != EscalationChannel::webhook) return std::nullopt;
    const auto made = new_secret_token();
    if (repos.escalations.webhook_secret(actor.jid, made) == made) return made;
    return std::nullopt;
}

std::string PreferenceService::new_webhook_secret(storage::Repositories& repos, const Actor& actor) const {
    require_registered(repos, actor);
    auto made = new_secret_token();
    if (!repos.escalations.replace_webhook_secret(actor.jid, made))
        throw PubsubError(Refusal::bad_request, "",
                          "you do not escalate by webhook, so there is no signing secret to replace");
    return made;
}

storage::Preferences PreferenceService::set_paused(storage::Repositories& repos, const Actor& actor,
                                               bool paused) const {
    require_registered(repos, actor);
    return repos.users.set_paused(actor.jid, paused);
}

}  // namespace herald::routing
