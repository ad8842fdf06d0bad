#include "routing/feed_service.h"

#include <algorithm>

#include "routing/secret_token.h"
#include "text/clock.h"

namespace herald::routing {

using herald::text::now_ms;

namespace {

// Item keys remembered per feed: at least this many, and twice the items of
// the last document, so that keys still in the document are never forgotten.
constexpr std::int64_t kMinSeenKept = 500;
constexpr std::size_t kMaxTitleBytes = 300;
constexpr std::size_t kMaxTextBytes = 2000;

// Cut at `limit` bytes without splitting a UTF-8 sequence.
std::string clipped(const std::string& text, std::size_t limit) {
    if (text.size() <= limit) return text;
    std::size_t end = limit;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return text.substr(0, end) + "\xE2\x80\xA6";  // …
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

}  // namespace

FeedService::FeedService(const Settings& config, const PubsubService& pubsub, FeedUrlCheck refuse_url)
    : config_(config), pubsub_(pubsub), refuse_url_(std::move(refuse_url)) {}

std::string FeedService::node_for(const std::string& url) { return "feed/" + token_digest(url).substr(0, 12); }

FeedAdded FeedService::add(storage::Repositories& repos, const Actor& actor, const std::string& given_url,
                           std::optional<std::int64_t> interval_seconds) const {
    if (!config_.feeds.enabled)
        throw PubsubError(Refusal::service_unavailable, "", "feeds are turned off on this service");
    if (!repos.users.find(actor.jid)) throw PubsubError(Refusal::registration_required);
    const auto url = trimmed(given_url);
    if (const auto refusal = refuse_url_(url)) throw PubsubError(Refusal::bad_request, "", *refusal);
    if (interval_seconds && *interval_seconds < config_.feeds.min_interval_seconds)
        throw PubsubError(Refusal::bad_request, "",
                          "the interval must be at least " + std::to_string(config_.feeds.min_interval_seconds) +
                              " seconds");
    const storage::Feed wanted{.node = node_for(url),
                               .url = url,
                               .interval_seconds = interval_seconds.value_or(config_.feeds.default_interval_seconds)};
    // Owned by the service itself: no user may delete it or publish to it.
    // There already when the feed is.
    repos.nodes.create({wanted.node, config_.component.jid, std::string(name_of(PublishModel::publishers)), false,
                        now_ms() / 1000});
    auto found = repos.feeds.add_or_find(wanted, now_ms() / 1000);
    if (!found) throw PubsubError(Refusal::conflict, "", "the topic " + wanted.node + " exists already");
    FeedAdded added{std::move(found->feed), found->added};
    if (!added.created && interval_seconds)
        added.feed.interval_seconds = repos.feeds.shorten_interval(wanted.node, *interval_seconds);
    pubsub_.subscribe(repos, actor, added.feed.node, actor.jid);
    return added;
}

FeedRemoved FeedService::remove(storage::Repositories& repos, const Actor& actor, const std::string& given) const {
    const auto name = trimmed(given);
    auto feed = repos.feeds.find_by_url(name);
    if (!feed) feed = repos.feeds.find(name);
    if (!feed) throw PubsubError(Refusal::item_not_found, "", "there is no feed " + name);
    pubsub_.unsubscribe(repos, actor, feed->node, actor.jid);
    return {*feed, repos.nodes.remove_if_unsubscribed(feed->node)};
}

std::vector<storage::Feed> FeedService::feeds_of(storage::Repositories& repos, const Actor& actor) const {
    std::vector<storage::Feed> feeds;
    for (const auto& node : pubsub_.subscriptions(repos, actor))
        if (auto feed = repos.feeds.find(node)) feeds.push_back(std::move(*feed));
    return feeds;
}

std::optional<storage::Feed> FeedService::wanted(storage::Repositories& repos, const std::string& node) const {
    auto feed = repos.feeds.find(node);
    if (!feed) return std::nullopt;
    if (repos.nodes.remove_if_unsubscribed(node)) return std::nullopt;
    return feed;
}

storage::Item FeedService::item_of(const std::string& node, const FeedEntry& entry, std::int64_t now_ms) const {
    const NotificationFields fields{clipped(entry.title, kMaxTitleBytes), clipped(entry.text, kMaxTextBytes),
                                    clipped(entry.link, kMaxTextBytes), std::nullopt};
    return pubsub_.payloads().published_item(node, fields, now_ms);
}

FeedState FeedService::record_fetch(storage::Repositories& repos, const FeedDocument& fetch, std::int64_t now_ms,
                                    std::vector<PublishOutcome>& published) const {
    const auto feed = wanted(repos, fetch.node);
    if (!feed) return FeedState::gone;
    std::vector<const FeedEntry*> fresh;
    for (const auto& entry : fetch.entries)
        if (repos.feeds.remember(feed->node, entry.key, now_ms)) fresh.push_back(&entry);
    // The first poll only learns what is there. Feeds list newest first:
    // publish in reverse, so the oldest new item arrives first.
    if (feed->primed) {
        const Actor service{config_.component.jid, false};
        for (auto entry = fresh.rbegin(); entry != fresh.rend(); ++entry)
            published.push_back(pubsub_.publish(repos, service, item_of(feed->node, **entry, now_ms)));
    }
    repos.feeds.record_success(feed->node, fetch.title, fetch.etag, fetch.last_modified);
    repos.feeds.trim_seen(feed->node, std::max(kMinSeenKept, 2 * static_cast<std::int64_t>(fetch.entries.size())));
    return FeedState::kept;
}

FeedState FeedService::record_unchanged(storage::Repositories& repos, const std::string& node) const {
    const auto feed = wanted(repos, node);
    if (!feed) return FeedState::gone;
    repos.feeds.record_success(node, "", feed->etag, feed->last_modified);
    return FeedState::kept;
}

FeedState FeedService::record_failure(storage::Repositories& repos, const std::string& node,
                                      const std::string& error) const {
    if (!wanted(repos, node)) return FeedState::gone;
    repos.feeds.record_failure(node, error);
    return FeedState::kept;
}

}  // namespace herald::routing
