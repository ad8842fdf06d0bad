#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "component/stanza_sender.h"
#include "component/xml_element.h"

namespace herald::component {

inline constexpr const char* kStanzaErrorNs = "urn:ietf:params:xml:ns:xmpp-stanzas";

// <text/> for people, passed to IqReply::error where no application
// condition is needed: it follows the defined condition, as RFC 6120 orders.
XmlElement stanza_error_text(const std::string& text);

// The one reply every IQ get/set is owed. Leaving it unanswered (an exception,
// a forgotten branch, a dropped storage job) sends internal-server-error, so
// the requester never waits forever. Move-only; answer once.
class IqReply {
public:
    IqReply(StanzaSender& sender, std::string component_jid, const XmlElement& iq);
    IqReply(IqReply&& other) noexcept;
    IqReply& operator=(IqReply&&) = delete;
    IqReply(const IqReply&) = delete;
    ~IqReply();

    void result(std::optional<XmlElement> payload = std::nullopt);
    // `type` is cancel, modify, auth or wait; `condition` a RFC 6120 condition.
    void error(std::string_view type, std::string_view condition,
               std::optional<XmlElement> application_condition = std::nullopt);

    const std::string& requester() const { return requester_; }
    const std::string& component_jid() const { return component_jid_; }

private:
    XmlElement envelope(std::string_view type) const;

    StanzaSender* sender_;
    std::string component_jid_;
    std::string requester_;
    std::string id_;
    bool pending_ = true;
};

}  // namespace herald::component
