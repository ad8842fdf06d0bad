#include "component/iq_reply.h"

#include <spdlog/spdlog.h>

namespace herald::component {

IqReply::IqReply(StanzaSender& sender, std::string component_jid, const XmlElement& iq)
    : sender_(&sender), component_jid_(std::move(component_jid)), requester_(iq.attr("from")),
      id_(iq.attr("id")) {}

IqReply::IqReply(IqReply&& other) noexcept
    : sender_(other.sender_), component_jid_(std::move(other.component_jid_)),
      requester_(std::move(other.requester_)), id_(std::move(other.id_)),
      pending_(other.pending_) {
    other.pending_ = false;
}

IqReply::~IqReply() {
    if (!pending_) return;
    spdlog::error("iq {} from {} left unanswered; replying internal-server-error", id_, requester_);
    error("wait", "internal-server-error");
}

XmlElement IqReply::envelope(std::string_view type) const {
    XmlElement iq("iq");
    iq.set_attr("type", std::string(type));
    iq.set_attr("from", component_jid_);
    iq.set_attr("to", requester_);
    iq.set_attr("id", id_);
    return iq;
}

void IqReply::result(std::optional<XmlElement> payload) {
    if (!pending_) return;
    pending_ = false;
    auto iq = envelope("result");
    if (payload) iq.add(std::move(*payload));
    sender_->send(iq);
}

XmlElement stanza_error_text(const std::string& text) {
    XmlElement element("text", kStanzaErrorNs);
    element.set_text(text);
    return element;
}

void IqReply::error(std::string_view type, std::string_view condition,
                    std::optional<XmlElement> application_condition) {
    if (!pending_) return;
    pending_ = false;
    auto iq = envelope("error");
    auto& error = iq.add_child("error");
    error.set_attr("type", std::string(type));
    error.add_child(std::string(condition), kStanzaErrorNs);
    if (application_condition) error.add(std::move(*application_condition));
    sender_->send(iq);
}

}  // namespace herald::component
