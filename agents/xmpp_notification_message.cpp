#include "agents/xmpp_notification_message.h"

#include "component/namespaces.h"
#include "routing/notification_text.h"
#include "routing/pubsub_service.h"
#include "text/clock.h"

namespace herald::agents {

using herald::component::XmlElement;
using herald::routing::notification_body;
using herald::routing::priority_name;
using herald::text::utc_stamp;

namespace ns = component::ns;

XmlElement notification_item(const std::string& title, const std::string& body, const std::string& link,
                             const std::optional<std::string>& priority, std::optional<std::int64_t> ttl) {
    XmlElement item("item", ns::kPubsub);
    auto& payload = item.add_child("notification", ns::kHerald);
    if (priority) payload.set_attr("priority", *priority);
    if (ttl) payload.set_attr("ttl", std::to_string(*ttl));
    for (const auto& [name, text] : {std::pair{"title", &title}, {"body", &body}, {"link", &link}})
        if (!text->empty()) payload.add_child(name, ns::kHerald).set_text(*text);
    return item;
}

XmlElement& add_item_payload(XmlElement& parent, const storage::Item& item) {
    if (!item.payload.empty()) return parent.set_raw_inner(item.payload);
    auto rebuilt = notification_item(item.title, item.body, item.link);
    for (const auto& child : rebuilt.children()) parent.add(child);
    return parent;
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
        if (item.awaits_ack()) message.add_child("ack-request", ns::kHerald).set_attr("item", item.item_id);
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

}  // namespace herald::agents
