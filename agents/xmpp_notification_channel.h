#pragma once

#include <string>

#include "component/stanza_sender.h"
#include "routing/user_outbox.h"

namespace herald::agents {

// The XMPP delivery channel: what the router says to users' resources,
// rendered as stanzas from the component and sent through the link.
class XmppNotificationChannel final : public routing::UserOutbox {
public:
    XmppNotificationChannel(component::StanzaSender& sender, std::string component_jid);

    void deliver(const routing::Delivery& delivery) override;
    void ping(const std::string& full_jid, const std::string& id) override;
    void probe(const std::string& bare_jid) override;
    void notice(const std::string& full_jid, const std::string& id, const std::string& text) override;
    bool backed_up() const override { return sender_.backed_up(); }

private:
    component::StanzaSender& sender_;
    std::string component_jid_;
};

}  // namespace herald::agents
