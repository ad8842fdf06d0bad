#include "component/disco_responder.h"

#include <spdlog/spdlog.h>

#include <memory>

#include "component/namespaces.h"
#include "storage/storage_worker.h"

namespace herald::component {

DiscoResponder::DiscoResponder(StanzaDispatcher& dispatcher, storage::StorageWorker& storage)
    : storage_(storage), features_{ns::kDiscoInfo, ns::kDiscoItems} {
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

void DiscoResponder::items(const XmlElement& payload, IqReply reply) {
    const auto& node = payload.attr("node");
    if (!node.empty() && node != ns::kCommands) {
        reply.error("cancel", "item-not-found");
        return;
    }
    XmlElement query("query", ns::kDiscoItems);
    if (!node.empty()) {
        // Ad-hoc commands arrive with their own work; until then the list is
        // truthfully empty.
        query.set_attr("node", node);
        reply.result(std::move(query));
        return;
    }
    auto shared = std::make_shared<IqReply>(std::move(reply));
    storage_.submit<std::vector<std::string>>(
        [](storage::Repositories& repos) { return repos.nodes.public_nodes(); },
        [shared, component = shared->component_jid()](std::optional<std::vector<std::string>> nodes,
                                                      std::exception_ptr error) {
            if (error) return shared->error("wait", "internal-server-error");
            XmlElement list("query", ns::kDiscoItems);
            for (const auto& name : *nodes)
                list.add_child("item").set_attr("jid", component).set_attr("node", name).set_attr("name", name);
            shared->result(std::move(list));
        });
}

}  // namespace herald::component
