#pragma once

#include "component/xml_element.h"

namespace herald::routing {
class Router;
}

namespace herald::component {

// What users' clients answer to our deliveries, read from their stanzas into
// the router's typed calls: receipts (XEP-0184), bounced messages, reactions
// (XEP-0444) and replies (XEP-0461), and the results of our pings (XEP-0199).
class DeliveryResponder {
public:
    explicit DeliveryResponder(routing::Router& router) : router_(router) {}

    // True when the message was about a delivery (a receipt, a bounce or a
    // reaction) and is nothing more; a reply's text is still read as a command.
    bool on_message(const XmlElement& message);
    // A reply to an IQ we sent.
    void on_iq_response(const XmlElement& iq);

private:
    routing::Router& router_;
};

}  // namespace herald::component
