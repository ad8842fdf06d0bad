#include "component/disco_responder.h"

#include "component/namespaces.h"

namespace herald::component {

DiscoResponder::DiscoResponder(StanzaDispatcher& dispatcher)
    : features_{ns::kDiscoInfo, ns::kDiscoItems} {
    dispatcher.handle_iq("get", ns::kDiscoInfo,
                         [this](const XmlElement&, const XmlElement& payload, IqReply reply) {
                             info(payload, std::move(reply));
                         });
    dispatcher.handle_iq("get", ns::kDiscoItems,
                         [this](const XmlElement&, const XmlElement& payload, IqReply reply) {
                             items(payload, std::move(reply));
                         });
}

void DiscoResponder::info(const XmlElement& payload, IqReply reply) const {
    if (!payload.attr("node").empty()) {
        reply.error("cancel", "item-not-found");
        return;
    }
    XmlElement query("query", ns::kDiscoInfo);
    query.add_child("identity")
        .set_attr("category", "pubsub")
        .set_attr("type", "service")
        .set_attr("name", "Herald notifications");
    query.add_child("identity").set_attr("category", "component").set_attr("type", "generic");
    for (const auto& feature : features_) query.add_child("feature").set_attr("var", feature);
    reply.result(std::move(query));
}

void DiscoResponder::items(const XmlElement& payload, IqReply reply) const {
    const auto& node = payload.attr("node");
    // Public topics and the command list arrive with pubsub and ad-hoc
    // commands; until then both lists are truthfully empty.
    if (!node.empty() && node != ns::kCommands) {
        reply.error("cancel", "item-not-found");
        return;
    }
    XmlElement query("query", ns::kDiscoItems);
    if (!node.empty()) query.set_attr("node", node);
    reply.result(std::move(query));
}

}  // namespace herald::component
