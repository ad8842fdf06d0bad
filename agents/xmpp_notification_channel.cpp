#include "agents/xmpp_notification_channel.h"

#include <utility>

#include "agents/xmpp_notification_message.h"
#include "component/namespaces.h"
#include "component/user_stanzas.h"

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
    sender_.send(component::presence_stanza(component_jid_, bare_jid, "probe"));
}

void XmppNotificationChannel::notice(const std::string& full_jid, const std::string& id, const std::string& text) {
    auto notice = component::chat_message(component_jid_, full_jid, text);
    notice.set_attr("id", id);
    sender_.send(notice);
}

}  // namespace herald::agents
