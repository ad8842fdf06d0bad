#pragma once

#include "storage/node_repository.h"
#include "storage/postgresql/connection.h"

namespace herald::storage {

class PostgresqlNodeRepository final : public NodeRepository {
public:
    explicit PostgresqlNodeRepository(pg::Connection& connection);

    bool create(const Node& node) override;
    std::optional<Node> find(std::string_view name) override;
    std::vector<std::string> remove(std::string_view name) override;
    bool remove_if_unsubscribed(std::string_view name) override;
    std::vector<RemovedNode> remove_owned_by(std::string_view jid) override;
    std::vector<std::string> public_nodes() override;
    NodePage public_nodes_after(std::string_view contains, std::string_view after, std::int64_t limit) override;
    NodePage public_nodes_before(std::string_view contains, std::string_view before, std::int64_t limit) override;
    NodePage public_nodes_at(std::string_view contains, std::int64_t index, std::int64_t limit) override;
    std::vector<std::string> owned_by(std::string_view jid) override;
    std::string affiliation(std::string_view node, std::string_view jid) override;
    void set_affiliation(std::string_view node, std::string_view jid, std::string_view affiliation) override;
    std::vector<std::pair<std::string, std::string>> affiliations(std::string_view node) override;
    bool subscribe(std::string_view node, std::string_view jid, std::int64_t now) override;
    bool unsubscribe(std::string_view node, std::string_view jid) override;
    bool is_subscribed(std::string_view node, std::string_view jid) override;
    std::vector<std::string> subscriptions_of(std::string_view jid) override;
    void remove_user(std::string_view jid) override;
    LimitedInsert create_within(const Node& node, std::int64_t max_topics) override;
    LimitedInsert follow_feed_within(std::string_view node, std::string_view jid, std::int64_t now,
                                     std::int64_t max_feeds) override;

private:
    // Fills in count and first_index of a page whose names are known.
    NodePage counted(std::string_view contains, std::vector<std::string> names);

    pg::Statement insert_node_, find_node_, delete_node_, delete_items_, public_nodes_, owned_by_;
    pg::Statement delete_subscribers_, delete_unsubscribed_node_;
    pg::Statement get_affiliation_, put_affiliation_, delete_affiliation_, list_affiliations_;
    pg::Statement insert_subscription_, delete_subscription_, find_subscription_, subscriptions_of_;
    pg::Statement personal_nodes_of_, delete_user_subscriptions_, delete_user_affiliations_;
    pg::Statement delete_user_queue_, delete_user_history_, delete_user_acks_;
    pg::Statement insert_node_within_, insert_feed_subscription_within_;
    pg::Statement public_after_, public_before_, public_at_, count_public_, count_public_before_;
};

}  // namespace herald::storage
