#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "routing/access_rules.h"
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

    // Admins only.
    storage::ServiceCounts stats(storage::Repositories& repos, const Actor& actor) const;
    PublishOutcome broadcast(storage::Repositories& repos, const Actor& actor, const std::string& title,
                             const std::string& body, std::int64_t now_ms) const;

    // The owner (or an admin) chooses whether the topic's items need an
    // acknowledgement when their publisher does not say.
    void set_ack_default(storage::Repositories& repos, const Actor& actor, const std::string& node,
                         bool required) const;
    bool ack_default(storage::Repositories& repos, const Actor& actor, const std::string& node) const;

    // A registered user's personal node, subscribed by its owner.
    void create_inbox(storage::Repositories& repos, const std::string& jid) const;

    // Stores an item whose publisher is already allowed, and queues it for
    // the subscribers. A publish that says nothing about acknowledgement
    // takes the topic's default.
    PublishOutcome store_and_fan_out(storage::Repositories& repos, storage::Item item) const;

private:
    const Settings& config_;
    const PayloadFormat& payloads_;
};

}  // namespace herald::routing
