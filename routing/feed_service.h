#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "routing/settings.h"
#include "routing/pubsub_service.h"
#include "ingest/feed_poller.h"
#include "net/url_policy.h"
#include "storage/storage_worker.h"

namespace herald::routing {

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
    FeedService(const Settings& config, const PubsubService& pubsub);

    // feed/<12 hex digits of the URL's SHA-256>
    static std::string node_for(const std::string& url);
    ingest::UrlPolicySettings policy_settings() const;
    ingest::FeedSchedule schedule_of(const storage::Feed& feed) const;

    FeedAdded add(storage::Repositories& repos, const Actor& actor, const std::string& url,
                  std::optional<std::int64_t> interval_seconds) const;
    // By URL or by node name.
    FeedRemoved remove(storage::Repositories& repos, const Actor& actor, const std::string& feed) const;
    // The feeds the user subscribes to.
    std::vector<storage::Feed> feeds_of(storage::Repositories& repos, const Actor& actor) const;

    // A new document: the first one is only remembered; later, each item not
    // seen before is published (oldest first). Fills `published`.
    ingest::FeedRecorded record_fetch(storage::Repositories& repos, const ingest::FeedFetch& fetch,
                                      std::int64_t now_ms, std::vector<PublishOutcome>& published) const;
    ingest::FeedRecorded record_unchanged(storage::Repositories& repos, const std::string& node) const;
    ingest::FeedRecorded record_failure(storage::Repositories& repos, const std::string& node,
                                        const std::string& error) const;

private:
    // The feed, unless nobody subscribes to it any more (then it is removed).
    std::optional<storage::Feed> wanted(storage::Repositories& repos, const std::string& node) const;
    storage::Item item_of(const std::string& node, const ingest::FeedItem& entry, std::int64_t now_ms) const;

    const Settings& config_;
    const PubsubService& pubsub_;
    ingest::UrlPolicy policy_;
};

}  // namespace herald::routing
