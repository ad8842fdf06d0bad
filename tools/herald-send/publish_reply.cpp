#include "tools/herald-send/publish_reply.h"

#include <cstring>
#include <string_view>

#include "tools/herald-send/publish_request.h"

namespace herald::ingest {

namespace {

std::string_view view(const char* text) { return text ? std::string_view(text) : std::string_view(); }

std::string text_of(xmpp_stanza_t* element) {
    char* text = xmpp_stanza_get_text(element);
    if (!text) return {};
    std::string copy(text);
    xmpp_free(xmpp_stanza_get_context(element), text);
    return copy;
}

xmpp_stanza_t* child_named(xmpp_stanza_t* parent, std::string_view name, std::string_view ns) {
    for (xmpp_stanza_t* child = xmpp_stanza_get_children(parent); child;
         child = xmpp_stanza_get_next(child)) {
        if (!xmpp_stanza_is_tag(child)) continue;
        if (view(xmpp_stanza_get_name(child)) == name && view(xmpp_stanza_get_ns(child)) == ns)
            return child;
    }
    return nullptr;
}

std::optional<std::string> published_item_id(xmpp_stanza_t* iq) {
    xmpp_stanza_t* pubsub = child_named(iq, "pubsub", kPubsubNs);
    xmpp_stanza_t* publish = pubsub ? child_named(pubsub, "publish", kPubsubNs) : nullptr;
    xmpp_stanza_t* item = publish ? child_named(publish, "item", kPubsubNs) : nullptr;
    const char* id = item ? xmpp_stanza_get_attribute(item, "id") : nullptr;
    if (!id || !*id) return std::nullopt;
    return std::string(id);
}

StanzaError stanza_error(xmpp_stanza_t* error) {
    StanzaError result;
    result.type = view(xmpp_stanza_get_type(error));
    for (xmpp_stanza_t* child = xmpp_stanza_get_children(error); child;
         child = xmpp_stanza_get_next(child)) {
        if (!xmpp_stanza_is_tag(child)) continue;
        const std::string_view name = view(xmpp_stanza_get_name(child));
        const std::string_view ns = view(xmpp_stanza_get_ns(child));
        if (ns == kStanzaErrorNs) {
            if (name == "text") result.text = text_of(child);
            else if (result.condition.empty()) result.condition = name;
        } else if (result.application_condition.empty()) {
            result.application_condition = name;
            result.application_namespace = ns;
            result.unsupported_feature = view(xmpp_stanza_get_attribute(child, "feature"));
        }
    }
    return result;
}

}  // namespace

PublishReply PublishReply::from_stanza(xmpp_stanza_t* iq) {
    PublishReply reply;
    if (view(xmpp_stanza_get_type(iq)) == "error") {
        xmpp_stanza_t* error = xmpp_stanza_get_child_by_name(iq, "error");
        reply.error = error ? stanza_error(error) : StanzaError{};
        return reply;
    }
    reply.item_id = published_item_id(iq);
    return reply;
}

std::optional<Acknowledgement> Acknowledgement::from_stanza(xmpp_stanza_t* message) {
    if (view(xmpp_stanza_get_name(message)) != "message" || view(xmpp_stanza_get_type(message)) == "error")
        return std::nullopt;
    xmpp_stanza_t* acknowledged = child_named(message, "acknowledged", kHeraldNotificationNs);
    if (!acknowledged) return std::nullopt;
    const auto attribute = [&](const char* name) {
        return std::string(view(xmpp_stanza_get_attribute(acknowledged, name)));
    };
    return Acknowledgement{std::string(view(xmpp_stanza_get_from(message))), attribute("node"),
                           attribute("item"), attribute("by"), attribute("stamp")};
}

bool Acknowledgement::is_for(std::string_view service, std::string_view published_node,
                             std::string_view published_item_id) const {
    const std::string_view sender(from);
    const bool from_service = sender == service || (sender.size() > service.size() &&
                                                    sender.substr(0, service.size()) == service &&
                                                    sender[service.size()] == '/');
    return from_service && node == published_node && item_id == published_item_id;
}

}  // namespace herald::ingest
