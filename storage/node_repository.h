#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/limited_insert.h"
#include "storage/pubsub_records.h"

namespace herald::storage {

// One page of public topics, ordered by name.
struct NodePage {
    std::vector<std::string> names;
    std::int64_t count = 0;        // every public topic that matches, on any page
    std::int64_t first_index = 0;  // the position of names.front() among them
};

// A node that was removed, and who was subscribed to it.
struct RemovedNode {
    std::string name;
    std::vector<std::string> subscribers;
};

// Topics, who may publish to them, and who is subscribed.
class NodeRepository {
public:
    virtual ~NodeRepository() = default;

    // False when a node of that name exists.
    virtual bool create(const Node& node) = 0;
    virtual std::optional<Node> find(std::string_view name) = 0;
    // Removes the node with its items, queue entries and subscriptions;
    // returns who was subscribed.
    virtual std::vector<std::string> remove(std::string_view name) = 0;
    // remove, unless someone is subscribed; true when it was removed.
    virtual bool remove_if_unsubscribed(std::string_view name) = 0;
    // remove every topic (not personal node) the user is owner of.
    virtual std::vector<RemovedNode> remove_owned_by(std::string_view jid) = 0;
    virtual std::vector<std::string> public_nodes() = 0;
    // Up to `limit` public topics whose name contains `contains` (ASCII
    // letters in any case; every topic when empty), by name: those after
    // `after` (from the first when empty).
    virtual NodePage public_nodes_after(std::string_view contains, std::string_view after, std::int64_t limit) = 0;
    // The same, the `limit` just before `before` (the last page when empty).
    virtual NodePage public_nodes_before(std::string_view contains, std::string_view before, std::int64_t limit) = 0;
    // The same, from the one at `index` (0 is the first).
    virtual NodePage public_nodes_at(std::string_view contains, std::int64_t index, std::int64_t limit) = 0;
    // The topics (not personal nodes) the user is owner of, by name.
    virtual std::vector<std::string> owned_by(std::string_view jid) = 0;

    // "owner", "publisher" or "" (none).
    virtual std::string affiliation(std::string_view node, std::string_view jid) = 0;
    // affiliation "none" removes it.
    virtual void set_affiliation(std::string_view node, std::string_view jid,
                                 std::string_view affiliation) = 0;
    virtual std::vector<std::pair<std::string, std::string>> affiliations(std::string_view node) = 0;

    // True when the subscription is new.
    virtual bool subscribe(std::string_view node, std::string_view jid, std::int64_t now) = 0;
    // True when there was a subscription.
    virtual bool unsubscribe(std::string_view node, std::string_view jid) = 0;
    virtual bool is_subscribed(std::string_view node, std::string_view jid) = 0;
    virtual std::vector<std::string> subscriptions_of(std::string_view jid) = 0;

    // Everything a user leaves behind when unregistering: subscriptions,
    // affiliations, queue, history, acknowledgements awaited and their personal node.
    virtual void remove_user(std::string_view jid) = 0;

    // create, unless its owner already owns `max_topics` topics (personal
    // nodes not counted).
    virtual LimitedInsert create_within(const Node& node, std::int64_t max_topics) = 0;
    // subscribe to a feed's node, unless the user already follows
    // `max_feeds` feeds.
    virtual LimitedInsert follow_feed_within(std::string_view node, std::string_view jid, std::int64_t now,
                                             std::int64_t max_feeds) = 0;
};

}  // namespace herald::storage
