#pragma once

#include <string_view>

namespace herald::routing {

// Why the core refuses a request: the stanza error conditions of RFC 6120
// it uses. The edges turn them into a stanza error or an HTTP status.
enum class Refusal {
    bad_request,
    conflict,
    forbidden,
    item_not_found,
    not_acceptable,
    not_allowed,
    policy_violation,
    registration_required,
    service_unavailable,
    unexpected_request,
};

// The stanza error of a refusal: its type (auth, cancel, modify) and the
// condition element's name.
struct StanzaErrorName {
    std::string_view type;
    std::string_view condition;
};

constexpr StanzaErrorName stanza_error_of(Refusal refusal) {
    switch (refusal) {
        case Refusal::bad_request: return {"modify", "bad-request"};
        case Refusal::conflict: return {"cancel", "conflict"};
        case Refusal::forbidden: return {"auth", "forbidden"};
        case Refusal::item_not_found: return {"cancel", "item-not-found"};
        case Refusal::not_acceptable: return {"modify", "not-acceptable"};
        case Refusal::not_allowed: return {"cancel", "not-allowed"};
        case Refusal::policy_violation: return {"cancel", "policy-violation"};
        case Refusal::registration_required: return {"auth", "registration-required"};
        case Refusal::service_unavailable: return {"cancel", "service-unavailable"};
        case Refusal::unexpected_request: return {"cancel", "unexpected-request"};
    }
    return {"cancel", "undefined-condition"};
}

}  // namespace herald::routing
