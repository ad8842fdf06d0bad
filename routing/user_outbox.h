#pragma once

#include <string>

#include "routing/delivery.h"

namespace herald::routing {

// What the router says to users' resources, in domain terms. The XMPP
// delivery channel (agents/) renders it as stanzas; the answers come back
// through the Router's typed calls (received, bounced, ping_answered...).
class UserOutbox {
public:
    virtual ~UserOutbox() = default;
    virtual void deliver(const Delivery& delivery) = 0;
    // Asks the resource to answer `id`: the answer confirms what was
    // delivered to it before (XEP-0199).
    virtual void ping(const std::string& full_jid, const std::string& id) = 0;
    // Asks the server again for the user's presence.
    virtual void probe(const std::string& bare_jid) = 0;
    // A line of text from the service, in chat.
    virtual void notice(const std::string& full_jid, const std::string& id, const std::string& text) = 0;
    // More is waiting to be written than should be: the router reads no
    // queue until told it drained (Router::on_outbox_drained).
    virtual bool backed_up() const = 0;
};

}  // namespace herald::routing
