#include "component/pubsub_service.h"

#include <algorithm>
#include <array>
#include <chrono>

namespace herald::component {
namespace {

constexpr std::array<const char*, 4> kPriorities = {"low", "normal", "high", "urgent"};

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

bool printable_name(const std::string& name) {
    return std::none_of(name.begin(), name.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }) &&
           name.front() != ' ' && name.back() != ' ';
}

}  // namespace

std::optional<int> parse_priority(std::string_view name) {
    for (std::size_t i = 0; i < kPriorities.size(); ++i)
        if (name == kPriorities[i]) return static_cast<int>(i);
    return std::nullopt;
}

std::string priority_name(int priority) {
    return kPriorities[static_cast<std::size_t>(std::clamp(priority, 0, 3))];
}

void PubsubService::require_registered(storage::Repositories& repos, const Actor& actor) const {
    if (!repos.users.find(actor.jid)) throw PubsubError("auth", "registration-required");
}

storage::Node PubsubService::require_node(storage::Repositories& repos, const std::string& node) const {
    auto found = repos.nodes.find(node);
    if (!found) throw PubsubError("cancel", "item-not-found");
    return *found;
}

void PubsubService::require_owner(storage::Repositories& repos, const Actor& actor,
                                  const storage::Node& node) const {
    if (!actor.admin && repos.nodes.affiliation(node.name, actor.jid) != "owner")
        throw PubsubError("auth", "forbidden");
}

void PubsubService::create_node(storage::Repositories& repos, const Actor& actor, const std::string& node,
                                const std::string& publish_model) const {
    require_registered(repos, actor);
    if (config_.only_admins_create_nodes && !actor.admin) throw PubsubError("auth", "forbidden");
    if (node.empty()) throw PubsubError("modify", "not-acceptable", "nodeid-required");
    if (node.size() > config_.max_node_name_length || !printable_name(node))
        throw PubsubError("modify", "not-acceptable");
    if (node.rfind("inbox/", 0) == 0) throw PubsubError("cancel", "not-allowed");
    if (publish_model != "publishers" && publish_model != "open")
        throw PubsubError("modify", "not-acceptable", "unsupported");
    if (!repos.nodes.create({node, actor.jid, publish_model, false, now_seconds()}))
        throw PubsubError("cancel", "conflict");
}

std::vector<std::string> PubsubService::delete_node(storage::Repositories& repos, const Actor& actor,
                                                    const std::string& node) const {
    const auto found = require_node(repos, node);
    require_owner(repos, actor, found);
    if (found.personal && !actor.admin) throw PubsubError("cancel", "not-allowed");
    auto subscribers = repos.nodes.subscribers(node);
    repos.nodes.remove(node);
    return subscribers;
}

PublishOutcome PubsubService::publish(storage::Repositories& repos, const Actor& actor,
                                      storage::Item item) const {
    const auto node = require_node(repos, item.node);
    const auto affiliation = repos.nodes.affiliation(node.name, actor.jid);
    const bool may_publish = actor.admin || affiliation == "owner" || affiliation == "publisher" ||
                             (node.publish_model == "open" && repos.users.find(actor.jid));
    if (!may_publish) throw PubsubError("auth", "forbidden");
    item.publisher = actor.jid;
    PublishOutcome outcome{item.item_id, repos.queue.publish(item)};
    repos.queue.trim(outcome.subscribers, config_.max_queue_per_user, item.published_ms);
    return outcome;
}

void PubsubService::subscribe(storage::Repositories& repos, const Actor& actor, const std::string& node,
                              const std::string& jid) const {
    if (jid != actor.jid) throw PubsubError("modify", "bad-request", "invalid-jid");
    require_registered(repos, actor);
    const auto found = require_node(repos, node);
    if (found.personal && found.owner != actor.jid) throw PubsubError("auth", "forbidden");
    repos.nodes.subscribe(node, jid, now_seconds());
}

void PubsubService::unsubscribe(storage::Repositories& repos, const Actor& actor, const std::string& node,
                                const std::string& jid) const {
    if (jid != actor.jid) throw PubsubError("modify", "bad-request", "invalid-jid");
    require_node(repos, node);
    if (!repos.nodes.unsubscribe(node, jid))
        throw PubsubError("cancel", "unexpected-request", "not-subscribed");
}

std::vector<std::string> PubsubService::subscriptions(storage::Repositories& repos,
                                                      const Actor& actor) const {
    require_registered(repos, actor);
    return repos.nodes.subscriptions_of(actor.jid);
}

std::vector<storage::Item> PubsubService::items(storage::Repositories& repos, const Actor& actor,
                                                const std::string& node, int max_items) const {
    const auto found = require_node(repos, node);
    const bool may_read = actor.admin || !repos.nodes.affiliation(node, actor.jid).empty() ||
                          repos.nodes.is_subscribed(node, actor.jid);
    if (!may_read) throw PubsubError("auth", "forbidden");
    return repos.queue.recent_items(node, std::clamp(max_items, 1, config_.max_items_returned));
}

std::vector<std::pair<std::string, std::string>> PubsubService::affiliations(
    storage::Repositories& repos, const Actor& actor, const std::string& node) const {
    require_owner(repos, actor, require_node(repos, node));
    return repos.nodes.affiliations(node);
}

void PubsubService::set_affiliations(storage::Repositories& repos, const Actor& actor, const std::string& node,
                                     const std::vector<std::pair<std::string, std::string>>& changes) const {
    const auto found = require_node(repos, node);
    require_owner(repos, actor, found);
    for (const auto& [jid, affiliation] : changes) {
        if (affiliation != "publisher" && affiliation != "none") throw PubsubError("modify", "not-acceptable");
        if (jid == found.owner) throw PubsubError("modify", "not-acceptable");
        repos.nodes.set_affiliation(node, jid, affiliation);
    }
}

void PubsubService::create_inbox(storage::Repositories& repos, const std::string& jid) const {
    const auto inbox = inbox_of(jid);
    repos.nodes.create({inbox, jid, "publishers", true, now_seconds()});
    repos.nodes.subscribe(inbox, jid, now_seconds());
}

}  // namespace herald::component
