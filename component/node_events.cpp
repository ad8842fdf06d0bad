#include "component/node_events.h"

#include "component/namespaces.h"
#include "component/user_stanzas.h"

namespace herald::component {

void send_node_deleted(StanzaSender& sender, const std::string& component_jid, const std::string& node,
                       const std::vector<std::string>& subscribers) {
    for (const auto& subscriber : subscribers) {
        auto message = chat_message(component_jid, subscriber,
                                    "The topic '" + node + "' was deleted: you are no longer subscribed to it.");
        message.add_child("node-deleted", ns::kHerald).set_attr("node", node);
        sender.send(message);
    }
}

}  // namespace herald::component
