#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "routing/affiliation.h"
#include "routing/escalation_channel.h"
#include "routing/payload_format.h"
#include "routing/publish_model.h"
#include "routing/refusal.h"
#include "routing/settings.h"
#include "storage/storage_worker.h"

namespace herald::routing {

// Priorities as stored: low 0, normal 1, high 2, urgent 3.
std::optional<int> parse_priority(std::string_view name);
std::string priority_name(int priority);

// Who asks: their bare JID and whether the config makes them an admin.
struct Actor {
    std::string jid;
    bool admin = false;
};

// A refusal, with its stanza error and XEP-0060 application condition.
class PubsubError : public std::runtime_error {
public:
    explicit PubsubError(Refusal reason, std::string pubsub_condition = {}, std::string text = {})
        : std::runtime_error(std::string(stanza_error_of(reason).condition)), reason(reason),
          pubsub_condition(std::move(pubsub_condition)), text(std::move(text)) {}
    Refusal reason;
    std::string pubsub_condition;  // e.g. invalid-jid, in pubsub#errors
    std::string text;              // for people: what to change
};

// What a refusal means to a person in a chat client.
std::string explain(const PubsubError& error);

struct PublishOutcome {
    std::string item_id;
    std::vector<std::string> subscribers;
    // The item as it sits in each subscriber's queue; empty when a full
    // queue dropped something, so deliveries read the queues again.
    std::optional<storage::QueuedItem> queued;
};

// The rules for topics, subscriptions and publishing: one place for each,
// called by the XEP-0060 IQs, and by ad-hoc and chat commands. Each runs
// inside a storage job, on the storage thread, and throws PubsubError to
// refuse.
class PubsubService {
public:
    PubsubService(const Settings& config, const PayloadFormat& payloads) : config_(config), payloads_(payloads) {}

    static std::string inbox_of(const std::string& jid) { return "inbox/" + jid; }
    const PayloadFormat& payloads() const { return payloads_; }

    void create_node(storage::Repositories& repos, const Actor& actor, const std::string& node,
                     const std::string& publish_model) const;
    // Returns the subscribers, to be told the node is gone.
    std::vector<std::string> delete_node(storage::Repositories& repos, const Actor& actor,
                                         const std::string& node) const;
    PublishOutcome publish(storage::Repositories& repos, const Actor& actor, storage::Item item) const;
    void subscribe(storage::Repositories& repos, const Actor& actor, const std::string& node,
                   const std::string& jid) const;
    void unsubscribe(storage::Repositories& repos, const Actor& actor, const std::string& node,
                     const std::string& jid) const;
    std::vector<std::string> subscriptions(storage::Repositories& repos, const Actor& actor) const;
    std::vector<storage::Item> items(storage::Repositories& repos, const Actor& actor,
                                     const std::string& node, int max_items) const;
    std::vector<std::pair<std::string, std::string>> affiliations(storage::Repositories& repos,
                                                                  const Actor& actor,
                                                                  const std::string& node) const;
    void set_affiliations(storage::Repositories& repos, const Actor& actor, const std::string& node,
                          const std::vector<std::pair<std::string, std::string>>& changes) const;

    // The user's last notifications: received, dropped or expired.
    std::vector<storage::HistoryEntry> history(storage::Repositories& repos, const Actor& actor,
                                               int limit) const;
    storage::Preferences preferences(storage::Repositories& repos, const Actor& actor) const;
    // Checks every field; refuses with a text naming what is wrong. Returns
    // the webhook signing secret when this change made it: to be shown to
    // the user this once, never logged, never again.
    std::optional<std::string> set_preferences(storage::Repositories& repos, const Actor& actor,
                                               const storage::Preferences& preferences) const;
    // A new webhook signing secret, to be shown this once; the old one stops
    // signing. Refused unless the user escalates by webhook.
    std::string new_webhook_secret(storage::Repositories& repos, const Actor& actor) const;
    storage::Preferences set_paused(storage::Repositories& repos, const Actor& actor, bool paused) const;
    // Admins only.
    storage::ServiceCounts stats(storage::Repositories& repos, const Actor& actor) const;
    PublishOutcome broadcast(storage::Repositories& repos, const Actor& actor, const std::string& title,
                             const std::string& body, std::int64_t now_ms) const;

    // HTTP publishing: the owner (or an admin) makes a token for a node; it is
    // shown once and only its digest is kept.
    std::string create_token(storage::Repositories& repos, const Actor& actor, const std::string& node,
                             const std::string& label) const;
    void revoke_token(storage::Repositories& repos, const Actor& actor, const std::string& node,
                      const std::string& label) const;
    std::vector<std::string> token_labels(storage::Repositories& repos, const Actor& actor,
                                          const std::string& node) const;
    // An unknown topic, an unknown token and a token for another topic are
    // refused alike: item-not-found.
    PublishOutcome publish_with_token(storage::Repositories& repos, const std::string& token,
                                      storage::Item item) const;
    // An item as its HTTP publisher reads it, with the same refusals.
    storage::ItemStatus item_status(storage::Repositories& repos, const std::string& token, const std::string& node,
                                    const std::string& item_id) const;

    // The owner (or an admin) chooses whether the topic's items need an
    // acknowledgement when their publisher does not say.
    void set_ack_default(storage::Repositories& repos, const Actor& actor, const std::string& node,
                         bool required) const;
    bool ack_default(storage::Repositories& repos, const Actor& actor, const std::string& node) const;

    // A registered user's personal node, subscribed by its owner.
    void create_inbox(storage::Repositories& repos, const std::string& jid) const;

private:
    // A per-user limit from the config; admins have none.
    std::int64_t limit_for(const Actor& actor, std::int64_t limit) const;
    void require_registered(storage::Repositories& repos, const Actor& actor) const;
    storage::Node require_node(storage::Repositories& repos, const std::string& node) const;
    // One refusal for an unknown topic, an unknown token and a token for another topic.
    storage::NodeToken require_token(storage::Repositories& repos, const std::string& digest,
                                     const std::string& node) const;
    void require_owner(storage::Repositories& repos, const Actor& actor, const storage::Node& node) const;
    // A publish that says nothing about acknowledgement takes the topic's default.
    PublishOutcome store_and_fan_out(storage::Repositories& repos, storage::Item item) const;

    const Settings& config_;
    const PayloadFormat& payloads_;
};

}  // namespace herald::routing
