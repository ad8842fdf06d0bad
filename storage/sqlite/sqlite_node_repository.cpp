#include "storage/sqlite/sqlite_node_repository.h"

#include <sqlite3.h>

#include <algorithm>

namespace herald::storage {

SqliteNodeRepository::SqliteNodeRepository(Database& db)
    : db_(db.handle()),
      insert_node_(db.prepare("INSERT OR IGNORE INTO nodes (name, owner, publish_model, personal, created_at) "
                              "VALUES (?1, ?2, ?3, ?4, ?5)")),
      find_node_(db.prepare("SELECT name, owner, publish_model, personal, created_at FROM nodes WHERE name = ?1")),
      delete_node_(db.prepare("DELETE FROM nodes WHERE name = ?1")),
      delete_items_(db.prepare("DELETE FROM items WHERE node = ?1")),
      public_nodes_(db.prepare("SELECT name FROM nodes WHERE personal = 0 ORDER BY name")),
      owned_by_(db.prepare("SELECT nodes.name FROM nodes JOIN affiliations ON affiliations.node = nodes.name "
                           "WHERE affiliations.jid = ?1 AND affiliations.affiliation = 'owner' "
                           "AND nodes.personal = 0 ORDER BY nodes.name")),
      delete_subscribers_(db.prepare("DELETE FROM subscriptions WHERE node = ?1 RETURNING jid")),
      delete_unsubscribed_node_(db.prepare(
          "DELETE FROM nodes WHERE name = ?1 AND NOT EXISTS (SELECT 1 FROM subscriptions WHERE node = ?1)")),
      get_affiliation_(db.prepare("SELECT affiliation FROM affiliations WHERE node = ?1 AND jid = ?2")),
      put_affiliation_(db.prepare("INSERT OR REPLACE INTO affiliations (node, jid, affiliation) VALUES (?1, ?2, ?3)")),
      delete_affiliation_(db.prepare("DELETE FROM affiliations WHERE node = ?1 AND jid = ?2")),
      list_affiliations_(db.prepare("SELECT jid, affiliation FROM affiliations WHERE node = ?1 ORDER BY jid")),
      insert_subscription_(db.prepare("INSERT OR IGNORE INTO subscriptions (node, jid, created_at) VALUES (?1, ?2, ?3)")),
      delete_subscription_(db.prepare("DELETE FROM subscriptions WHERE node = ?1 AND jid = ?2")),
      find_subscription_(db.prepare("SELECT 1 FROM subscriptions WHERE node = ?1 AND jid = ?2")),
      subscriptions_of_(db.prepare("SELECT node FROM subscriptions WHERE jid = ?1 ORDER BY node")),
      personal_nodes_of_(db.prepare("SELECT name FROM nodes WHERE personal = 1 AND owner = ?1")),
      delete_user_subscriptions_(db.prepare("DELETE FROM subscriptions WHERE jid = ?1")),
      delete_user_affiliations_(db.prepare("DELETE FROM affiliations WHERE jid = ?1")),
      delete_user_queue_(db.prepare("DELETE FROM queue WHERE user = ?1")),
      delete_user_history_(db.prepare("DELETE FROM history WHERE user = ?1")),
      delete_user_acks_(db.prepare("DELETE FROM ack_recipients WHERE user = ?1")),
      insert_node_within_(db.prepare(
          "INSERT OR IGNORE INTO nodes (name, owner, publish_model, personal, created_at) "
          "SELECT ?1, ?2, ?3, ?4, ?5 WHERE (SELECT count(*) FROM nodes WHERE owner = ?2 AND personal = 0) < ?6")),
      insert_feed_subscription_within_(db.prepare(
          "INSERT OR IGNORE INTO subscriptions (node, jid, created_at) SELECT ?1, ?2, ?3 "
          "WHERE (SELECT count(*) FROM subscriptions JOIN feeds ON feeds.node = subscriptions.node "
          "WHERE subscriptions.jid = ?2) < ?4")),
      // instr(x, '') is 1: an empty search matches every name.
      public_after_(db.prepare("SELECT name FROM nodes WHERE personal = 0 AND name > ?2 "
                               "AND instr(lower(name), lower(?1)) > 0 ORDER BY name LIMIT ?3")),
      public_before_(db.prepare("SELECT name FROM nodes WHERE personal = 0 AND (?2 = '' OR name < ?2) "
                                "AND instr(lower(name), lower(?1)) > 0 ORDER BY name DESC LIMIT ?3")),
      count_public_(db.prepare("SELECT count(*) FROM nodes WHERE personal = 0 AND instr(lower(name), lower(?1)) > 0")),
      count_public_before_(db.prepare("SELECT count(*) FROM nodes WHERE personal = 0 AND name < ?2 "
                                      "AND instr(lower(name), lower(?1)) > 0")) {}

std::vector<std::string> SqliteNodeRepository::strings(Statement& query) {
    std::vector<std::string> values;
    while (query.step()) values.push_back(query.column_text(0));
    query.reset();
    return values;
}

bool SqliteNodeRepository::create(const Node& node) {
    insert_node_.bind(1, node.name).bind(2, node.owner).bind(3, node.publish_model)
        .bind(4, std::int64_t{node.personal}).bind(5, node.created_at);
    insert_node_.run();
    if (sqlite3_changes(db_) == 0) return false;
    set_affiliation(node.name, node.owner, "owner");
    return true;
}

std::optional<Node> SqliteNodeRepository::find(std::string_view name) {
    find_node_.bind(1, name);
    std::optional<Node> node;
    if (find_node_.step())
        node = Node{find_node_.column_text(0), find_node_.column_text(1), find_node_.column_text(2),
                    find_node_.column_int(3) != 0, find_node_.column_int(4)};
    find_node_.reset();
    return node;
}

// Items go with the node; their queue and history rows follow by cascade.
std::vector<std::string> SqliteNodeRepository::remove(std::string_view name) {
    delete_subscribers_.bind(1, name);
    auto subscribers = strings(delete_subscribers_);
    delete_items_.bind(1, name);
    delete_items_.run();
    delete_node_.bind(1, name);
    delete_node_.run();
    return subscribers;
}

bool SqliteNodeRepository::remove_if_unsubscribed(std::string_view name) {
    delete_unsubscribed_node_.bind(1, name);
    delete_unsubscribed_node_.run();
    if (sqlite3_changes(db_) == 0) return false;
    delete_items_.bind(1, name);
    delete_items_.run();
    return true;
}

std::vector<RemovedNode> SqliteNodeRepository::remove_owned_by(std::string_view jid) {
    std::vector<RemovedNode> removed;
    for (auto& name : owned_by(jid)) {
        auto subscribers = remove(name);
        removed.push_back({std::move(name), std::move(subscribers)});
    }
    return removed;
}

std::vector<std::string> SqliteNodeRepository::public_nodes() { return strings(public_nodes_); }

NodePage SqliteNodeRepository::public_nodes_after(std::string_view contains, std::string_view after,
                                                  std::int64_t limit) {
    public_after_.bind(1, contains).bind(2, after).bind(3, limit);
    return counted(contains, strings(public_after_));
}

NodePage SqliteNodeRepository::public_nodes_before(std::string_view contains, std::string_view before,
                                                   std::int64_t limit) {
    public_before_.bind(1, contains).bind(2, before).bind(3, limit);
    auto names = strings(public_before_);
    std::reverse(names.begin(), names.end());
    return counted(contains, std::move(names));
}

// Rare (an XEP-0059 <index>), so prepared when used.
NodePage SqliteNodeRepository::public_nodes_at(std::string_view contains, std::int64_t index, std::int64_t limit) {
    Statement query(db_, "SELECT name FROM nodes WHERE personal = 0 AND instr(lower(name), lower(?1)) > 0 "
                         "ORDER BY name LIMIT ?3 OFFSET ?2");
    query.bind(1, contains).bind(2, index).bind(3, limit);
    return counted(contains, strings(query));
}

NodePage SqliteNodeRepository::counted(std::string_view contains, std::vector<std::string> names) {
    NodePage page{std::move(names), 0, 0};
    count_public_.bind(1, contains);
    if (count_public_.step()) page.count = count_public_.column_int(0);
    count_public_.reset();
    if (page.names.empty()) return page;
    count_public_before_.bind(1, contains).bind(2, page.names.front());
    if (count_public_before_.step()) page.first_index = count_public_before_.column_int(0);
    count_public_before_.reset();
    return page;
}

std::vector<std::string> SqliteNodeRepository::owned_by(std::string_view jid) {
    owned_by_.bind(1, jid);
    return strings(owned_by_);
}

std::string SqliteNodeRepository::affiliation(std::string_view node, std::string_view jid) {
    get_affiliation_.bind(1, node).bind(2, jid);
    std::string value = get_affiliation_.step() ? get_affiliation_.column_text(0) : std::string();
    get_affiliation_.reset();
    return value;
}

void SqliteNodeRepository::set_affiliation(std::string_view node, std::string_view jid,
                                           std::string_view affiliation) {
    if (affiliation == "none") {
        delete_affiliation_.bind(1, node).bind(2, jid);
        delete_affiliation_.run();
        return;
    }
    put_affiliation_.bind(1, node).bind(2, jid).bind(3, affiliation);
    put_affiliation_.run();
}

std::vector<std::pair<std::string, std::string>> SqliteNodeRepository::affiliations(std::string_view node) {
    list_affiliations_.bind(1, node);
    std::vector<std::pair<std::string, std::string>> values;
    while (list_affiliations_.step())
        values.emplace_back(list_affiliations_.column_text(0), list_affiliations_.column_text(1));
    list_affiliations_.reset();
    return values;
}

bool SqliteNodeRepository::subscribe(std::string_view node, std::string_view jid, std::int64_t now) {
    insert_subscription_.bind(1, node).bind(2, jid).bind(3, now);
    insert_subscription_.run();
    return sqlite3_changes(db_) > 0;
}

bool SqliteNodeRepository::unsubscribe(std::string_view node, std::string_view jid) {
    delete_subscription_.bind(1, node).bind(2, jid);
    delete_subscription_.run();
    return sqlite3_changes(db_) > 0;
}

bool SqliteNodeRepository::is_subscribed(std::string_view node, std::string_view jid) {
    find_subscription_.bind(1, node).bind(2, jid);
    const bool found = find_subscription_.step();
    find_subscription_.reset();
    return found;
}

std::vector<std::string> SqliteNodeRepository::subscriptions_of(std::string_view jid) {
    subscriptions_of_.bind(1, jid);
    return strings(subscriptions_of_);
}

void SqliteNodeRepository::remove_user(std::string_view jid) {
    personal_nodes_of_.bind(1, jid);
    for (const auto& node : strings(personal_nodes_of_)) remove(node);
    for (auto* statement : {&delete_user_subscriptions_, &delete_user_affiliations_,
                            &delete_user_queue_, &delete_user_history_, &delete_user_acks_}) {
        statement->bind(1, jid);
        statement->run();
    }
}

LimitedInsert SqliteNodeRepository::create_within(const Node& node, std::int64_t max_topics) {
    insert_node_within_.bind(1, node.name).bind(2, node.owner).bind(3, node.publish_model)
        .bind(4, std::int64_t{node.personal}).bind(5, node.created_at).bind(6, max_topics);
    insert_node_within_.run();
    if (sqlite3_changes(db_) == 0) return find(node.name) ? LimitedInsert::exists : LimitedInsert::over_limit;
    set_affiliation(node.name, node.owner, "owner");
    return LimitedInsert::done;
}

LimitedInsert SqliteNodeRepository::follow_feed_within(std::string_view node, std::string_view jid,
                                                       std::int64_t now, std::int64_t max_feeds) {
    insert_feed_subscription_within_.bind(1, node).bind(2, jid).bind(3, now).bind(4, max_feeds);
    insert_feed_subscription_within_.run();
    if (sqlite3_changes(db_) > 0) return LimitedInsert::done;
    return is_subscribed(node, jid) ? LimitedInsert::exists : LimitedInsert::over_limit;
}

}  // namespace herald::storage
