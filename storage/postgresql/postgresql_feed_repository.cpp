#include "storage/postgresql/postgresql_feed_repository.h"

namespace herald::storage {

using namespace pg;
namespace {

std::string select_feeds(const char* where) {
    return std::string("SELECT node, url, title, interval_seconds, etag, last_modified, primed, failures, "
                       "last_error FROM feeds") +
           where;
}

Feed read_feed(const Result& rows, int row) {
    return Feed{rows.text(row, 0),          rows.text(row, 1),          rows.text(row, 2),
                rows.integer(row, 3),       rows.optional_text(row, 4), rows.optional_text(row, 5),
                rows.boolean(row, 6),       rows.integer(row, 7),       rows.optional_text(row, 8)};
}

std::optional<Feed> one(const Result& rows) {
    if (rows.empty()) return std::nullopt;
    return read_feed(rows, 0);
}

}  // namespace

PostgresqlFeedRepository::PostgresqlFeedRepository(Connection& connection)
    : insert_(connection, "INSERT INTO feeds (node, url, title, interval_seconds, created_at) "
                          "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING"),
      find_(connection, select_feeds(" WHERE node = $1")),
      find_by_url_(connection, select_feeds(" WHERE url = $1")),
      all_(connection, select_feeds(" ORDER BY node")),
      shorten_interval_(connection, "UPDATE feeds SET interval_seconds = least(interval_seconds, $2) "
                                    "WHERE node = $1 RETURNING interval_seconds"),
      success_(connection, "UPDATE feeds SET title = CASE WHEN $2::text = '' THEN title ELSE $2::text END, etag = $3, "
                           "last_modified = $4, primed = true, failures = 0, last_error = NULL WHERE node = $1"),
      failure_(connection, "UPDATE feeds SET failures = failures + 1, last_error = $2 WHERE node = $1 "
                           "RETURNING failures"),
      remember_(connection, "INSERT INTO feed_seen (node, item_key, seen_ms) VALUES ($1, $2, $3) "
                            "ON CONFLICT DO NOTHING"),
      trim_(connection, "DELETE FROM feed_seen WHERE node = $1 AND item_key NOT IN (SELECT item_key FROM feed_seen "
                        "WHERE node = $1 ORDER BY seen_ms DESC, item_key LIMIT $2)"),
      seen_count_(connection, "SELECT count(*) FROM feed_seen WHERE node = $1") {}

bool PostgresqlFeedRepository::add(const Feed& feed, std::int64_t now) {
    return insert_.run(feed.node, feed.url, feed.title, feed.interval_seconds, now).affected() > 0;
}

// Inserting ignores a feed already there for that URL or that node.
std::optional<FeedOfUrl> PostgresqlFeedRepository::add_or_find(const Feed& feed, std::int64_t now) {
    const bool added = add(feed, now);
    auto found = find_by_url(feed.url);
    if (!found) return std::nullopt;
    return FeedOfUrl{std::move(*found), added};
}

std::optional<Feed> PostgresqlFeedRepository::find(std::string_view node) { return one(find_.run(node)); }

std::optional<Feed> PostgresqlFeedRepository::find_by_url(std::string_view url) { return one(find_by_url_.run(url)); }

std::vector<Feed> PostgresqlFeedRepository::all() {
    const auto rows = all_.run();
    std::vector<Feed> feeds;
    for (int row = 0; row < rows.rows(); ++row) feeds.push_back(read_feed(rows, row));
    return feeds;
}

std::int64_t PostgresqlFeedRepository::shorten_interval(std::string_view node, std::int64_t seconds) {
    const auto rows = shorten_interval_.run(node, seconds);
    return rows.empty() ? seconds : rows.integer(0, 0);
}

void PostgresqlFeedRepository::record_success(std::string_view node, std::string_view title,
                                              const std::optional<std::string>& etag,
                                              const std::optional<std::string>& last_modified) {
    success_.run(node, title, etag, last_modified);
}

std::int64_t PostgresqlFeedRepository::record_failure(std::string_view node, std::string_view error) {
    const auto rows = failure_.run(node, error);
    return rows.empty() ? 0 : rows.integer(0, 0);
}

bool PostgresqlFeedRepository::remember(std::string_view node, std::string_view key, std::int64_t now_ms) {
    return remember_.run(node, key, now_ms).affected() > 0;
}

void PostgresqlFeedRepository::trim_seen(std::string_view node, std::int64_t keep) { trim_.run(node, keep); }

std::int64_t PostgresqlFeedRepository::seen_count(std::string_view node) {
    return seen_count_.run(node).integer(0, 0);
}

}  // namespace herald::storage
