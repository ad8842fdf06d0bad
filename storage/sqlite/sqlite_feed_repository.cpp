#include "storage/sqlite/sqlite_feed_repository.h"

#include <sqlite3.h>

namespace herald::storage {
namespace {

constexpr const char* kColumns =
    "node, url, title, interval_seconds, etag, last_modified, primed, failures, last_error FROM feeds";

Feed read_feed(const Statement& row) {
    return Feed{row.column_text(0),          row.column_text(1),         row.column_text(2),
                row.column_int(3),           row.column_optional_text(4), row.column_optional_text(5),
                row.column_int(6) != 0,      row.column_int(7),           row.column_optional_text(8)};
}

std::string select(const char* where) { return std::string("SELECT ") + kColumns + where; }

}  // namespace

SqliteFeedRepository::SqliteFeedRepository(Database& db)
    : db_(db.handle()),
      insert_(db.prepare("INSERT OR IGNORE INTO feeds (node, url, title, interval_seconds, created_at) "
                         "VALUES (?1, ?2, ?3, ?4, ?5)")),
      find_(db.prepare(select(" WHERE node = ?1").c_str())),
      find_by_url_(db.prepare(select(" WHERE url = ?1").c_str())),
      all_(db.prepare(select(" ORDER BY node").c_str())),
      shorten_interval_(db.prepare("UPDATE feeds SET interval_seconds = min(interval_seconds, ?2) WHERE node = ?1 "
                                   "RETURNING interval_seconds")),
      success_(db.prepare("UPDATE feeds SET title = CASE WHEN ?2 = '' THEN title ELSE ?2 END, etag = ?3, "
                          "last_modified = ?4, primed = 1, failures = 0, last_error = NULL WHERE node = ?1")),
      failure_(db.prepare("UPDATE feeds SET failures = failures + 1, last_error = ?2 WHERE node = ?1")),
      failures_(db.prepare("SELECT failures FROM feeds WHERE node = ?1")),
      remember_(db.prepare("INSERT OR IGNORE INTO feed_seen (node, item_key, seen_ms) VALUES (?1, ?2, ?3)")),
      trim_(db.prepare("DELETE FROM feed_seen WHERE node = ?1 AND item_key NOT IN "
                       "(SELECT item_key FROM feed_seen WHERE node = ?1 ORDER BY seen_ms DESC, item_key LIMIT ?2)")),
      seen_count_(db.prepare("SELECT count(*) FROM feed_seen WHERE node = ?1")) {}

bool SqliteFeedRepository::add(const Feed& feed, std::int64_t now) {
    insert_.bind(1, feed.node).bind(2, feed.url).bind(3, feed.title).bind(4, feed.interval_seconds).bind(5, now);
    insert_.run();
    return sqlite3_changes(db_) > 0;
}

// Inserting ignores a feed already there for that URL or that node.
std::optional<FeedOfUrl> SqliteFeedRepository::add_or_find(const Feed& feed, std::int64_t now) {
    const bool added = add(feed, now);
    auto found = find_by_url(feed.url);
    if (!found) return std::nullopt;
    return FeedOfUrl{std::move(*found), added};
}

std::optional<Feed> SqliteFeedRepository::one(Statement& query) {
    std::optional<Feed> feed;
    if (query.step()) feed = read_feed(query);
    query.reset();
    return feed;
}

std::optional<Feed> SqliteFeedRepository::find(std::string_view node) {
    find_.bind(1, node);
    return one(find_);
}

std::optional<Feed> SqliteFeedRepository::find_by_url(std::string_view url) {
    find_by_url_.bind(1, url);
    return one(find_by_url_);
}

std::vector<Feed> SqliteFeedRepository::all() {
    std::vector<Feed> feeds;
    while (all_.step()) feeds.push_back(read_feed(all_));
    all_.reset();
    return feeds;
}

std::int64_t SqliteFeedRepository::shorten_interval(std::string_view node, std::int64_t seconds) {
    shorten_interval_.bind(1, node).bind(2, seconds);
    const std::int64_t interval = shorten_interval_.step() ? shorten_interval_.column_int(0) : seconds;
    shorten_interval_.reset();
    return interval;
}

void SqliteFeedRepository::record_success(std::string_view node, std::string_view title,
                                          const std::optional<std::string>& etag,
                                          const std::optional<std::string>& last_modified) {
    success_.bind(1, node).bind(2, title).bind_optional(3, etag).bind_optional(4, last_modified);
    success_.run();
}

std::int64_t SqliteFeedRepository::record_failure(std::string_view node, std::string_view error) {
    failure_.bind(1, node).bind(2, error);
    failure_.run();
    failures_.bind(1, node);
    const std::int64_t failures = failures_.step() ? failures_.column_int(0) : 0;
    failures_.reset();
    return failures;
}

bool SqliteFeedRepository::remember(std::string_view node, std::string_view key, std::int64_t now_ms) {
    remember_.bind(1, node).bind(2, key).bind(3, now_ms);
    remember_.run();
    return sqlite3_changes(db_) > 0;
}

void SqliteFeedRepository::trim_seen(std::string_view node, std::int64_t keep) {
    trim_.bind(1, node).bind(2, keep);
    trim_.run();
}

std::int64_t SqliteFeedRepository::seen_count(std::string_view node) {
    seen_count_.bind(1, node);
    const std::int64_t count = seen_count_.step() ? seen_count_.column_int(0) : 0;
    seen_count_.reset();
    return count;
}

}  // namespace herald::storage
