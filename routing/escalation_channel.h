#pragma once

#include <optional>
#include <string_view>

namespace herald::routing {

// Where a user's notifications go while they stay away, named as
// preferences and storage name them.
enum class EscalationChannel { none, mail, webhook };

constexpr std::string_view name_of(EscalationChannel channel) {
    switch (channel) {
    case EscalationChannel::none: return "none";
    case EscalationChannel::mail: return "mail";
    case EscalationChannel::webhook: return "webhook";
    }
    return "none";
}

constexpr std::optional<EscalationChannel> escalation_channel_named(std::string_view name) {
    for (auto channel : {EscalationChannel::none, EscalationChannel::mail, EscalationChannel::webhook})
        if (name_of(channel) == name) return channel;
    return std::nullopt;
}

}  // namespace herald::routing
