#include "component/disco_responder.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <memory>

#include "component/namespaces.h"
#include "storage/storage_worker.h"

namespace herald::component {

namespace {

constexpr const char* kRsm = "http://jabber.org/protocol/rsm";

// What one page of the public topics asks for (XEP-0059): at most `max`,
// after or before a name, or from an index; `before` alone with no name is
// the last page.
struct PageRequest {
    std::int64_t max = 0;
    std::string after;
    std::optional<std::string> before;
    std::optional<std::int64_t> index;
};

std::optional<std::int64_t> whole_number(const std::string& text) {
    std::int64_t number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || number < 0) return std::nullopt;
    return number;
}

std::optional<PageRequest> page_request(const XmlElement& payload, std::size_t page_size) {
    PageRequest request{static_cast<std::int64_t>(page_size), {}, std::nullopt, std::nullopt};
    const auto* set = payload.child("set", kRsm);
    if (!set) return request;
    if (const auto* max = set->child("max")) {
        const auto asked = whole_number(max->text());
        if (!asked) return std::nullopt;
        request.max = std::min(*asked, request.max);
    }
    if (const auto* after = set->child("after")) request.after = after->text();
    if (const auto* before = set->child("before")) request.before = before->text();
    if (const auto* index = set->child("index")) {
        request.index = whole_number(index->text());
        if (!request.index) return std::nullopt;
    }
    return request;
}

// The bytes an attribute value takes once escaped.
std::size_t escaped_size(const std::string& text) {
    std::size_t size = text.size();
    for (const char c : text)
        if (c == '<' || c == '>' || c == '&' || c == '\'' || c == '"') size += 5;
    return size;
}

}  // namespace

DiscoResponder::DiscoResponder(StanzaDispatcher& dispatcher, storage::StorageWorker& storage, DiscoLimits limits)
    : storage_(storage), limits_(limits), features_{ns::kDiscoInfo, ns::kDiscoItems} {
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
    // One page of the public topics, with XEP-0059's <set/> even when the
    // asker sent none, so it learns there are more: one stanza listing
    // thousands would close the stream.
    const auto request = page_request(payload, limits_.page_size);
    if (!request) {
        reply.error("modify", "bad-request");
        return;
    }
    auto shared = std::make_shared<IqReply>(std::move(reply));
    struct Named {
        std::vector<std::pair<std::string, std::string>> items;  // node, what people read
        std::int64_t count = 0, first_index = 0;
    };
    const std::string component = shared->component_jid();
    storage_.submit<Named>(
        [request = *request, component, budget = limits_.max_reply_bytes](storage::Repositories& repos) {
            const auto page = request.before ? repos.nodes.public_nodes_before("", *request.before, request.max)
                              : request.index ? repos.nodes.public_nodes_at("", *request.index, request.max)
                                              : repos.nodes.public_nodes_after("", request.after, request.max);
            std::vector<std::pair<std::string, std::string>> items;
            for (const auto& node : page.names) {
                // A feed's topic reads as the feed's title.
                const auto feed = repos.feeds.find(node);
                items.emplace_back(node, !feed ? node : feed->title.empty() ? feed->url : feed->title);
            }
            // What fits the reply: its start, or its end when paging back,
            // so the next page follows on; always one item.
            std::size_t bytes = 0, fitting = 0;
            for (std::size_t i = 0; i < items.size(); ++i) {
                const auto& [node, name] = items[request.before ? items.size() - 1 - i : i];
                bytes += escaped_size(node) + escaped_size(name) + component.size() + 40;
                if (bytes > budget && fitting > 0) break;
                ++fitting;
            }
            const auto cut = static_cast<std::ptrdiff_t>(items.size() - fitting);
            Named named{{}, page.count, page.first_index};
            if (request.before) {
                named.items.assign(items.begin() + cut, items.end());
                named.first_index += cut;
            } else {
                named.items.assign(items.begin(), items.end() - cut);
            }
            return named;
        },
        [shared, component](std::optional<Named> named, std::exception_ptr error) {
            if (error) return shared->error("wait", "internal-server-error");
            XmlElement list("query", ns::kDiscoItems);
            for (const auto& [node, name] : named->items)
                list.add_child("item").set_attr("jid", component).set_attr("node", node).set_attr("name", name);
            auto& set = list.add_child("set", kRsm);
            if (!named->items.empty()) {
                set.add_child("first")
                    .set_attr("index", std::to_string(named->first_index))
                    .set_text(named->items.front().first);
                set.add_child("last").set_text(named->items.back().first);
            }
            set.add_child("count").set_text(std::to_string(named->count));
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
