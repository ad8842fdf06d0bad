#include "component/xmpp_user_notices.h"

#include "component/namespaces.h"
#include "component/node_events.h"
#include "component/notification_payload.h"
#include "component/user_stanzas.h"
#include "text/clock.h"

namespace herald::component {

void XmppUserNotices::ask_presence(const std::string& bare_jid) {
    sender_.send(presence_stanza(component_jid_, bare_jid, "subscribe"));
    sender_.send(presence_stanza(component_jid_, bare_jid));
}

void XmppUserNotices::say_goodbye(const std::string& bare_jid) {
    for (const auto* type : {"unavailable", "unsubscribe", "unsubscribed"})
        sender_.send(presence_stanza(component_jid_, bare_jid, type));
}

void XmppUserNotices::say(const std::string& jid, const std::string& text) {
    sender_.send(chat_message(component_jid_, jid, text));
}

void XmppUserNotices::topic_deleted(const std::string& node, const std::vector<std::string>& subscribers) {
    send_node_deleted(sender_, component_jid_, node, subscribers);
}

// "Acknowledged by alice@example.org: [topic] Title", with <acknowledged/>.
void XmppUserNotices::acknowledged(const std::string& to, const storage::Item& item, AckAudience audience) {
    const auto by = item.acknowledged_by.value_or("");
    auto message = chat_message(component_jid_, to, "Acknowledged by " + by + ": " + notification_text(item));
    message.set_attr("type", audience == AckAudience::publisher ? "normal" : "chat");
    message.add_child("acknowledged", ns::kHerald)
        .set_attr("node", item.node)
        .set_attr("item", item.item_id)
        .set_attr("by", by)
        .set_attr("stamp", text::utc_stamp(item.acknowledged_ms.value_or(0)));
    message.add_child("store", ns::kHints);
    sender_.send(message);
}

}  // namespace herald::component
