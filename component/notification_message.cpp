#include "component/notification_message.h"

#include <charconv>

#include "text/clock.h"
#include "component/namespaces.h"
#include "component/notification_payload.h"
#include "routing/pubsub_service.h"
#include "text/safe_text.h"

namespace herald::component {

using herald::text::utc_stamp;
using herald::text::utc_minute;

using herald::routing::priority_name;

namespace {

constexpr int kHighPriority = 2;
constexpr std::string_view kDeliveryIdPrefix = "herald-n";
constexpr std::size_t kIdShownInFull = 12;
constexpr std::size_t kIdPrefixShown = 8;

}  // namespace

std::string delivery_message_id(std::int64_t seq, std::uint64_t attempt) {
    return std::string(kDeliveryIdPrefix) + std::to_string(seq) + "-" + std::to_string(attempt);
}

std::optional<std::int64_t> seq_of_message_id(std::string_view id) {
    if (!id.starts_with(kDeliveryIdPrefix)) return std::nullopt;
    id.remove_prefix(kDeliveryIdPrefix.size());
    std::int64_t seq = 0;
    const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), seq);
    if (error != std::errc() || end == id.data() || end == id.data() + id.size() || *end != '-') return std::nullopt;
    return seq;
}

std::string ack_hint(const storage::Item& item) {
    const auto id = item.item_id.size() <= kIdShownInFull ? item.item_id : item.item_id.substr(0, kIdPrefixShown);
    return "Reply \"ack\" to acknowledge (or \"ack " + id + "\").";
}

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
    if (item.awaits_ack()) text += "\n" + ack_hint(item);
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

}  // namespace herald::component
