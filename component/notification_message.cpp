#include "component/notification_message.h"

#include "component/clock.h"
#include "component/namespaces.h"
#include "component/notification_payload.h"
#include "component/pubsub_service.h"
#include "text/safe_text.h"

namespace herald::component {
namespace {

constexpr int kHighPriority = 2;

}  // namespace

void drop_malformed_payload(storage::Item& item) {
    if (!text::well_formed_fragment(item.payload)) item.payload.clear();
}

XmlElement& add_item_payload(XmlElement& parent, const storage::Item& item) {
    if (!item.payload.empty()) return parent.set_raw_inner(item.payload);
    auto rebuilt = notification_item(item.title, item.body, item.link);
    for (const auto& child : rebuilt.children()) parent.add(child);
    return parent;
}

MessageFormat message_format(const std::string& name) {
    if (name == "headline") return MessageFormat::headline;
    if (name == "pubsub") return MessageFormat::pubsub;
    return MessageFormat::chat;
}

std::string notification_body(const storage::Item& item, bool waited) {
    std::string text = "[" + item.node + "] ";
    if (item.priority >= kHighPriority) text += "(" + priority_name(item.priority) + ") ";
    text += notification_summary(item);
    if (waited) text += "\n(published " + utc_minute(item.published_ms) + " UTC)";
    return text;
}

XmlElement notification_message(const storage::Item& item, const DeliveryEnvelope& envelope) {
    XmlElement message("message");
    message.set_attr("type", envelope.format == MessageFormat::chat ? "chat" : "headline")
        .set_attr("from", envelope.from)
        .set_attr("to", envelope.to)
        .set_attr("id", envelope.id);
    if (envelope.format == MessageFormat::pubsub) {
        auto& items = message.add_child("event", ns::kPubsubEvent).add_child("items");
        items.set_attr("node", item.node);
        add_item_payload(items.add_child("item").set_attr("id", item.item_id), item);
    } else {
        message.add_child("body").set_text(notification_body(item, envelope.waited));
        add_item_payload(message.add_child("notification", ns::kHerald)
                        .set_attr("node", item.node)
                        .set_attr("item", item.item_id)
                        .set_attr("priority", priority_name(item.priority)),
                    item);
        message.add_child("origin-id", ns::kStanzaId).set_attr("id", envelope.id);
        message.add_child("request", ns::kReceipts);
        message.add_child("store", ns::kHints);
    }
    if (envelope.waited)
        message.add_child("delay", ns::kDelay)
            .set_attr("from", envelope.from)
            .set_attr("stamp", utc_stamp(item.published_ms));
    return message;
}

}  // namespace herald::component
