#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "component/iq_reply.h"
#include "component/stanza_limits.h"
#include "component/stanza_sender.h"
#include "net/rate_limiter.h"

namespace herald::component {

// The thin protocol layer: stanzas from the link go to the handler registered
// for their kind. IQ get/set: by (type, payload namespace); exactly one reply
// is guaranteed by IqReply. Presence: by type. Link events fan out to every
// registered listener.
class StanzaDispatcher final : public LinkObserver {
public:
    using IqHandler = std::function<void(const XmlElement& iq, const XmlElement& payload, IqReply reply)>;
    using StanzaHandler = std::function<void(const XmlElement& stanza)>;

    // `requests_per_second`: per bare JID, for IQ sets and messages with a
    // body (commands); past it they are refused with resource-constraint.
    // Stanzas over `limits` are refused before any handler sees them.
    StanzaDispatcher(StanzaSender& sender, std::string component_jid, double requests_per_second,
                     StanzaLimits limits = {});

    void handle_iq(const std::string& type, const std::string& payload_xmlns, IqHandler handler);
    // Replies to IQs addressed to us (type result or error), keyed by our id.
    void handle_iq_response(StanzaHandler handler) { iq_response_handler_ = std::move(handler); }
    // `type` is the presence type attribute; "" is available presence.
    void handle_presence(const std::string& type, StanzaHandler handler);
    void handle_message(StanzaHandler handler) { message_handler_ = std::move(handler); }
    void on_link_events(std::function<void()> connected, std::function<void()> disconnected);

    void on_stanza(const XmlElement& stanza) override;
    void on_connected() override;
    void on_disconnected() override;

private:
    void dispatch_iq(const XmlElement& iq);
    void dispatch_presence(const XmlElement& presence);
    void dispatch_message(const XmlElement& message);

    bool within_limit(const XmlElement& stanza);
    // True when the stanza was over a limit (and refused).
    bool refused_over_limits(const XmlElement& stanza, std::size_t serialized_bytes);
    // A message or presence error in reply to `stanza`.
    void send_error(const XmlElement& stanza, const std::string& type, const std::string& condition);

    StanzaSender& sender_;
    std::string component_jid_;
    ingest::RateLimiter request_limiter_;
    StanzaLimits limits_;
    std::map<std::pair<std::string, std::string>, IqHandler> iq_handlers_;
    std::map<std::string, StanzaHandler> presence_handlers_;
    StanzaHandler iq_response_handler_;
    StanzaHandler message_handler_;
    std::vector<std::pair<std::function<void()>, std::function<void()>>> link_listeners_;
};

}  // namespace herald::component
