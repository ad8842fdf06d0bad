#include "routing/pubsub_service.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <limits>

#include "routing/item_id.h"
#include "routing/quiet_hours.h"
#include "routing/secret_token.h"

namespace herald::routing {

namespace {

constexpr std::array<const char*, 4> kPriorities = {"low", "normal", "high", "urgent"};

// Feeds' and inboxes' nodes are made by the service only; the broadcast
// node's names are left to admins.
bool reserved_name(const std::string& name, bool admin) {
    const auto starts = [&](const char* prefix) { return name.rfind(prefix, 0) == 0; };
    return starts("feed/") || starts("inbox/") || (!admin && starts("announcement"));
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

void PubsubService::create_node(storage::Repositories& repos, const Actor& actor, const std::string& node,
                                const std::string& publish_model) const {
    require_registered(repos, actor);
    if (config_.pubsub.only_admins_create_nodes && !actor.admin) throw PubsubError(Refusal::forbidden);
    if (node.empty()) throw PubsubError(Refusal::not_acceptable, "nodeid-required");
    if (node.size() > config_.pubsub.max_node_name_length || !printable_name(node))
        throw PubsubError(Refusal::not_acceptable);
    if (reserved_name(node, actor.admin))
        throw PubsubError(Refusal::not_allowed, "",
                          "topic names starting with feed/, inbox/ or announcement are reserved");
    const auto model = publish_model_named(publish_model);
    if (!model) throw PubsubError(Refusal::not_acceptable, "unsupported");
    const auto limit = limit_for(actor, config_.limits.max_topics_per_user);
    const auto created =
        repos.nodes.create_within({node, actor.jid, std::string(name_of(*model)), false, now_seconds()}, limit);
    if (created == storage::LimitedInsert::exists) throw PubsubError(Refusal::conflict);
    if (created == storage::LimitedInsert::over_limit) throw over_limit(limit, "topics", "max_topics_per_user");
}

std::vector<std::string> PubsubService::delete_node(storage::Repositories& repos, const Actor& actor,
                                                    const std::string& node) const {
    const auto found = require_node(repos, node);
    require_owner(repos, actor, found);
    if (found.personal && !actor.admin) throw PubsubError(Refusal::not_allowed);
    return repos.nodes.remove(node);
}

PublishOutcome PubsubService::publish(storage::Repositories& repos, const Actor& actor,
                                      storage::Item item) const {
    const auto node = require_node(repos, item.node);
    const auto affiliation = affiliation_named(repos.nodes.affiliation(node.name, actor.jid));
    const bool open = publish_model_named(node.publish_model) == PublishModel::open;
    const bool may_publish = actor.admin || affiliation == Affiliation::owner ||
                             affiliation == Affiliation::publisher || (open && repos.users.find(actor.jid));
    if (!may_publish) throw PubsubError(Refusal::forbidden);
    item.publisher = actor.jid;
    return store_and_fan_out(repos, item);
}

PublishOutcome PubsubService::store_and_fan_out(storage::Repositories& repos, storage::Item item) const {
    if (!item.ack_required) item.ack_required = repos.acks.topic_requires_ack(item.node);
    auto fan_out = repos.queue.publish(item);
    PublishOutcome outcome{item.item_id, std::move(fan_out.users), std::nullopt};
    if (repos.queue.trim(outcome.subscribers, config_.delivery.max_queue_per_user, item.published_ms) == 0)
        outcome.queued = storage::QueuedItem{fan_out.seq, item};
    return outcome;
}

void PubsubService::set_ack_default(storage::Repositories& repos, const Actor& actor, const std::string& node,
                                    bool required) const {
    require_owner(repos, actor, require_node(repos, node));
    repos.acks.set_topic_requires_ack(node, required);
}

bool PubsubService::ack_default(storage::Repositories& repos, const Actor& actor, const std::string& node) const {
    require_owner(repos, actor, require_node(repos, node));
    return repos.acks.topic_requires_ack(node);
}

void PubsubService::subscribe(storage::Repositories& repos, const Actor& actor, const std::string& node,
                              const std::string& jid) const {
    if (jid != actor.jid) throw PubsubError(Refusal::bad_request, "invalid-jid");
    require_registered(repos, actor);
    const auto found = require_node(repos, node);
    if (found.personal && found.owner != actor.jid) throw PubsubError(Refusal::forbidden);
    if (!repos.feeds.find(node)) {
        repos.nodes.subscribe(node, jid, now_seconds());
        return;
    }
    const auto limit = limit_for(actor, config_.limits.max_feeds_per_user);
    if (repos.nodes.follow_feed_within(node, jid, now_seconds(), limit) == storage::LimitedInsert::over_limit)
        throw over_limit(limit, "feeds", "max_feeds_per_user");
}

void PubsubService::unsubscribe(storage::Repositories& repos, const Actor& actor, const std::string& node,
                                const std::string& jid) const {
    if (jid != actor.jid) throw PubsubError(Refusal::bad_request, "invalid-jid");
    require_node(repos, node);
    if (!repos.nodes.unsubscribe(node, jid))
        throw PubsubError(Refusal::unexpected_request, "not-subscribed");
}

std::vector<std::string> PubsubService::subscriptions(storage::Repositories& repos,
                                                      const Actor& actor) const {
    require_registered(repos, actor);
    return repos.nodes.subscriptions_of(actor.jid);
}

std::vector<storage::Item> PubsubService::items(storage::Repositories& repos, const Actor& actor,
                                                const std::string& node, int max_items) const {
    const auto found = require_node(repos, node);
    // A user's own inbox reads as their history: everything that reached them.
    if (found.personal && found.owner == actor.jid) {
        require_registered(repos, actor);
        std::vector<storage::Item> received;
        for (auto& entry : repos.queue.history(actor.jid, std::clamp(max_items, 1, config_.pubsub.max_items_returned)))
            received.push_back(std::move(entry.item));
        return received;
    }
    // An inbox is private to its owner: those allowed to publish there do not
    // read what others sent. A topic is read by its owner, publishers and
    // subscribers.
    const bool may_read = actor.admin || (!found.personal && (!repos.nodes.affiliation(node, actor.jid).empty() ||
                                                              repos.nodes.is_subscribed(node, actor.jid)));
    if (!may_read) throw PubsubError(Refusal::forbidden);
    return repos.queue.recent_items(node, std::clamp(max_items, 1, config_.pubsub.max_items_returned));
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
        const auto wanted = affiliation_named(affiliation);
        if (wanted != Affiliation::publisher && wanted != Affiliation::none)
            throw PubsubError(Refusal::not_acceptable);
        if (jid == found.owner) throw PubsubError(Refusal::not_acceptable);
        repos.nodes.set_affiliation(node, jid, name_of(*wanted));
    }
}

storage::ServiceCounts PubsubService::stats(storage::Repositories& repos, const Actor& actor) const {
    if (!actor.admin) throw PubsubError(Refusal::forbidden);
    return repos.queue.counts();
}

PublishOutcome PubsubService::broadcast(storage::Repositories& repos, const Actor& actor, const std::string& title,
                                        const std::string& body, std::int64_t now_ms) const {
    if (!actor.admin) throw PubsubError(Refusal::forbidden);
    if (title.empty() && body.empty()) throw PubsubError(Refusal::bad_request, "", "a broadcast needs a title or a text");
    storage::Item item;
    item.item_id = "broadcast-" + random_item_id();
    item.node = "announcement";
    item.publisher = actor.jid;
    item.title = title;
    item.body = body;
    item.priority = 2;
    item.published_ms = now_ms;
    item.payload = payloads_.payload({title, body, "", "high"});
    auto fan_out = repos.queue.publish_to_everyone(item);
    return {item.item_id, std::move(fan_out.users), storage::QueuedItem{fan_out.seq, item}};
}

void PubsubService::create_inbox(storage::Repositories& repos, const std::string& jid) const {
    const auto inbox = inbox_of(jid);
    repos.nodes.create({inbox, jid, std::string(name_of(PublishModel::publishers)), true, now_seconds()});
    repos.nodes.subscribe(inbox, jid, now_seconds());
}

}  // namespace herald::routing
