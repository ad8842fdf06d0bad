#include "routing/notification_text.h"

#include "routing/pubsub_service.h"
#include "text/clock.h"

namespace herald::routing {

using herald::text::utc_minute;

namespace {

constexpr int kHighPriority = 2;
constexpr std::size_t kIdShownInFull = 12;
constexpr std::size_t kIdPrefixShown = 8;

}  // namespace

std::string notification_summary(const storage::Item& item) {
    std::string text = item.title;
    if (!item.title.empty() && !item.body.empty()) text += ": ";
    text += item.body;
    if (!item.link.empty()) text += " " + item.link;
    return text;
}

std::string notification_text(const storage::Item& item) { return "[" + item.node + "] " + notification_summary(item); }

std::string notification_body(const storage::Item& item, bool waited) {
    std::string text = "[" + item.node + "] ";
    if (item.priority >= kHighPriority) text += "(" + priority_name(item.priority) + ") ";
    text += notification_summary(item);
    if (waited) text += "\n(published " + utc_minute(item.published_ms) + " UTC)";
    if (item.awaits_ack()) text += "\n" + ack_hint(item);
    return text;
}

std::string ack_hint(const storage::Item& item) {
    const auto id = item.item_id.size() <= kIdShownInFull ? item.item_id : item.item_id.substr(0, kIdPrefixShown);
    return "Reply \"ack\" to acknowledge (or \"ack " + id + "\").";
}

}  // namespace herald::routing
