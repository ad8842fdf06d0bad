#include "component/feed_gateway.h"

#include <spdlog/spdlog.h>

#include "component/job_failure.h"
#include "routing/router.h"
#include "text/clock.h"

namespace herald::component {

using herald::text::now_ms;

using herald::routing::FeedAdded;
using herald::routing::FeedRemoved;
using herald::routing::FeedService;
using herald::routing::Metrics;
using herald::routing::PublishOutcome;
using herald::routing::Router;

namespace {

ingest::FeedSchedule schedule_of(const storage::Feed& feed) {
    return {feed.node, feed.url, std::chrono::seconds(feed.interval_seconds), feed.failures, feed.etag,
            feed.last_modified};
}

routing::FeedDocument document_of(ingest::FeedFetch fetch) {
    routing::FeedDocument document{std::move(fetch.node), std::move(fetch.etag), std::move(fetch.last_modified),
                                   std::move(fetch.feed.title), {}};
    document.entries.reserve(fetch.feed.items.size());
    for (auto& item : fetch.feed.items)
        document.entries.push_back(
            {std::move(item.key), std::move(item.title), std::move(item.text), std::move(item.link)});
    return document;
}

ingest::FeedRecorded recorded_of(routing::FeedState state) {
    return state == routing::FeedState::kept ? ingest::FeedRecorded::kept : ingest::FeedRecorded::gone;
}

}  // namespace

ingest::UrlPolicySettings feed_url_policy(const routing::FeedSettings& feeds) {
    return {feeds.allow_private_addresses, static_cast<long>(feeds.max_redirects),
            feeds.max_response_bytes, std::chrono::seconds(feeds.timeout_seconds)};
}

routing::FeedUrlCheck feed_url_check(const routing::FeedSettings& feeds) {
    return [policy = ingest::UrlPolicy(feed_url_policy(feeds))](const std::string& url) { return policy.refuse(url); };
}

FeedGateway::FeedGateway(boost::asio::io_context& io, storage::StorageWorker& storage, Router& router,
                         const FeedService& service, Metrics& metrics, const routing::FeedSettings& feeds,
                         const routing::SharedWork& shared_work)
    : io_(io),
      storage_(storage),
      router_(router),
      service_(service),
      metrics_(metrics),
      feeds_(feeds),
      shared_work_(shared_work) {}

FeedGateway::~FeedGateway() = default;

void FeedGateway::start() {
    if (!feeds_.enabled) return;
    ingest::FeedPollerSettings settings;
    settings.min_interval = std::chrono::seconds(feeds_.min_interval_seconds);
    poller_ = std::make_unique<ingest::FeedPoller>(io_, ingest::UrlPolicy(feed_url_policy(feeds_)), settings,
                                                   *this, shared_work_);
    poller_->start();
}

void FeedGateway::stop() { poller_.reset(); }

void FeedGateway::reload() {
    if (poller_) poller_->start();
}

void FeedGateway::added(const FeedAdded& added) {
    if (!poller_) return;
    if (added.created) spdlog::info("feed {} added as {}", added.feed.url, added.feed.node);
    poller_->watch(schedule_of(added.feed));
}

void FeedGateway::removed(const FeedRemoved& removed) {
    if (!poller_ || !removed.dropped) return;
    spdlog::info("feed {} has no subscriber left; no longer polled", removed.feed.url);
    poller_->forget(removed.feed.node);
}

void FeedGateway::load(std::function<void(std::vector<ingest::FeedSchedule>)> done) {
    storage_.submit<std::vector<storage::Feed>>(
        [](storage::Repositories& repos) { return repos.feeds.all(); },
        [done = std::move(done)](std::optional<std::vector<storage::Feed>> feeds, std::exception_ptr error) {
            std::vector<ingest::FeedSchedule> schedules;
            if (error) spdlog::error("could not load the feeds; none is polled");
            for (const auto& feed : feeds.value_or(std::vector<storage::Feed>{}))
                schedules.push_back(schedule_of(feed));
            spdlog::info("polling {} feeds", schedules.size());
            done(std::move(schedules));
        });
}

void FeedGateway::record(std::string node, bool failed,
                         std::function<routing::FeedState(storage::Repositories&)> work,
                         std::function<void(ingest::FeedRecorded)> done,
                         std::shared_ptr<std::vector<PublishOutcome>> published) {
    storage_.submit<routing::FeedState>(
        std::move(work), [this, node = std::move(node), failed, done = std::move(done), published](
                             std::optional<routing::FeedState> recorded, std::exception_ptr error) {
            metrics_.feed_polled(failed || error);
            if (error) {
                read_job_failure(error, "recording a poll of feed " + node, Refusals::logged);
                return done(ingest::FeedRecorded::failed);
            }
            if (published && !published->empty()) {
                spdlog::info("feed {}: {} new items published", node, published->size());
                for (const auto& outcome : *published) {
                    metrics_.published();
                    router_.on_published(outcome);
                }
            }
            done(recorded_of(*recorded));
        },
        storage::StorageWorker::Admission::if_room);
}

void FeedGateway::record_fetch(ingest::FeedFetch fetch, std::function<void(ingest::FeedRecorded)> done) {
    auto published = std::make_shared<std::vector<PublishOutcome>>();
    auto node = fetch.node;
    record(
        std::move(node), false,
        [this, fetch = document_of(std::move(fetch)), published](storage::Repositories& repos) {
            return service_.record_fetch(repos, fetch, now_ms(), *published);
        },
        std::move(done), published);
}

void FeedGateway::record_unchanged(std::string node, std::function<void(ingest::FeedRecorded)> done) {
    record(node, false, [this, node](storage::Repositories& repos) { return service_.record_unchanged(repos, node); },
           std::move(done));
}

void FeedGateway::record_failure(std::string node, std::string error, std::function<void(ingest::FeedRecorded)> done) {
    spdlog::warn("feed {}: {}", node, error);
    record(node, true,
           [this, node, error](storage::Repositories& repos) { return service_.record_failure(repos, node, error); },
           std::move(done));
}

}  // namespace herald::component
