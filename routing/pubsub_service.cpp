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

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Feeds' and inboxes' nodes are made by the service only; the broadcast
// node's names are left to admins.
bool reserved_name(const std::string& name, bool admin) {
    const auto starts = [&](const char* prefix) { return name.rfind(prefix, 0) == 0; };
    return starts("feed/") || starts("inbox/") || (!admin && starts("announcement"));
}

// Past a per-user limit: the refusal names the limit and its setting.
PubsubError over_limit(std::int64_t limit, const std::string& what, const std::string& setting) {
    return PubsubError(Refusal::policy_violation, "",
                       "you have reached this service's limit of " + std::to_string(limit) + " " + what +
                           " per user (limits." + setting + "); remove one first");
}

bool printable_name(const std::string& name) {
    return std::none_of(name.begin(), name.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }) &&
           name.front() != ' ' && name.back() != ' ';
}

}  // namespace

std::string explain(const PubsubError& error) {
    if (!error.text.empty()) return error.text;
    if (error.pubsub_condition == "not-subscribed") return "you are not subscribed to that topic";
    if (error.pubsub_condition == "nodeid-required") return "a topic name is needed";
    switch (error.reason) {
        case Refusal::registration_required: return "you are not registered: add this contact to your roster first";
        case Refusal::item_not_found: return "there is no such topic";
        case Refusal::forbidden: return "you are not allowed to do that";
        case Refusal::conflict: return "that topic already exists";
        case Refusal::not_allowed: return "that name is reserved";
        case Refusal::not_acceptable: return "that topic name is not acceptable";
        default: return std::string(stanza_error_of(error.reason).condition);
    }
}

std::optional<int> parse_priority(std::string_view name) {
    for (std::size_t i = 0; i < kPriorities.size(); ++i)
        if (name == kPriorities[i]) return static_cast<int>(i);
    return std::nullopt;
}

std::string priority_name(int priority) {
    return kPriorities[static_cast<std::size_t>(std::clamp(priority, 0, 3))];
}

std::int64_t PubsubService::limit_for(const Actor& actor, std::int64_t limit) const {
    return actor.admin ? std::numeric_limits<std::int64_t>::max() : limit;
}

void PubsubService::require_registered(storage::Repositories& repos, const Actor& actor) const {
    if (!repos.users.find(actor.jid)) throw PubsubError(Refusal::registration_required);
}

storage::Node PubsubService::require_node(storage::Repositories& repos, const std::string& node) const {
    auto found = repos.nodes.find(node);
    if (!found) throw PubsubError(Refusal::item_not_found);
    return *found;
}

void PubsubService::require_owner(storage::Repositories& repos, const Actor& actor,
                                  const storage::Node& node) const {
    if (!actor.admin && affiliation_named(repos.nodes.affiliation(node.name, actor.jid)) != Affiliation::owner)
        throw PubsubError(Refusal::forbidden);
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

std::string PubsubService::create_token(storage::Repositories& repos, const Actor& actor, const std::string& node,
                                        const std::string& label) const {
    require_owner(repos, actor, require_node(repos, node));
    if (label.empty() || label.size() > 100)
        throw PubsubError(Refusal::bad_request, "", "a token needs a label of 1 to 100 characters");
    const auto token = new_secret_token();
    const auto limit = limit_for(actor, config_.limits.max_tokens_per_user);
    const auto added = repos.tokens.add_within(token_digest(token), {node, label, actor.jid}, now_seconds(), limit);
    if (added == storage::LimitedInsert::exists)
        throw PubsubError(Refusal::conflict, "", "this topic already has a token labelled '" + label + "'");
    if (added == storage::LimitedInsert::over_limit) throw over_limit(limit, "HTTP tokens", "max_tokens_per_user");
    return token;
}

void PubsubService::revoke_token(storage::Repositories& repos, const Actor& actor, const std::string& node,
                                 const std::string& label) const {
    require_owner(repos, actor, require_node(repos, node));
    if (!repos.tokens.revoke(node, label))
        throw PubsubError(Refusal::item_not_found, "", "this topic has no token labelled '" + label + "'");
}

std::vector<std::string> PubsubService::token_labels(storage::Repositories& repos, const Actor& actor,
                                                     const std::string& node) const {
    require_owner(repos, actor, require_node(repos, node));
    return repos.tokens.labels(node);
}

PublishOutcome PubsubService::publish_with_token(storage::Repositories& repos, const std::string& token,
                                                 storage::Item item) const {
    // One refusal for an unknown topic, an unknown token and a token for
    // another topic: a caller without the right token learns nothing about
    // which topics (or inboxes, hence users) exist.
    const auto digest = token_digest(token);
    item.publisher = require_token(repos, digest, item.node).created_by;
    if (item.ack_callback) item.callback_key = digest;
    return store_and_fan_out(repos, item);
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

storage::ItemStatus PubsubService::item_status(storage::Repositories& repos, const std::string& token,
                                               const std::string& node, const std::string& item_id) const {
    require_token(repos, token_digest(token), node);
    auto status = repos.acks.status(node, item_id);
    if (!status) throw PubsubError(Refusal::item_not_found, "", "no such item");
    return std::move(*status);
}

storage::NodeToken PubsubService::require_token(storage::Repositories& repos, const std::string& digest,
                                                const std::string& node) const {
    auto found = repos.tokens.find(digest);
    if (!found || found->node != node || !repos.nodes.find(node))
        throw PubsubError(Refusal::item_not_found, "", "no such topic, or the token is not valid for it");
    return std::move(*found);
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
        std::vector<storage::Item> received;
        for (auto& entry : history(repos, actor, std::clamp(max_items, 1, config_.pubsub.max_items_returned)))
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

std::vector<storage::HistoryEntry> PubsubService::history(storage::Repositories& repos, const Actor& actor,
                                                          int limit) const {
    require_registered(repos, actor);
    return repos.queue.history(actor.jid, std::clamp(limit, 1, config_.pubsub.max_items_returned));
}

storage::Preferences PubsubService::preferences(storage::Repositories& repos, const Actor& actor) const {
    require_registered(repos, actor);
    return repos.users.preferences(actor.jid);
}

std::optional<std::string> PubsubService::set_preferences(storage::Repositories& repos, const Actor& actor,
                                                          const storage::Preferences& p) const {
    require_registered(repos, actor);
    auto refuse = [](const std::string& text) { throw PubsubError(Refusal::bad_request, "", text); };
    if (p.message_type && *p.message_type != "chat" && *p.message_type != "headline" && *p.message_type != "pubsub")
        refuse("message type must be chat, headline or pubsub");
    if (p.dnd_holds != "none" && p.dnd_holds != "low" && p.dnd_holds != "normal" && p.dnd_holds != "high")
        refuse("while dnd, hold back one of: none, low, normal, high");
    const bool any_quiet = p.quiet_start || p.quiet_end || p.quiet_zone;
    if (any_quiet) {
        if (!p.quiet_start || !parse_clock_time(*p.quiet_start)) refuse("quiet hours start must be HH:MM, e.g. 22:00");
        if (!p.quiet_end || !parse_clock_time(*p.quiet_end)) refuse("quiet hours end must be HH:MM, e.g. 07:00");
        if (!p.quiet_zone || !known_time_zone(*p.quiet_zone))
            refuse("quiet hours need a time zone such as Europe/Paris or UTC");
    }
    const auto channel = escalation_channel_named(p.escalation_channel);
    if (!channel) refuse("escalation channel must be none, mail or webhook");
    if (p.escalation_minutes < 0 || p.escalation_minutes > 7 * 24 * 60)
        refuse("escalation delay must be between 0 and 10080 minutes");
    if (channel == EscalationChannel::mail &&
        (!p.escalation_target || p.escalation_target->find('@') == std::string::npos))
        refuse("escalation by mail needs an email address");
    if (channel == EscalationChannel::webhook &&
        (!p.escalation_target || (p.escalation_target->rfind("https://", 0) != 0 &&
                                  p.escalation_target->rfind("http://", 0) != 0)))
        refuse("escalation by webhook needs an http or https URL");
    if (p.escalation_target && p.escalation_target->find_first_of("<> \r\n") != std::string::npos)
        refuse("the escalation address or URL may not contain spaces, line breaks or angle brackets");
    if (p.escalation_min_priority < 0 || p.escalation_min_priority > 3)
        refuse("escalation priority must be low, normal, high or urgent");
    repos.users.save_preferences(actor.jid, p);
    if (channel != EscalationChannel::webhook) return std::nullopt;
    const auto made = new_secret_token();
    if (repos.escalations.webhook_secret(actor.jid, made) == made) return made;
    return std::nullopt;
}

std::string PubsubService::new_webhook_secret(storage::Repositories& repos, const Actor& actor) const {
    require_registered(repos, actor);
    auto made = new_secret_token();
    if (!repos.escalations.replace_webhook_secret(actor.jid, made))
        throw PubsubError(Refusal::bad_request, "",
                          "you do not escalate by webhook, so there is no signing secret to replace");
    return made;
}

storage::Preferences PubsubService::set_paused(storage::Repositories& repos, const Actor& actor,
                                               bool paused) const {
    require_registered(repos, actor);
    return repos.users.set_paused(actor.jid, paused);
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
