#include "ingest/feed_poller.h"

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <cmath>
#include <utility>

namespace herald::ingest {

struct FeedPoller::Watched {
    Watched(boost::asio::io_context& io, FeedSchedule schedule) : schedule(std::move(schedule)), timer(io) {}
    FeedSchedule schedule;
    boost::asio::steady_timer timer;
    bool polling = false;
    bool forgotten = false;
};

FeedPoller::FeedPoller(boost::asio::io_context& io, UrlPolicy policy, FeedPollerSettings settings, FeedStore& store,
                       const routing::SharedWork& shared_work)
    : io_(io),
      curl_(io),
      policy_(std::move(policy)),
      settings_(std::move(settings)),
      store_(store),
      shared_work_(shared_work),
      random_(std::random_device{}()) {}

FeedPoller::~FeedPoller() {
    *alive_ = false;
    for (auto& [node, feed] : feeds_) {
        feed->forgotten = true;
        feed->timer.cancel();
    }
}

void FeedPoller::start() {
    store_.load([this, alive = alive_](std::vector<FeedSchedule> feeds) {
        if (!*alive) return;
        for (auto& schedule : feeds) {
            if (feeds_.count(schedule.node)) continue;
            // The first polls are spread over one interval, so that many
            // feeds never poll in one burst after a start.
            const auto spread = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::max(schedule.interval, settings_.min_interval));
            std::uniform_int_distribution<std::int64_t> within(0, spread.count());
            auto feed = std::make_shared<Watched>(io_, std::move(schedule));
            feeds_[feed->schedule.node] = feed;
            this->schedule(feed, std::chrono::milliseconds(within(random_)));
        }
    });
}

void FeedPoller::watch(FeedSchedule schedule) {
    auto known = feeds_.find(schedule.node);
    if (known != feeds_.end()) {
        known->second->schedule.interval = schedule.interval;
        return;
    }
    auto feed = std::make_shared<Watched>(io_, std::move(schedule));
    feeds_[feed->schedule.node] = feed;
    this->schedule(feed, std::chrono::milliseconds(0));
}

void FeedPoller::forget(const std::string& node) {
    auto known = feeds_.find(node);
    if (known == feeds_.end()) return;
    known->second->forgotten = true;
    known->second->timer.cancel();
    feeds_.erase(known);
}

std::chrono::milliseconds FeedPoller::next_delay(std::chrono::seconds interval, std::int64_t failures) {
    const double base = static_cast<double>(std::max(interval, settings_.min_interval).count());
    const double ceiling = std::max(base, static_cast<double>(settings_.max_backoff.count()));
    const double backoff = std::min(base * std::pow(2.0, static_cast<double>(std::clamp<std::int64_t>(failures, 0, 30))),
                                    ceiling);
    std::uniform_real_distribution<double> factor(1.0 - settings_.jitter, 1.0 + settings_.jitter);
    return std::chrono::milliseconds(static_cast<std::int64_t>(backoff * factor(random_) * 1000.0));
}

void FeedPoller::schedule(const std::shared_ptr<Watched>& feed, std::chrono::milliseconds delay) {
    feed->timer.expires_after(delay);
    feed->timer.async_wait([this, feed, alive = alive_](const boost::system::error_code& error) {
        if (error || !*alive || feed->forgotten) return;
        if (shared_work_.ours()) poll(feed);
        else schedule(feed, next_delay(feed->schedule.interval, 0));
    });
}

void FeedPoller::poll(const std::shared_ptr<Watched>& feed) {
    if (feed->polling) return;
    feed->polling = true;
    std::optional<EasyHandle> made;
    try {
        made.emplace();
    } catch (const std::exception& error) {
        return fail(feed, error.what());
    }
    EasyHandle handle = std::move(*made);
    policy_.apply(handle, feed->schedule.url);
    curl_easy_setopt(handle.get(), CURLOPT_ACCEPT_ENCODING, "");  // every encoding curl can decode
    curl_easy_setopt(handle.get(), CURLOPT_USERAGENT, settings_.user_agent.c_str());
    std::vector<std::string> headers;
    if (feed->schedule.etag) headers.push_back("If-None-Match: " + *feed->schedule.etag);
    if (feed->schedule.last_modified) headers.push_back("If-Modified-Since: " + *feed->schedule.last_modified);
    handle.set_request_headers(headers);
    curl_.start(std::move(handle), [this, feed, alive = alive_](EasyHandle done, CURLcode result) {
        if (*alive) on_fetched(feed, std::move(done), result);
    });
}

void FeedPoller::on_fetched(const std::shared_ptr<Watched>& feed, EasyHandle handle, CURLcode result) {
    if (feed->forgotten) return;
    if (result != CURLE_OK) return fail(feed, policy_.describe_failure(handle, result));
    const long status = handle.response_code();
    auto recorded = [this, feed, alive = alive_](FeedRecorded outcome) {
        if (*alive) after_record(feed, outcome, true);
    };
    if (status == 304) return store_.record_unchanged(feed->schedule.node, recorded);
    if (status < 200 || status > 299) return fail(feed, "HTTP status " + std::to_string(status));
    // The document goes to the parsing thread; the items come back here.
    // The worker never holds the last reference to the feed: it moves its
    // own into the reply it posts back. The io_context has work meanwhile.
    boost::asio::post(parser_, [this, &io = io_, work = boost::asio::make_work_guard(io_), feed, alive = alive_,
                                bytes = std::string(handle.body()),
                                etag = handle.response_header("ETag"),
                                last_modified = handle.response_header("Last-Modified")]() mutable {
        // Contained here: an exception would end the worker thread, and the daemon.
        auto parsed = [&]() -> std::variant<ParsedFeed, FeedParseError> {
            try {
                return parse_feed(bytes);
            } catch (const std::exception& error) {
                return FeedParseError{std::string("parser failed: ") + error.what()};
            }
        }();
        boost::asio::post(io, [this, work = std::move(work), feed = std::move(feed), alive = std::move(alive),
                               etag = std::move(etag),
                               last_modified = std::move(last_modified), parsed = std::move(parsed)]() mutable {
            if (*alive) on_parsed(feed, std::move(etag), std::move(last_modified), std::move(parsed));
        });
    });
}

void FeedPoller::on_parsed(const std::shared_ptr<Watched>& feed, std::optional<std::string> etag,
                           std::optional<std::string> last_modified,
                           std::variant<ParsedFeed, FeedParseError> parsed) {
    if (feed->forgotten) return;
    auto recorded = [this, feed, alive = alive_](FeedRecorded outcome) {
        if (*alive) after_record(feed, outcome, true);
    };
    if (auto* error = std::get_if<FeedParseError>(&parsed)) return fail(feed, "unreadable feed: " + error->message);
    FeedFetch fetch{feed->schedule.node, std::move(etag), std::move(last_modified),
                    std::move(std::get<ParsedFeed>(parsed))};
    etag = fetch.etag;
    last_modified = fetch.last_modified;
    store_.record_fetch(std::move(fetch), [feed, recorded, etag, last_modified](FeedRecorded outcome) {
        // The validators change only once what they stand for is recorded.
        if (outcome == FeedRecorded::kept) {
            feed->schedule.etag = etag;
            feed->schedule.last_modified = last_modified;
        }
        recorded(outcome);
    });
}

void FeedPoller::fail(const std::shared_ptr<Watched>& feed, std::string error) {
    ++feed->schedule.failures;
    store_.record_failure(feed->schedule.node, std::move(error), [this, feed, alive = alive_](FeedRecorded outcome) {
        if (!*alive) return;
        after_record(feed, outcome, false);
    });
}

void FeedPoller::after_record(const std::shared_ptr<Watched>& feed, FeedRecorded recorded, bool fetched) {
    feed->polling = false;
    if (feed->forgotten) return;
    if (recorded == FeedRecorded::gone) return forget(feed->schedule.node);
    // A failed fetch is counted already; storage trouble after a good one counts too.
    if (fetched) feed->schedule.failures = recorded == FeedRecorded::kept ? 0 : feed->schedule.failures + 1;
    schedule(feed, next_delay(feed->schedule.interval, feed->schedule.failures));
}

}  // namespace herald::ingest
