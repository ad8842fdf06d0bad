#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "ingest/feed_parser.h"
#include "net/curl_multi.h"
#include "net/url_policy.h"
#include "routing/shared_work.h"

namespace herald::ingest {

// One feed as the poller schedules it.
struct FeedSchedule {
    std::string node;
    std::string url;
    std::chrono::seconds interval{900};
    std::int64_t failures = 0;  // in a row, for the backoff
    std::optional<std::string> etag;
    std::optional<std::string> last_modified;
};

// A successful fetch with a new document.
struct FeedFetch {
    std::string node;
    std::optional<std::string> etag;
    std::optional<std::string> last_modified;
    ParsedFeed feed;
};

enum class FeedRecorded {
    kept,    // recorded; poll again
    gone,    // nobody wants the feed any more: stop polling it
    failed,  // storage could not record it: try again later, validators unchanged
};

// Where polls end up (durably) and where the feeds come from; implemented by
// the service. Completions come back on the io_context thread.
class FeedStore {
public:
    virtual ~FeedStore() = default;
    virtual void load(std::function<void(std::vector<FeedSchedule>)> done) = 0;
    // New items are published; the first fetch of a feed only records them.
    virtual void record_fetch(FeedFetch fetch, std::function<void(FeedRecorded)> done) = 0;
    virtual void record_unchanged(std::string node, std::function<void(FeedRecorded)> done) = 0;
    virtual void record_failure(std::string node, std::string error, std::function<void(FeedRecorded)> done) = 0;
};

struct FeedPollerSettings {
    std::chrono::seconds min_interval{60};
    // Each wait is the interval times a factor drawn in [1 - jitter, 1 + jitter].
    double jitter = 0.1;
    std::chrono::seconds max_backoff{6 * 3600};
    std::string user_agent = "Herald feed poller";
};

// Polls every feed on its own schedule, on the io_context thread: conditional
// GET, gzip, the URL policy's limits; a new document goes to the store,
// errors back off exponentially. Fetched documents (up to the policy's size
// limit) are parsed on the poller's own worker thread, never on the
// io_context thread; the parsed items are posted back to it. The poller has
// its own CurlMulti: a connection opened under its policy is pooled for its
// fetches only, never reused under another policy (webhooks have theirs).
class FeedPoller {
public:
    // Polls only while `shared_work` is ours.
    FeedPoller(boost::asio::io_context& io, UrlPolicy policy, FeedPollerSettings settings, FeedStore& store,
               const routing::SharedWork& shared_work);
    ~FeedPoller();
    FeedPoller(const FeedPoller&) = delete;
    FeedPoller& operator=(const FeedPoller&) = delete;

    // Loads the feeds and spreads their first polls over one interval each.
    void start();
    // A feed just added: polled at once (its first poll records, never notifies).
    // Known feeds get the new interval.
    void watch(FeedSchedule feed);
    void forget(const std::string& node);
    std::size_t watched() const { return feeds_.size(); }

    // The wait before the next poll of a feed with this interval and failures.
    std::chrono::milliseconds next_delay(std::chrono::seconds interval, std::int64_t failures);

private:
    struct Watched;
    void schedule(const std::shared_ptr<Watched>& feed, std::chrono::milliseconds delay);
    void poll(const std::shared_ptr<Watched>& feed);
    void on_fetched(const std::shared_ptr<Watched>& feed, EasyHandle handle, CURLcode result);
    void on_parsed(const std::shared_ptr<Watched>& feed, std::optional<std::string> etag,
                   std::optional<std::string> last_modified, std::variant<ParsedFeed, FeedParseError> parsed);
    void fail(const std::shared_ptr<Watched>& feed, std::string error);
    void after_record(const std::shared_ptr<Watched>& feed, FeedRecorded recorded, bool fetched);

    boost::asio::io_context& io_;
    CurlMulti curl_;
    UrlPolicy policy_;
    FeedPollerSettings settings_;
    FeedStore& store_;
    const routing::SharedWork& shared_work_;
    std::mt19937_64 random_;
    std::map<std::string, std::shared_ptr<Watched>> feeds_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    // One parsing thread; last, so that it is stopped and joined first (a
    // parse under way finishes, its result is dropped).
    boost::asio::thread_pool parser_{1};
};

}  // namespace herald::ingest
