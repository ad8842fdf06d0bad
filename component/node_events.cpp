#include "component/node_events.h"

#include "component/namespaces.h"
#include "component/xml_element.h"

namespace herald::component {

void send_node_deleted(StanzaSender& sender, const std::string& component_jid, const std::string& node,
                       const std::vector<std::string>& subscribers) {
    for (const auto& subscriber : subscribers) {
        XmlElement message("message");
        message.set_attr("from", component_jid).set_attr("to", subscriber).set_attr("type", "chat");
        message.add_child("body").set_text("The topic '" + node + "' was deleted: you are no longer subscribed to it.");
        message.add_child("node-deleted", ns::kHerald).set_attr("node", node);
        sender.send(message);
    }
}

}  // namespace herald::component
