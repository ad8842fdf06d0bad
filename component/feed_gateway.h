#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>

#include "routing/settings.h"
#include "ingest/feed_poller.h"
#include "routing/feed_service.h"
#include "routing/metrics.h"
#include "storage/storage_worker.h"

namespace herald::routing {
class Router;
}  // namespace herald::routing

namespace herald::component {

// The address policy for fetching feeds, from the config; the feed service's
// check of a URL someone adds is the same policy's.
ingest::UrlPolicySettings feed_url_policy(const routing::FeedSettings& feeds);
routing::FeedUrlCheck feed_url_check(const routing::FeedSettings& feeds);

// The feed poller's way into the service (io_context thread): loads the
// feeds, records each poll in a storage job through routing::FeedService, then
// counts it and hands new items to the router. Commands tell it about
// feeds added and dropped.
class FeedGateway final : public ingest::FeedStore {
public:
    FeedGateway(boost::asio::io_context& io, storage::StorageWorker& storage, routing::Router& router,
                const routing::FeedService& service, routing::Metrics& metrics, const routing::FeedSettings& feeds,
                const routing::SharedWork& shared_work);
    ~FeedGateway() override;

    // Starts polling (when feeds are enabled).
    void start();
    void stop();
    // Watches the feeds other instances sharing the database added too.
    void reload();

    const routing::FeedService& service() const { return service_; }
    // After a command's commit.
    void added(const routing::FeedAdded& added);
    void removed(const routing::FeedRemoved& removed);

    void load(std::function<void(std::vector<ingest::FeedSchedule>)> done) override;
    void record_fetch(ingest::FeedFetch fetch, std::function<void(ingest::FeedRecorded)> done) override;
    void record_unchanged(std::string node, std::function<void(ingest::FeedRecorded)> done) override;
    void record_failure(std::string node, std::string error, std::function<void(ingest::FeedRecorded)> done) override;

private:
    void record(std::string node, bool failed, std::function<routing::FeedState(storage::Repositories&)> work,
                std::function<void(ingest::FeedRecorded)> done,
                std::shared_ptr<std::vector<routing::PublishOutcome>> published = nullptr);

    boost::asio::io_context& io_;
    storage::StorageWorker& storage_;
    routing::Router& router_;
    const routing::FeedService& service_;
    routing::Metrics& metrics_;
    const routing::FeedSettings& feeds_;
    const routing::SharedWork& shared_work_;
    std::unique_ptr<ingest::FeedPoller> poller_;
};

}  // namespace herald::component
