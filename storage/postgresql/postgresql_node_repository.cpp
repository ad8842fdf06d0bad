#include "storage/postgresql/postgresql_node_repository.h"

#include <algorithm>

namespace herald::storage {

using namespace pg;
namespace {

std::vector<std::string> first_column(const Result& rows) {
    std::vector<std::string> values;
    for (int row = 0; row < rows.rows(); ++row) values.push_back(rows.text(row, 0));
    return values;
}

// ASCII letters in any case, as SQLite's lower(): "C" lowers nothing else.
constexpr const char* kNameContains = "strpos(lower(name), lower($1::text COLLATE \"C\")) > 0";

std::string public_names(const std::string& rest) {
    return std::string("SELECT name FROM nodes WHERE NOT personal AND ") + kNameContains + rest;
}

}  // namespace

PostgresqlNodeRepository::PostgresqlNodeRepository(Connection& connection)
    : insert_node_(connection, "INSERT INTO nodes (name, owner, publish_model, personal, created_at) "
                               "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING"),
      find_node_(connection, "SELECT name, owner, publish_model, personal, created_at FROM nodes WHERE name = $1"),
      delete_node_(connection, "DELETE FROM nodes WHERE name = $1"),
      delete_items_(connection, "DELETE FROM items WHERE node = $1"),
      public_nodes_(connection, "SELECT name FROM nodes WHERE NOT personal ORDER BY name"),
      owned_by_(connection, "SELECT nodes.name FROM nodes JOIN affiliations ON affiliations.node = nodes.name "
                            "WHERE affiliations.jid = $1 AND affiliations.affiliation = 'owner' "
                            "AND NOT nodes.personal ORDER BY nodes.name"),
      delete_subscribers_(connection, "DELETE FROM subscriptions WHERE node = $1 RETURNING jid"),
      delete_unsubscribed_node_(connection, "DELETE FROM nodes WHERE name = $1 "
                                            "AND NOT EXISTS (SELECT 1 FROM subscriptions WHERE node = $1)"),
      get_affiliation_(connection, "SELECT affiliation FROM affiliations WHERE node = $1 AND jid = $2"),
      put_affiliation_(connection, "INSERT INTO affiliations (node, jid, affiliation) VALUES ($1, $2, $3) "
                                   "ON CONFLICT (node, jid) DO UPDATE SET affiliation = excluded.affiliation"),
      delete_affiliation_(connection, "DELETE FROM affiliations WHERE node = $1 AND jid = $2"),
      list_affiliations_(connection, "SELECT jid, affiliation FROM affiliations WHERE node = $1 ORDER BY jid"),
      insert_subscription_(connection, "INSERT INTO subscriptions (node, jid, created_at) VALUES ($1, $2, $3) "
                                       "ON CONFLICT (node, jid) DO NOTHING"),
      delete_subscription_(connection, "DELETE FROM subscriptions WHERE node = $1 AND jid = $2"),
      find_subscription_(connection, "SELECT 1 FROM subscriptions WHERE node = $1 AND jid = $2"),
      subscriptions_of_(connection, "SELECT node FROM subscriptions WHERE jid = $1 ORDER BY node"),
      personal_nodes_of_(connection, "SELECT name FROM nodes WHERE personal AND owner = $1"),
      delete_user_subscriptions_(connection, "DELETE FROM subscriptions WHERE jid = $1"),
      delete_user_affiliations_(connection, "DELETE FROM affiliations WHERE jid = $1"),
      delete_user_queue_(connection, "DELETE FROM queue WHERE user_jid = $1"),
      delete_user_history_(connection, "DELETE FROM history WHERE user_jid = $1"),
      delete_user_acks_(connection, "DELETE FROM ack_recipients WHERE user_jid = $1"),
      insert_node_within_(connection,
                          "INSERT INTO nodes (name, owner, publish_model, personal, created_at) "
                          "SELECT $1::text, $2::text, $3::text, $4::boolean, $5::bigint "
                          "WHERE (SELECT count(*) FROM nodes WHERE owner = $2 AND NOT personal) < $6 "
                          "ON CONFLICT (name) DO NOTHING"),
      insert_feed_subscription_within_(connection,
                                       "INSERT INTO subscriptions (node, jid, created_at) "
                                       "SELECT $1::text, $2::text, $3::bigint "
                                       "WHERE (SELECT count(*) FROM subscriptions JOIN feeds ON feeds.node = "
                                       "subscriptions.node WHERE subscriptions.jid = $2) < $4 "
                                       "ON CONFLICT (node, jid) DO NOTHING"),
      public_after_(connection, public_names(" AND name > $2 ORDER BY name LIMIT $3")),
      public_before_(connection, public_names(" AND ($2 = '' OR name < $2) ORDER BY name DESC LIMIT $3")),
      public_at_(connection, public_names(" ORDER BY name LIMIT $3 OFFSET $2")),
      count_public_(connection, std::string("SELECT count(*) FROM nodes WHERE NOT personal AND ") + kNameContains),
      count_public_before_(connection, std::string("SELECT count(*) FROM nodes WHERE NOT personal AND name < $2 AND ") +
                                           kNameContains) {}

bool PostgresqlNodeRepository::create(const Node& node) {
    if (insert_node_.run(node.name, node.owner, node.publish_model, node.personal, node.created_at).affected() == 0)
        return false;
    set_affiliation(node.name, node.owner, "owner");
    return true;
}

std::optional<Node> PostgresqlNodeRepository::find(std::string_view name) {
    const auto rows = find_node_.run(name);
    if (rows.empty()) return std::nullopt;
    return Node{rows.text(0, 0), rows.text(0, 1), rows.text(0, 2), rows.boolean(0, 3), rows.integer(0, 4)};
}

// Items go with the node; their queue and history rows follow by cascade.
std::vector<std::string> PostgresqlNodeRepository::remove(std::string_view name) {
    auto subscribers = first_column(delete_subscribers_.run(name));
    delete_items_.run(name);
    delete_node_.run(name);
    return subscribers;
}

bool PostgresqlNodeRepository::remove_if_unsubscribed(std::string_view name) {
    if (delete_unsubscribed_node_.run(name).affected() == 0) return false;
    delete_items_.run(name);
    return true;
}

std::vector<RemovedNode> PostgresqlNodeRepository::remove_owned_by(std::string_view jid) {
    std::vector<RemovedNode> removed;
    for (auto& name : owned_by(jid)) {
        auto subscribers = remove(name);
        removed.push_back({std::move(name), std::move(subscribers)});
    }
    return removed;
}

std::vector<std::string> PostgresqlNodeRepository::public_nodes() { return first_column(public_nodes_.run()); }

NodePage PostgresqlNodeRepository::public_nodes_after(std::string_view contains, std::string_view after,
                                                      std::int64_t limit) {
    return counted(contains, first_column(public_after_.run(contains, after, limit)));
}

NodePage PostgresqlNodeRepository::public_nodes_before(std::string_view contains, std::string_view before,
                                                       std::int64_t limit) {
    auto names = first_column(public_before_.run(contains, before, limit));
    std::reverse(names.begin(), names.end());
    return counted(contains, std::move(names));
}

NodePage PostgresqlNodeRepository::public_nodes_at(std::string_view contains, std::int64_t index,
                                                   std::int64_t limit) {
    return counted(contains, first_column(public_at_.run(contains, index, limit)));
}

NodePage PostgresqlNodeRepository::counted(std::string_view contains, std::vector<std::string> names) {
    NodePage page{std::move(names), 0, 0};
    page.count = count_public_.run(contains).integer(0, 0);
    if (page.names.empty()) return page;
    page.first_index = count_public_before_.run(contains, page.names.front()).integer(0, 0);
    return page;
}

std::vector<std::string> PostgresqlNodeRepository::owned_by(std::string_view jid) {
    return first_column(owned_by_.run(jid));
}

std::string PostgresqlNodeRepository::affiliation(std::string_view node, std::string_view jid) {
    const auto rows = get_affiliation_.run(node, jid);
    return rows.empty() ? std::string() : rows.text(0, 0);
}

void PostgresqlNodeRepository::set_affiliation(std::string_view node, std::string_view jid,
                                               std::string_view affiliation) {
    if (affiliation == "none") delete_affiliation_.run(node, jid);
    else put_affiliation_.run(node, jid, affiliation);
}

std::vector<std::pair<std::string, std::string>> PostgresqlNodeRepository::affiliations(std::string_view node) {
    const auto rows = list_affiliations_.run(node);
    std::vector<std::pair<std::string, std::string>> values;
    for (int row = 0; row < rows.rows(); ++row) values.emplace_back(rows.text(row, 0), rows.text(row, 1));
    return values;
}

bool PostgresqlNodeRepository::subscribe(std::string_view node, std::string_view jid, std::int64_t now) {
    return insert_subscription_.run(node, jid, now).affected() > 0;
}

bool PostgresqlNodeRepository::unsubscribe(std::string_view node, std::string_view jid) {
    return delete_subscription_.run(node, jid).affected() > 0;
}

bool PostgresqlNodeRepository::is_subscribed(std::string_view node, std::string_view jid) {
    return !find_subscription_.run(node, jid).empty();
}

std::vector<std::string> PostgresqlNodeRepository::subscriptions_of(std::string_view jid) {
    return first_column(subscriptions_of_.run(jid));
}

void PostgresqlNodeRepository::remove_user(std::string_view jid) {
    for (const auto& node : first_column(personal_nodes_of_.run(jid))) remove(node);
    for (auto* statement : {&delete_user_subscriptions_, &delete_user_affiliations_, &delete_user_queue_,
                            &delete_user_history_, &delete_user_acks_})
        statement->run(jid);
}

LimitedInsert PostgresqlNodeRepository::create_within(const Node& node, std::int64_t max_topics) {
    const auto inserted = insert_node_within_.run(node.name, node.owner, node.publish_model, node.personal,
                                                  node.created_at, max_topics);
    if (inserted.affected() == 0) return find(node.name) ? LimitedInsert::exists : LimitedInsert::over_limit;
    set_affiliation(node.name, node.owner, "owner");
    return LimitedInsert::done;
}

LimitedInsert PostgresqlNodeRepository::follow_feed_within(std::string_view node, std::string_view jid,
                                                           std::int64_t now, std::int64_t max_feeds) {
    if (insert_feed_subscription_within_.run(node, jid, now, max_feeds).affected() > 0) return LimitedInsert::done;
    return is_subscribed(node, jid) ? LimitedInsert::exists : LimitedInsert::over_limit;
}

}  // namespace herald::storage
