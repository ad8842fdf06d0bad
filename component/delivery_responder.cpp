#include "component/delivery_responder.h"

#include "component/namespaces.h"
#include "routing/router.h"

namespace herald::component {

using herald::routing::Router;

// A reaction is never a command; a reply's text is still read as one (and
// answered), so nothing a person writes goes unanswered.
bool DeliveryResponder::on_message(const XmlElement& message) {
    const auto& from = message.attr("from");
    if (message.attr("type") == "error") {
        router_.bounced(from, message.attr("id"));
        return true;
    }
    if (const auto* receipt = message.child("received", ns::kReceipts)) {
        router_.received(from, receipt->attr("id"));
        return true;
    }
    if (const auto* reaction = message.child("reactions", ns::kReactions)) {
        router_.seen(from, reaction->attr("id"));
        return true;
    }
    if (const auto* reply = message.child("reply", ns::kReply)) router_.seen(from, reply->attr("id"));
    return false;
}

void DeliveryResponder::on_iq_response(const XmlElement& iq) {
    const auto& from = iq.attr("from");
    if (iq.attr("type") == "result") {
        router_.ping_answered(from, iq.attr("id"));
        return;
    }
    const auto* error = iq.child("error");
    const bool unsupported = error && (error->child("feature-not-implemented") || error->child("service-unavailable"));
    router_.ping_failed(from, iq.attr("id"), unsupported ? Router::PingError::unsupported : Router::PingError::other);
}

}  // namespace herald::component
