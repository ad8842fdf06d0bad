#include "component/user_stanzas.h"

namespace herald::component {

XmlElement presence_stanza(const std::string& from, const std::string& to, const std::string& type) {
    XmlElement presence("presence");
    presence.set_attr("from", from);
    presence.set_attr("to", to);
    if (!type.empty()) presence.set_attr("type", type);
    return presence;
}

XmlElement chat_message(const std::string& from, const std::string& to, const std::string& text) {
    XmlElement message("message");
    message.set_attr("from", from).set_attr("to", to).set_attr("type", "chat");
    message.add_child("body").set_text(text);
    return message;
}

}  // namespace herald::component
