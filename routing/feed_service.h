#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "routing/pubsub_service.h"
#include "routing/settings.h"
#include "storage/storage_worker.h"

namespace herald::routing {

// One item of a fetched feed document.
struct FeedEntry {
    std::string key;  // what tells it from the document's other items
    std::string title;
    std::string text;
    std::string link;
};

// A fetched feed document that changed since the last poll.
struct FeedDocument {
    std::string node;
    std::optional<std::string> etag;
    std::optional<std::string> last_modified;
    std::string title;
    std::vector<FeedEntry> entries;  // newest first, as feeds list them
};

// After a poll is recorded: whether anyone still wants the feed.
enum class FeedState { kept, gone };

// Why a feed URL may not be fetched, or nullopt (the edge's URL policy).
using FeedUrlCheck = std::function<std::optional<std::string>(const std::string& url)>;

struct FeedAdded {
    storage::Feed feed;
    bool created = false;  // a feed nobody had added before: to be polled from now on
};

struct FeedRemoved {
    storage::Feed feed;
    bool dropped = false;  // nobody subscribes any more: no longer polled
};

// The rules for feeds: one node per feed URL, shared by its subscribers and
// owned by the service; new items published through PubsubService like any
// IQ publish. Each runs inside a storage job and refuses with PubsubError.
class FeedService {
public:
    FeedService(const Settings& config, const PubsubService& pubsub, FeedUrlCheck refuse_url);

    // feed/<12 hex digits of the URL's SHA-256>
    static std::string node_for(const std::string& url);

    FeedAdded add(storage::Repositories& repos, const Actor& actor, const std::string& url,
                  std::optional<std::int64_t> interval_seconds) const;
    // By URL or by node name.
    FeedRemoved remove(storage::Repositories& repos, const Actor& actor, const std::string& feed) const;
    // The feeds the user subscribes to.
    std::vector<storage::Feed> feeds_of(storage::Repositories& repos, const Actor& actor) const;

    // A new document: the first one is only remembered; later, each item not
    // seen before is published (oldest first). Fills `published`.
    FeedState record_fetch(storage::Repositories& repos, const FeedDocument& fetch, std::int64_t now_ms,
                           std::vector<PublishOutcome>& published) const;
    FeedState record_unchanged(storage::Repositories& repos, const std::string& node) const;
    FeedState record_failure(storage::Repositories& repos, const std::string& node, const std::string& error) const;

private:
    // The feed, unless nobody subscribes to it any more (then it is removed).
    std::optional<storage::Feed> wanted(storage::Repositories& repos, const std::string& node) const;
    storage::Item item_of(const std::string& node, const FeedEntry& entry, std::int64_t now_ms) const;

    const Settings& config_;
    const PubsubService& pubsub_;
    FeedUrlCheck refuse_url_;
};

}  // namespace herald::routing
