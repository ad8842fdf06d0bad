#include "tools/herald-send/publish_request.h"

#include <array>
#include <utility>

#include "text/safe_text.h"

namespace herald::ingest {

namespace {

constexpr std::array<std::pair<NotificationPriority, std::string_view>, 4> kPriorityNames{{
    {NotificationPriority::low, "low"},
    {NotificationPriority::normal, "normal"},
    {NotificationPriority::high, "high"},
    {NotificationPriority::urgent, "urgent"},
}};

std::string attribute(std::string_view name, std::string_view value) {
    return " " + std::string(name) + "='" + text::xml_escaped(value) + "'";
}

std::string text_element(std::string_view name, const std::optional<std::string>& text) {
    if (!text) return {};
    return "<" + std::string(name) + ">" + text::xml_escaped(*text) + "</" + std::string(name) + ">";
}

std::string form_field(std::string_view var, std::string_view value) {
    return "<field" + attribute("var", var) + "><value>" + text::xml_escaped(value) + "</value></field>";
}

std::string notification_xml(const Notification& notification) {
    std::string xml = "<notification" + attribute("xmlns", kHeraldNotificationNs);
    if (notification.priority) xml += attribute("priority", priority_name(*notification.priority));
    if (notification.ttl_seconds) xml += attribute("ttl", std::to_string(*notification.ttl_seconds));
    xml += ">";
    xml += text_element("title", notification.title);
    xml += text_element("body", notification.body);
    xml += text_element("link", notification.link);
    return xml + "</notification>";
}

std::string publish_options_xml(const PublishRequest& request) {
    const Notification& notification = request.notification;
    const AcknowledgementRequest& acknowledgement = request.acknowledgement;
    if (!notification.priority && !notification.ttl_seconds && !acknowledgement.required &&
        !acknowledgement.renotify_seconds)
        return {};
    std::string xml = "<publish-options><x xmlns='jabber:x:data' type='submit'>";
    xml += "<field var='FORM_TYPE' type='hidden'><value>" + text::xml_escaped(kPublishOptionsFormType) +
           "</value></field>";
    if (notification.priority)
        xml += form_field("herald#priority", priority_name(*notification.priority));
    if (notification.ttl_seconds)
        xml += form_field("herald#ttl", std::to_string(*notification.ttl_seconds));
    if (acknowledgement.required) xml += form_field("herald#ack", "required");
    if (acknowledgement.renotify_seconds)
        xml += form_field("herald#renotify", std::to_string(*acknowledgement.renotify_seconds));
    return xml + "</x></publish-options>";
}

}  // namespace

std::string_view priority_name(NotificationPriority priority) {
    for (const auto& [value, name] : kPriorityNames)
        if (value == priority) return name;
    return "normal";
}

std::optional<NotificationPriority> priority_from_name(std::string_view name) {
    for (const auto& [value, known_name] : kPriorityNames)
        if (known_name == name) return value;
    return std::nullopt;
}

std::string publish_iq_xml(const PublishRequest& request, std::string_view stanza_id) {
    std::string item = "<item";
    if (request.item_id) item += attribute("id", *request.item_id);
    item += ">" + notification_xml(request.notification) + "</item>";

    return "<iq type='set'" + attribute("to", request.service) + attribute("id", stanza_id) + ">" +
           "<pubsub" + attribute("xmlns", kPubsubNs) + ">" +
           "<publish" + attribute("node", request.node) + ">" + item + "</publish>" +
           publish_options_xml(request) + "</pubsub></iq>";
}

}  // namespace herald::ingest
