#include "component/stanza_dispatcher.h"

#include <spdlog/spdlog.h>

namespace herald::component {

StanzaDispatcher::StanzaDispatcher(StanzaSender& sender, std::string component_jid, double requests_per_second,
                                   StanzaLimits limits)
    : sender_(sender), component_jid_(std::move(component_jid)), request_limiter_(requests_per_second),
      limits_(limits) {}

bool StanzaDispatcher::within_limit(const XmlElement& stanza) {
    const auto& from = stanza.attr("from");
    if (request_limiter_.allow(from.substr(0, from.find('/')))) return true;
    spdlog::debug("{} is over its request rate: <{}> refused", from, stanza.name());
    return false;
}

void StanzaDispatcher::handle_iq(const std::string& type, const std::string& payload_xmlns,
                                 IqHandler handler) {
    iq_handlers_[{type, payload_xmlns}] = std::move(handler);
}

void StanzaDispatcher::handle_presence(const std::string& type, StanzaHandler handler) {
    presence_handlers_[type] = std::move(handler);
}

void StanzaDispatcher::on_link_events(std::function<void()> connected,
                                      std::function<void()> disconnected) {
    link_listeners_.emplace_back(std::move(connected), std::move(disconnected));
}

void StanzaDispatcher::on_stanza(const XmlElement& stanza) {
    const auto xml = stanza.to_xml();
    spdlog::trace("in: {}", xml);
    try {
        if (refused_over_limits(stanza, xml.size())) return;
        if (stanza.name() == "iq") dispatch_iq(stanza);
        else if (stanza.name() == "presence") dispatch_presence(stanza);
        else if (stanza.name() == "message" && message_handler_) dispatch_message(stanza);
    } catch (const std::exception& error) {
        spdlog::error("handling <{}> from {}: {}", stanza.name(), stanza.attr("from"), error.what());
    }
}

// Errors and IQ results are never answered with an error: they are only
// logged.
bool StanzaDispatcher::refused_over_limits(const XmlElement& stanza, std::size_t serialized_bytes) {
    const auto refusal = check_limits(stanza, serialized_bytes, limits_);
    if (!refusal) return false;
    const auto& type = stanza.attr("type");
    spdlog::warn("<{}> from {} refused: {}", stanza.name(), stanza.attr("from"), refusal->reason);
    if (type == "error" || (stanza.name() == "iq" && type == "result")) return true;
    if (stanza.name() == "iq") IqReply(sender_, component_jid_, stanza).error(refusal->type, refusal->condition);
    else send_error(stanza, refusal->type, refusal->condition);
    return true;
}

void StanzaDispatcher::send_error(const XmlElement& stanza, const std::string& type, const std::string& condition) {
    XmlElement refusal(stanza.name());
    refusal.set_attr("type", "error").set_attr("from", component_jid_).set_attr("to", stanza.attr("from"));
    if (stanza.has_attr("id")) refusal.set_attr("id", stanza.attr("id"));
    auto& error = refusal.add_child("error");
    error.set_attr("type", type);
    error.add_child(condition, kStanzaErrorNs);
    sender_.send(refusal);
}

void StanzaDispatcher::dispatch_iq(const XmlElement& iq) {
    const auto& type = iq.attr("type");
    if (type == "result" || type == "error") {
        if (iq_response_handler_) iq_response_handler_(iq);
        return;
    }
    IqReply reply(sender_, component_jid_, iq);
    if ((type != "get" && type != "set") || !iq.has_attr("id") || iq.children().size() != 1) {
        spdlog::debug("malformed iq from {}: type '{}', {} payload elements", iq.attr("from"), type,
                      iq.children().size());
        reply.error("modify", "bad-request");
        return;
    }
    if (type == "set" && !within_limit(iq)) {
        reply.error("wait", "resource-constraint");
        return;
    }
    const auto& payload = iq.children().front();
    const auto handler = iq_handlers_.find({type, payload.xmlns()});
    if (handler == iq_handlers_.end()) {
        reply.error("cancel", "service-unavailable");
        return;
    }
    handler->second(iq, payload, std::move(reply));
}

// Receipts and bounces are not limited: they only confirm or return our own.
void StanzaDispatcher::dispatch_message(const XmlElement& message) {
    if (message.child("body") && message.attr("type") != "error" && !within_limit(message)) {
        send_error(message, "wait", "resource-constraint");
        return;
    }
    message_handler_(message);
}

void StanzaDispatcher::dispatch_presence(const XmlElement& presence) {
    const auto handler = presence_handlers_.find(presence.attr("type"));
    if (handler != presence_handlers_.end()) handler->second(presence);
}

void StanzaDispatcher::on_connected() {
    for (auto& listener : link_listeners_) listener.first();
}

void StanzaDispatcher::on_disconnected() {
    for (auto& listener : link_listeners_) listener.second();
}

}  // namespace herald::component
