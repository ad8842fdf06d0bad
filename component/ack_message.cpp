#include "component/ack_message.h"

#include "component/namespaces.h"

namespace herald::component {

std::optional<routing::AckRequest> read_ack_request(const XmlElement& message) {
    routing::AckMessage read;
    read.type = message.attr("type");
    if (const auto* reactions = message.child("reactions", ns::kReactions)) {
        read.reactions.emplace().id = reactions->attr("id");
        for (const auto& reaction : reactions->children())
            if (reaction.name() == "reaction") read.reactions->emojis.push_back(reaction.text());
    }
    if (const auto* body = message.child("body")) read.body = body->text();
    if (const auto* reply = message.child("reply", ns::kReply)) read.reply_to = reply->attr("id");
    return routing::read_ack_request(read);
}

}  // namespace herald::component
