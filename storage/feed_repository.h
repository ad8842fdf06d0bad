#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace herald::storage {

// A polled feed. Its node (feed/<hash>) carries what it publishes; the feed
// goes when the node goes.
struct Feed {
    std::string node;
    std::string url;
    std::string title{};
    std::int64_t interval_seconds = 0;
    std::optional<std::string> etag{};
    std::optional<std::string> last_modified{};
    bool primed = false;  // the first successful poll has recorded what was there
    std::int64_t failures = 0;  // in a row
    std::optional<std::string> last_error{};
};

// The feed of a URL, and whether add_or_find added it.
struct FeedOfUrl {
    Feed feed;
    bool added = false;
};

// Feeds and the item keys already seen in each.
class FeedRepository {
public:
    virtual ~FeedRepository() = default;

    // False when the node already has a feed.
    virtual bool add(const Feed& feed, std::int64_t now) = 0;
    // The feed of feed.url: `feed` itself, added, unless there is one already.
    // Nullopt when feed.node carries another URL's feed.
    virtual std::optional<FeedOfUrl> add_or_find(const Feed& feed, std::int64_t now) = 0;
    virtual std::optional<Feed> find(std::string_view node) = 0;
    virtual std::optional<Feed> find_by_url(std::string_view url) = 0;
    virtual std::vector<Feed> all() = 0;
    // Lowers the interval to `seconds` unless it is shorter; returns the interval now.
    virtual std::int64_t shorten_interval(std::string_view node, std::int64_t seconds) = 0;

    // A successful poll: validators and title kept, primed, failures cleared.
    virtual void record_success(std::string_view node, std::string_view title, const std::optional<std::string>& etag,
                                const std::optional<std::string>& last_modified) = 0;
    // A failed poll; returns the failures in a row.
    virtual std::int64_t record_failure(std::string_view node, std::string_view error) = 0;

    // True when the key is new for that feed (and now remembered).
    virtual bool remember(std::string_view node, std::string_view key, std::int64_t now_ms) = 0;
    // Keeps the `keep` most recently seen keys of the feed.
    virtual void trim_seen(std::string_view node, std::int64_t keep) = 0;
    virtual std::int64_t seen_count(std::string_view node) = 0;
};

}  // namespace herald::storage
