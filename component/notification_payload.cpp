#include "component/notification_payload.h"

#include "component/namespaces.h"
#include "routing/pubsub_service.h"
#include "text/safe_text.h"

namespace herald::component {

using herald::routing::PubsubError;
using herald::routing::parse_priority;

namespace {

PubsubError invalid_payload() { return PubsubError(routing::Refusal::bad_request, "invalid-payload"); }

std::string child_text(const XmlElement& element, const char* name) {
    const auto* child = element.child(name);
    return child ? child->text() : std::string();
}

// Bounded, so that a publish time plus the ttl never overflows.
std::int64_t parse_seconds(const char* what, const std::string& text, std::int64_t min_seconds,
                           std::int64_t max_seconds) {
    try {
        std::size_t used = 0;
        const auto seconds = std::stoll(text, &used);
        if (used == text.size() && seconds >= min_seconds && seconds <= max_seconds) return seconds;
    } catch (const std::exception&) {
    }
    throw PubsubError(routing::Refusal::bad_request, "invalid-payload",
                      std::string(what) + " must be a whole number of seconds from " + std::to_string(min_seconds) +
                          " to " + std::to_string(max_seconds));
}

std::int64_t parse_ttl(const std::string& text, std::int64_t max_seconds) {
    return parse_seconds("ttl", text, 1, max_seconds);
}

bool parse_ack(const std::string& text) {
    if (text == "required" || text == "true" || text == "1") return true;
    if (text == "none" || text == "false" || text == "0") return false;
    throw PubsubError(routing::Refusal::bad_request, "invalid-payload", "herald#ack is required or none");
}

void read_atom(const XmlElement& entry, storage::Item& item) {
    item.title = child_text(entry, "title");
    item.body = child_text(entry, "summary");
    if (item.body.empty()) item.body = child_text(entry, "content");
    for (const auto& link : entry.children())
        if (link.name() == "link" && (link.attr("rel").empty() || link.attr("rel") == "alternate")) {
            item.link = link.attr("href");
            break;
        }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> form_values(const XmlElement& form) {
    std::vector<std::pair<std::string, std::string>> values;
    for (const auto& field : form.children())
        if (field.name() == "field") values.emplace_back(field.attr("var"), child_text(field, "value"));
    return values;
}

storage::Item read_published_item(const std::string& node, const XmlElement& item_element,
                                  const XmlElement* publish_options, const routing::PubsubSettings& pubsub,
                                  std::int64_t now_ms) {
    if (item_element.children().size() != 1) throw invalid_payload();
    const auto& payload = item_element.children().front();
    storage::Item item;
    item.node = text::clean(node);
    item.published_ms = now_ms;
    item.item_id = item_element.attr("id").empty() ? random_item_id() : item_element.attr("id");
    if (item.item_id.size() > 200) throw invalid_payload();

    std::string priority = "normal";
    std::optional<std::int64_t> ttl;
    if (payload.name() == "entry" && payload.xmlns() == ns::kAtom) {
        read_atom(payload, item);
    } else if (payload.name() == "notification" && payload.xmlns() == ns::kHerald) {
        item.title = child_text(payload, "title");
        item.body = child_text(payload, "body");
        item.link = child_text(payload, "link");
        if (payload.has_attr("priority")) priority = payload.attr("priority");
        if (payload.has_attr("ttl")) ttl = parse_ttl(payload.attr("ttl"), pubsub.max_ttl_seconds);
    } else {
        throw invalid_payload();
    }
    for (auto* field : {&item.title, &item.body, &item.link, &item.item_id}) *field = text::clean(*field);
    if (item.title.empty() && item.body.empty()) throw invalid_payload();

    if (publish_options) {
        const auto* form = publish_options->child("x", ns::kDataForms);
        if (!form) throw PubsubError(routing::Refusal::bad_request, "invalid-options");
        for (const auto& [var, value] : form_values(*form)) {
            if (var == "herald#priority") priority = value;
            else if (var == "herald#ttl") ttl = parse_ttl(value, pubsub.max_ttl_seconds);
            else if (var == "herald#ack") item.ack_required = parse_ack(value);
            else if (var == "herald#renotify") item.renotify_seconds = parse_renotify(value, pubsub);
        }
    }
    const auto level = parse_priority(priority);
    if (!level) throw invalid_payload();
    item.priority = *level;
    if (!ttl && pubsub.default_ttl_seconds > 0) ttl = pubsub.default_ttl_seconds;
    if (ttl) item.expires_ms = now_ms + *ttl * 1000;

    item.payload = payload.to_xml();
    if (item.payload.size() > pubsub.max_payload_bytes)
        throw PubsubError(routing::Refusal::not_acceptable, "payload-too-big");
    return item;
}

std::int64_t parse_renotify(const std::string& text, const routing::PubsubSettings& pubsub) {
    return parse_seconds("renotify", text, kMinRenotifySeconds, pubsub.max_ttl_seconds);
}

std::string XmlPayloadFormat::payload(const routing::NotificationFields& fields) const {
    XmlElement payload("notification", ns::kHerald);
    if (fields.priority) payload.set_attr("priority", *fields.priority);
    for (const auto& [name, text] : {std::pair{"title", &fields.title}, {"body", &fields.body}, {"link", &fields.link}})
        if (!text->empty()) payload.add_child(name).set_text(*text);
    return payload.to_xml();
}

storage::Item XmlPayloadFormat::published_item(const std::string& node, const routing::NotificationFields& fields,
                                               std::int64_t now_ms) const {
    return read_published_item(node, notification_item(fields.title, fields.body, fields.link, fields.priority),
                               nullptr, pubsub_, now_ms);
}

}  // namespace herald::component
