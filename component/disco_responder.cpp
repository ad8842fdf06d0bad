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
                         [this](const XmlElement& iq, const XmlElement& payload, IqReply reply) {
                             items(iq, payload, std::move(reply));
                         });
}

void DiscoResponder::info(const XmlElement& payload, IqReply reply) const {
    const auto& node = payload.attr("node");
    if (!node.empty()) {
        const auto command = commands_ ? commands_->command_name(node) : std::nullopt;
        if (command) command_info(node, *command, std::move(reply));
        else reply.error("cancel", "item-not-found");
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

// XEP-0050 §2.3.
void DiscoResponder::command_info(const std::string& node, const std::string& name, IqReply reply) const {
    XmlElement query("query", ns::kDiscoInfo);
    query.set_attr("node", node);
    query.add_child("identity")
        .set_attr("category", "automation")
        .set_attr("type", "command-node")
        .set_attr("name", name);
    query.add_child("feature").set_attr("var", ns::kCommands);
    query.add_child("feature").set_attr("var", ns::kDataForms);
    reply.result(std::move(query));
}

void DiscoResponder::items(const XmlElement& iq, const XmlElement& payload, IqReply reply) {
    const auto& node = payload.attr("node");
    if (node == ns::kCommands) {
        command_items(iq.attr("from"), std::move(reply));
        return;
    }
    if (!node.empty()) {
        reply.error("cancel", "item-not-found");
        return;
    }
    auto shared = std::make_shared<IqReply>(std::move(reply));
    using Named = std::vector<std::pair<std::string, std::string>>;  // node, what people read
    storage_.submit<Named>(
        [](storage::Repositories& repos) {
            Named named;
            for (auto& node : repos.nodes.public_nodes()) {
                // A feed's topic reads as the feed's title.
                const auto feed = repos.feeds.find(node);
                auto name = !feed ? node : feed->title.empty() ? feed->url : feed->title;
                named.emplace_back(std::move(node), std::move(name));
            }
            return named;
        },
        [shared, component = shared->component_jid()](std::optional<Named> nodes, std::exception_ptr error) {
            if (error) return shared->error("wait", "internal-server-error");
            XmlElement list("query", ns::kDiscoItems);
            for (const auto& [node, name] : *nodes)
                list.add_child("item").set_attr("jid", component).set_attr("node", node).set_attr("name", name);
            shared->result(std::move(list));
        });
}

void DiscoResponder::command_items(const std::string& asker, IqReply reply) {
    auto shared = std::make_shared<IqReply>(std::move(reply));
    auto answer = [shared](std::vector<CommandListing> commands) {
        XmlElement list("query", ns::kDiscoItems);
        list.set_attr("node", ns::kCommands);
        for (const auto& command : commands)
            list.add_child("item")
                .set_attr("jid", shared->component_jid())
                .set_attr("node", command.node)
                .set_attr("name", command.name);
        shared->result(std::move(list));
    };
    if (commands_) commands_->commands_for(asker, std::move(answer));
    else answer({});
}

}  // namespace herald::component
