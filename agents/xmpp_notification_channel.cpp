#include "agents/xmpp_notification_channel.h"

#include <utility>

#include "agents/xmpp_notification_message.h"
#include "component/namespaces.h"

namespace herald::agents {

using herald::component::XmlElement;

namespace ns = component::ns;

XmppNotificationChannel::XmppNotificationChannel(component::StanzaSender& sender, std::string component_jid)
    : sender_(sender), component_jid_(std::move(component_jid)) {}

void XmppNotificationChannel::deliver(const routing::Delivery& delivery) {
    sender_.send(notification_message(
        delivery.item, {component_jid_, delivery.to, delivery.id, delivery.format, delivery.waited}));
}

void XmppNotificationChannel::ping(const std::string& full_jid, const std::string& id) {
    XmlElement ping("iq");
    ping.set_attr("type", "get").set_attr("from", component_jid_).set_attr("to", full_jid).set_attr("id", id);
    ping.add_child("ping", ns::kPing);
    sender_.send(ping);
}

void XmppNotificationChannel::probe(const std::string& bare_jid) {
    XmlElement probe("presence");
    probe.set_attr("from", component_jid_).set_attr("to", bare_jid).set_attr("type", "probe");
    sender_.send(probe);
}

void XmppNotificationChannel::notice(const std::string& full_jid, const std::string& id, const std::string& text) {
    XmlElement notice("message");
    notice.set_attr("from", component_jid_).set_attr("to", full_jid).set_attr("type", "chat").set_attr("id", id);
    notice.add_child("body").set_text(text);
    sender_.send(notice);
}

}  // namespace herald::agents
