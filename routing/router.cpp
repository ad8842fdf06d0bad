#include "routing/router.h"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <random>
#include <set>
#include <utility>

#include "routing/delivery.h"
#include "routing/pubsub_service.h"
#include "routing/quiet_hours.h"
#include "storage/queue_changes.h"
#include "storage/storage_worker.h"
#include "text/clock.h"
#include "text/jid.h"

namespace herald::routing {

using herald::text::now_ms;
using herald::text::bare_jid;
using herald::text::resource_of;

namespace {

constexpr auto kMaxRetryDelay = std::chrono::seconds(60);
// A session that does not answer our presence probe within this is taken
// as gone: what its error replies covered is sent again.
constexpr auto kSessionCheckTimeout = std::chrono::seconds(15);
// Waited this long before delivery: the message carries a delay stamp.
constexpr std::int64_t kDelayStampAfterMs = 1000;
// In flight this many times in a row when the stream died: set aside.
constexpr int kLossesBeforeSetAside = 3;
constexpr int kHighPriority = 2;
constexpr int kUrgentPriority = 3;

struct Fetched {
    std::vector<storage::QueuedItem> items;
    std::int64_t dropped = 0;
};

}  // namespace

struct Router::UserAvatar {
    struct Unconfirmed {
        std::string resource;
        std::int64_t seq;
        std::int64_t published_ms;
        std::chrono::steady_clock::time_point sent;
        bool awaiting_receipt;  // no ping covers it: only a receipt confirms
    };

    UserAvatar(std::string jid, std::uint64_t epoch, boost::asio::io_context& io)
        : jid(std::move(jid)), epoch(epoch), online_since_ms(now_ms()), watch_timer(io), retry_timer(io), session_check_timer(io) {}

    std::string jid;
    std::uint64_t epoch;
    std::int64_t online_since_ms;
    UserPresence presence;
    Availability announced = Availability::offline;
    storage::Preferences preferences;

    // Delivery: items up to `cursor` have been sent (or skipped by a
    // priority filter); `rescan` starts over from the oldest once nothing is
    // in flight, to pick up what a filter held back or what was lost.
    std::int64_t cursor = 0;
    bool fetching = false;
    bool rescan = false;
    // The last read found nothing more to send: newly published items can
    // go out without reading the queue again.
    bool caught_up = false;
    bool retry_pending = false;
    bool dropped_told = false;
    int failures = 0;
    std::map<std::string, Unconfirmed> unconfirmed;          // by message id
    struct Ping {
        std::vector<std::string> message_ids;
        std::chrono::steady_clock::time_point sent;
    };
    std::map<std::string, Ping> pings;  // by ping id
    // Resources that confirm with receipts: they get no pings.
    std::set<std::string> sending_receipts;
    // Sent to this resource and not yet followed by a ping.
    std::vector<std::string> unpinged;
    std::string unpinged_resource;
    bool ping_posted = false;
    bool watching = false;
    boost::asio::steady_timer watch_timer;
    // Resources that answered a ping with a result: an error from one of
    // them means the session is gone. Kept across their sessions, since a
    // new session with the same resource may answer for a closing one.
    std::set<std::string> answering_pings;
    boost::asio::steady_timer retry_timer;

    // Message ids whose ping got an error, by resource: confirmed once that
    // resource shows it is still there, sent again if it does not.
    std::map<std::string, std::vector<std::string>> unproven;
    std::uint64_t session_check = 0;  // bumped for each probe sent
    boost::asio::steady_timer session_check_timer;
};

Router::Router(boost::asio::io_context& io, storage::StorageWorker& storage, UserOutbox& outbox,
               const DeliverySettings& delivery, Metrics& metrics)
    : io_(io), storage_(storage), outbox_(outbox), delivery_(delivery), metrics_(metrics), expiry_timer_(io) {
    next_id_ = std::random_device{}();
    next_id_ <<= 20;
    schedule_expiry();
}

Router::~Router() = default;

std::string Router::next_id(const char* prefix) {
    return std::string("herald-") + prefix + "-" + std::to_string(++next_id_);
}

Router::UserAvatar* Router::find(const std::string& bare_jid, std::uint64_t epoch) {
    const auto avatar = avatars_.find(bare_jid);
    return avatar != avatars_.end() && avatar->second->epoch == epoch ? avatar->second.get() : nullptr;
}

void Router::on_presence(const std::string& bare_jid, PresenceUpdate update) {
    if (const auto avatar = avatars_.find(bare_jid); avatar != avatars_.end()) {
        apply(bare_jid, *avatar->second, update);
        return;
    }
    auto [pending, first] = awaiting_lookup_.try_emplace(bare_jid);
    pending->second.push_back(std::move(update));
    if (first) look_up(bare_jid);
}

void Router::look_up(const std::string& bare_jid) {
    using Lookup = std::optional<storage::Preferences>;  // empty: not registered
    storage_.submit<Lookup>(
        [bare_jid](storage::Repositories& repos) {
            return repos.users.find(bare_jid) ? Lookup(repos.users.preferences(bare_jid)) : std::nullopt;
        },
        [this, bare_jid, generation = generation_](std::optional<Lookup> found, std::exception_ptr error) {
            if (generation != generation_) return;
            auto pending = awaiting_lookup_.extract(bare_jid);
            if (pending.empty()) return;
            if (error || !found || !*found) {
                if (error) spdlog::error("presence of {} ignored: storage lookup failed", bare_jid);
                else spdlog::debug("presence of unregistered {} ignored", bare_jid);
                return;
            }
            for (const auto& update : pending.mapped()) {
                auto& avatar = avatars_[bare_jid];
                if (!avatar) {
                    avatar = std::make_unique<UserAvatar>(bare_jid, ++next_epoch_, io_);
                    avatar->preferences = **found;
                }
                apply(bare_jid, *avatar, update);
            }
        });
}

void Router::apply(const std::string& bare_jid, UserAvatar& avatar, const PresenceUpdate& update) {
    const auto* before = avatar.presence.best_resource();
    const std::string previous_target = before ? *before : std::string();
    if (update.presence) {
        spdlog::debug("presence {}/{}: {} priority {}", bare_jid, update.resource,
                      to_string(update.presence->availability), update.presence->priority);
        avatar.presence.update(update.resource, *update.presence);
        if (auto proven = avatar.unproven.extract(update.resource)) confirm(avatar, proven.mapped());
    } else {
        spdlog::debug("presence {}/{}: unavailable", bare_jid, update.resource);
        // A session replaced by a new one with the same resource may say
        // unavailable after its successor said available: ask again.
        if (avatar.presence.resources().count(update.resource))
            outbox_.probe(bare_jid);
        avatar.presence.remove(update.resource);
        avatar.unproven.erase(update.resource);
        if (avatar.unpinged_resource == update.resource) avatar.unpinged.clear();
        avatar.sending_receipts.erase(update.resource);
        std::vector<std::string> lost;
        for (const auto& [id, entry] : avatar.unconfirmed)
            if (entry.resource == update.resource) lost.push_back(id);
        for (const auto& id : lost) {
            release_suspect(bare_jid, avatar.unconfirmed.at(id).seq);
            avatar.unconfirmed.erase(id);
        }
        if (!lost.empty()) avatar.rescan = true;
    }
    const auto state = avatar.presence.state();
    const auto* target = avatar.presence.best_resource();
    if (state != avatar.announced) {
        spdlog::info("user {} is now {}", bare_jid, to_string(state));
        avatar.announced = state;
        avatar.rescan = true;
        if (state_observer_) state_observer_(bare_jid, state);
    } else if ((target ? *target : std::string()) != previous_target) {
        avatar.rescan = true;
    }
    if (!avatar.presence.any_resource()) {
        drop_avatar(bare_jid);
        return;
    }
    pump(avatar);
}

std::optional<int> Router::accepted_priority(const UserAvatar& avatar) const {
    const auto& preferences = avatar.preferences;
    const auto state = avatar.presence.state();
    if (preferences.paused || state == Availability::offline) return std::nullopt;
    if (in_quiet_hours(preferences.quiet_start, preferences.quiet_end, preferences.quiet_zone, now_ms()))
        return kUrgentPriority;
    if (state == Availability::dnd) {
        if (preferences.dnd_holds == "none") return 0;
        const auto held = parse_priority(preferences.dnd_holds);
        return held ? *held + 1 : kHighPriority;
    }
    return 0;
}

void Router::pump(UserAvatar& avatar) {
    if (avatar.fetching || avatar.retry_pending) return;
    if (outbox_.backed_up()) {
        awaiting_outbox_.insert(avatar.jid);
        return;
    }
    const auto min_priority = accepted_priority(avatar);
    if (!min_priority) return;
    if (avatar.rescan) {
        if (!avatar.unconfirmed.empty()) return;
        avatar.cursor = 0;
        avatar.rescan = false;
    }
    const int window = delivery_.window;
    const int batch = std::max(1, window / 2);
    const int room = window - static_cast<int>(avatar.unconfirmed.size());
    if (room < batch) return;
    // A filter that became stricter leaves nothing behind; one that became
    // looser needs a rescan, which on_preferences and presence changes ask for.
    avatar.fetching = true;
    const bool take_dropped = !avatar.dropped_told;
    storage_.submit<Fetched>(
        [jid = avatar.jid, cursor = avatar.cursor, min_priority = *min_priority, batch,
         take_dropped](storage::Repositories& repos) {
            Fetched fetched{repos.queue.next(jid, cursor, min_priority, now_ms(), batch)};
            // A row that is not well-formed XML (written by an older version,
            // or damaged) is sent with its payload rebuilt from its fields.
            for (auto& queued : fetched.items) drop_malformed_payload(queued.item);
            if (take_dropped) fetched.dropped = repos.queue.take_dropped_count(jid);
            return fetched;
        },
        [this, jid = avatar.jid, epoch = avatar.epoch, batch](std::optional<Fetched> fetched,
                                                              std::exception_ptr error) {
            auto* avatar = find(jid, epoch);
            if (!avatar) return;
            avatar->fetching = false;
            if (error) {
                spdlog::error("cannot read the queue of {}; retrying", jid);
                retry_later(*avatar);
                return;
            }
            avatar->dropped_told = true;
            const auto* resource = avatar->presence.best_resource();
            if (!resource) return;
            const bool more = static_cast<int>(fetched->items.size()) == batch;
            const bool all_sent = deliver(*avatar, *resource, fetched->items, fetched->dropped);
            avatar->caught_up = !more && all_sent;
            // A presence or preference change during the read asked for a
            // rescan that the read in flight turned away.
            if ((more && all_sent) || avatar->rescan) pump(*avatar);
        });
}

bool Router::deliver(UserAvatar& avatar, const std::string& resource, std::span<const storage::QueuedItem> items,
                     std::int64_t dropped) {
    const auto to = avatar.jid + "/" + resource;
    const auto now = now_ms();
    if (dropped > 0)
        outbox_.notice(to, next_id("notice"),
                       std::to_string(dropped) +
                           " notifications were dropped while you were away: your queue was full (at most " +
                           std::to_string(delivery_.max_queue_per_user) + ").");
    if (avatar.unpinged_resource != resource) ping(avatar);
    avatar.unpinged_resource = resource;
    const auto format = message_format(avatar.preferences.message_type.value_or(delivery_.message_type));
    // Programs taking XEP-0060 events do not send receipts: pings confirm.
    const bool by_receipt = avatar.sending_receipts.count(resource) > 0 && format != MessageFormat::pubsub;
    const auto sent = std::chrono::steady_clock::now();
    bool all_sent = true;
    for (const auto& queued : items) {
        // An item in flight when the stream died goes alone, so that a second
        // loss can be laid at its door and not at its neighbours'.
        const bool suspect = is_suspect(avatar.jid, queued.seq);
        if (suspect && (!avatar.unconfirmed.empty() || suspect_in_flight_)) {
            all_sent = false;
            break;
        }
        const auto& item = queued.item;
        const auto id = delivery_message_id(queued.seq, ++next_id_);
        const bool waited = item.published_ms < avatar.online_since_ms || now - item.published_ms > kDelayStampAfterMs;
        outbox_.deliver({item, to, id, format, waited});
        avatar.unconfirmed[id] = {resource, queued.seq, item.published_ms, sent, by_receipt};
        avatar.cursor = std::max(avatar.cursor, queued.seq);
        if (!by_receipt) avatar.unpinged.push_back(id);
        if (suspect) {
            // Nothing more goes to this user until it is settled.
            suspect_in_flight_ = std::pair{avatar.jid, queued.seq};
            all_sent = false;
            break;
        }
    }
    if (by_receipt) watch(avatar);
    if (avatar.unpinged.empty() || avatar.ping_posted) return all_sent;
    // Once the handlers already queued have run: the deliveries of one
    // storage commit share a ping.
    avatar.ping_posted = true;
    boost::asio::post(io_, [this, jid = avatar.jid, epoch = avatar.epoch] {
        if (auto* avatar = find(jid, epoch)) {
            avatar->ping_posted = false;
            ping(*avatar);
        }
    });
    return all_sent;
}

// Sent right after the messages it covers, so that both reach the same
// session of the resource.
void Router::ping(UserAvatar& avatar) {
    if (avatar.unpinged.empty()) return;
    const auto ping_id = next_id("p");
    outbox_.ping(avatar.jid + "/" + avatar.unpinged_resource, ping_id);
    avatar.pings[ping_id] = {std::exchange(avatar.unpinged, {}), std::chrono::steady_clock::now()};
    watch(avatar);
}

// A ping without an answer, or a receipt that does not come (the session
// lost on the server's side without a bounce), must not hold messages
// unconfirmed for ever: after confirm_timeout_seconds they are sent again.
void Router::watch(UserAvatar& avatar) {
    if (avatar.watching) return;
    std::optional<std::chrono::steady_clock::time_point> oldest;
    const auto consider = [&oldest](auto sent) { oldest = oldest ? std::min(*oldest, sent) : sent; };
    for (const auto& entry : avatar.pings) consider(entry.second.sent);
    for (const auto& entry : avatar.unconfirmed)
        if (entry.second.awaiting_receipt) consider(entry.second.sent);
    if (!oldest) return;
    const auto timeout = std::chrono::seconds(delivery_.confirm_timeout_seconds);
    avatar.watching = true;
    avatar.watch_timer.expires_at(*oldest + timeout);
    avatar.watch_timer.async_wait([this, jid = avatar.jid, epoch = avatar.epoch, timeout](boost::system::error_code error) {
        auto* avatar = find(jid, epoch);
        if (error || !avatar) return;
        avatar->watching = false;
        const auto deadline = std::chrono::steady_clock::now() - timeout;
        std::vector<std::string> late;
        for (auto entry = avatar->pings.begin(); entry != avatar->pings.end();) {
            if (entry->second.sent > deadline) {
                ++entry;
                continue;
            }
            for (const auto& id : entry->second.message_ids)
                if (avatar->unconfirmed.count(id)) late.push_back(id);
            entry = avatar->pings.erase(entry);
        }
        for (const auto& [id, entry] : avatar->unconfirmed) {
            if (!entry.awaiting_receipt || entry.sent > deadline) continue;
            late.push_back(id);
            avatar->sending_receipts.erase(entry.resource);  // pings again from now on
        }
        if (!late.empty())
            spdlog::info("{}: {} messages unconfirmed after {} s are sent again", jid, late.size(), timeout.count());
        lose(*avatar, late);
        watch(*avatar);
    });
}

void Router::confirm(UserAvatar& avatar, const std::vector<std::string>& message_ids) {
    std::vector<std::int64_t> seqs;
    const auto now = now_ms();
    for (const auto& id : message_ids) {
        const auto entry = avatar.unconfirmed.find(id);
        if (entry == avatar.unconfirmed.end()) continue;
        seqs.push_back(entry->second.seq);
        suspects_.erase({avatar.jid, entry->second.seq});
        release_suspect(avatar.jid, entry->second.seq);
        metrics_.delivered(now - entry->second.published_ms);
        avatar.unconfirmed.erase(entry);
    }
    if (seqs.empty()) return;
    avatar.failures = 0;
    storage_.submit(
        [jid = avatar.jid, seqs](storage::Repositories& repos) {
            const auto now = now_ms();
            for (const auto seq : seqs) repos.queue.confirm(jid, seq, now);
        },
        [jid = avatar.jid](std::exception_ptr error) {
            if (error) spdlog::error("confirmations of {} not stored; the items will be sent again", jid);
        });
    pump(avatar);
}

void Router::lose(UserAvatar& avatar, const std::vector<std::string>& message_ids) {
    bool any = false;
    for (const auto& id : message_ids) {
        const auto entry = avatar.unconfirmed.find(id);
        if (entry == avatar.unconfirmed.end()) continue;
        release_suspect(avatar.jid, entry->second.seq);
        avatar.unconfirmed.erase(entry);
        any = true;
    }
    if (!any) return;
    avatar.rescan = true;
    retry_later(avatar);
}

void Router::retry_later(UserAvatar& avatar) {
    if (avatar.retry_pending) return;
    avatar.retry_pending = true;
    const auto delay = std::min<std::chrono::milliseconds>(
        kMaxRetryDelay, std::chrono::milliseconds(500) * (1 << std::min(avatar.failures, 10)));
    ++avatar.failures;
    avatar.retry_timer.expires_after(delay);
    avatar.retry_timer.async_wait([this, jid = avatar.jid, epoch = avatar.epoch](boost::system::error_code error) {
        if (error) return;
        if (auto* avatar = find(jid, epoch)) {
            avatar->retry_pending = false;
            pump(*avatar);
        }
    });
}

// A freshly committed item goes straight to the users whose queue was read
// to its end and who take it now; the others read their queue.
void Router::on_published(const PublishOutcome& outcome,
                          std::optional<std::chrono::steady_clock::time_point> received) {
    for (const auto& user : outcome.subscribers) {
        const auto avatar = avatars_.find(user);
        if (avatar == avatars_.end()) continue;
        if (outcome.queued && hand_over(*avatar->second, *outcome.queued)) {
            if (received) metrics_.sent_live(std::chrono::steady_clock::now() - *received);
            continue;
        }
        avatar->second->caught_up = false;
        pump(*avatar->second);
    }
}

void Router::on_outbox_drained() {
    for (const auto& jid : std::exchange(awaiting_outbox_, {}))
        if (const auto avatar = avatars_.find(jid); avatar != avatars_.end()) pump(*avatar->second);
}

bool Router::hand_over(UserAvatar& avatar, const storage::QueuedItem& queued) {
    const auto min_priority = accepted_priority(avatar);
    const auto* resource = avatar.presence.best_resource();
    const auto& expires = queued.item.expires_ms;
    if (!avatar.caught_up || avatar.fetching || avatar.retry_pending || avatar.rescan || !min_priority ||
        outbox_.backed_up() ||
        !resource || queued.item.priority < *min_priority || queued.seq <= avatar.cursor ||
        (expires && *expires <= now_ms()) ||
        static_cast<int>(avatar.unconfirmed.size()) >= delivery_.window)
        return false;
    deliver(avatar, *resource, {&queued, 1}, 0);
    return true;
}

void Router::received(const std::string& full_jid, const std::string& message_id) {
    const auto avatar = avatars_.find(bare_jid(full_jid));
    if (avatar == avatars_.end()) return;
    avatar->second->sending_receipts.insert(resource_of(full_jid));
    confirm(*avatar->second, {message_id});
}

void Router::bounced(const std::string& full_jid, const std::string& message_id) {
    const auto avatar = avatars_.find(bare_jid(full_jid));
    if (avatar != avatars_.end()) lose(*avatar->second, {message_id});
}

void Router::seen(const std::string& full_jid, const std::string& message_id) {
    const auto avatar = avatars_.find(bare_jid(full_jid));
    if (avatar != avatars_.end() && avatar->second->unconfirmed.count(message_id))
        confirm(*avatar->second, {message_id});
}

// An answer to a ping proves every message sent before it was read.
void Router::ping_answered(const std::string& full_jid, const std::string& ping_id) {
    const auto avatar = avatars_.find(bare_jid(full_jid));
    if (avatar == avatars_.end()) return;
    auto ping = avatar->second->pings.extract(ping_id);
    if (ping.empty()) return;
    avatar->second->answering_pings.insert(resource_of(full_jid));
    confirm(*avatar->second, ping.mapped().message_ids);
}

// An error comes from a client without XEP-0199, which read the messages,
// or from ejabberd for a session that is closing (shutting down, replaced,
// timed out), which did not: from a resource known to answer pings it means
// the latter, and from others the messages count as read only once the
// resource answers a presence probe.
void Router::ping_failed(const std::string& full_jid, const std::string& ping_id, PingError error) {
    const auto avatar = avatars_.find(bare_jid(full_jid));
    if (avatar == avatars_.end()) return;
    auto ping = avatar->second->pings.extract(ping_id);
    if (ping.empty()) return;
    const auto resource = resource_of(full_jid);
    auto& message_ids = ping.mapped().message_ids;
    if (error == PingError::unsupported && !avatar->second->answering_pings.count(resource))
        check_session(*avatar->second, resource, std::move(message_ids));
    else
        lose(*avatar->second, message_ids);
}

void Router::check_session(UserAvatar& avatar, const std::string& resource, std::vector<std::string> message_ids) {
    auto& unproven = avatar.unproven[resource];
    unproven.insert(unproven.end(), message_ids.begin(), message_ids.end());
    outbox_.probe(avatar.jid);
    avatar.session_check_timer.expires_after(kSessionCheckTimeout);
    avatar.session_check_timer.async_wait(
        [this, jid = avatar.jid, epoch = avatar.epoch, check = ++avatar.session_check](boost::system::error_code error) {
            auto* avatar = find(jid, epoch);
            if (error || !avatar || avatar->session_check != check) return;
            for (auto& [resource, ids] : std::exchange(avatar->unproven, {})) {
                spdlog::info("{}/{} did not answer the probe; its unconfirmed messages are sent again", jid, resource);
                lose(*avatar, ids);
            }
        });
}

// Also the moment quiet hours may have ended: every avatar looks again.
void Router::schedule_expiry() {
    expiry_timer_.run_after(std::chrono::seconds(delivery_.expiry_check_seconds), [this] {
        schedule_expiry();  // first: a handler that throws below must not end the checks
        for (auto& entry : avatars_) {
            entry.second->rescan = true;
            pump(*entry.second);
        }
        storage_.submit<std::int64_t>(
            [](storage::Repositories& repos) { return repos.queue.expire(now_ms()); },
            [](std::optional<std::int64_t> expired, std::exception_ptr) {
                if (expired && *expired > 0) spdlog::info("{} queued notifications expired", *expired);
            });
    });
}

bool Router::in_flight(const std::string& bare_jid, std::int64_t seq) const {
    const auto avatar = avatars_.find(bare_jid);
    if (avatar == avatars_.end()) return false;
    const auto& unconfirmed = avatar->second->unconfirmed;
    return std::any_of(unconfirmed.begin(), unconfirmed.end(), [seq](const auto& entry) { return entry.second.seq == seq; });
}

void Router::requeued(const std::vector<std::string>& users) {
    for (const auto& user : users)
        if (const auto avatar = avatars_.find(user); avatar != avatars_.end()) {
            avatar->second->rescan = true;
            pump(*avatar->second);
        }
}

void Router::queued_elsewhere(const storage::QueueChange& change) {
    if (change.everything) return rescan_all();
    if (avatars_.empty() || change.items.empty()) return;
    storage_.submit<std::vector<std::string>>(
        [items = change.items](storage::Repositories& repos) { return repos.queue.users_queued_for(items); },
        [this](std::optional<std::vector<std::string>> users, std::exception_ptr error) {
            if (error || !users) {
                spdlog::warn("cluster: cannot read whom items published elsewhere went to; reading every queue");
                return rescan_all();
            }
            spdlog::debug("cluster: re-reading queues of {} users published elsewhere", users->size());
            requeued(*users);
        });
}

void Router::rescan_all() {
    std::vector<std::string> online;
    online.reserve(avatars_.size());
    for (const auto& [jid, avatar] : avatars_) online.push_back(jid);
    requeued(online);
}

void Router::on_preferences(const std::string& bare_jid, const storage::Preferences& preferences) {
    const auto avatar = avatars_.find(bare_jid);
    if (avatar == avatars_.end()) return;
    avatar->second->preferences = preferences;
    avatar->second->rescan = true;
    pump(*avatar->second);
}

void Router::stop() {
    expiry_timer_.stop();
    avatars_.clear();
    awaiting_lookup_.clear();
    awaiting_outbox_.clear();
}

void Router::forget(const std::string& bare_jid) {
    awaiting_lookup_.erase(bare_jid);
    const auto avatar = avatars_.find(bare_jid);
    if (avatar == avatars_.end()) return;
    if (avatar->second->announced != Availability::offline)
        spdlog::info("user {} is now offline", bare_jid);
    drop_avatar(bare_jid);
}

void Router::drop_avatar(const std::string& bare_jid) {
    if (suspect_in_flight_ && suspect_in_flight_->first == bare_jid)
        release_suspect(bare_jid, suspect_in_flight_->second);
    avatars_.erase(bare_jid);
}

void Router::forget_all_presence() {
    ++generation_;
    awaiting_lookup_.clear();
    awaiting_outbox_.clear();
    suspect_in_flight_.reset();
    if (!avatars_.empty()) spdlog::info("presence of {} users is unknown until probed", avatars_.size());
    avatars_.clear();
}

bool Router::is_suspect(const std::string& bare_jid, std::int64_t seq) const {
    return suspects_.count({bare_jid, seq}) > 0;
}

void Router::release_suspect(const std::string& bare_jid, std::int64_t seq) {
    if (suspect_in_flight_ != std::pair{bare_jid, seq}) return;
    suspect_in_flight_.reset();
    // Only users with a suspect waiting were held back by it.
    boost::asio::post(io_, [this] {
        std::set<std::string> waiting;
        for (const auto& entry : suspects_) waiting.insert(entry.first.first);
        for (const auto& jid : waiting)
            if (const auto avatar = avatars_.find(jid); avatar != avatars_.end()) pump(*avatar->second);
    });
}

void Router::blame_deliveries_in_flight() {
    std::map<std::pair<std::string, std::int64_t>, int> suspects;
    std::vector<std::pair<std::string, std::int64_t>> poison;
    for (const auto& [jid, avatar] : avatars_)
        for (const auto& [id, entry] : avatar->unconfirmed) {
            const auto key = std::pair{jid, entry.seq};
            const auto found = suspects_.find(key);
            const int losses = (found == suspects_.end() ? 0 : found->second) + 1;
            if (losses >= kLossesBeforeSetAside) poison.push_back(key);
            else suspects[key] = losses;
        }
    suspects_ = std::move(suspects);
    for (const auto& [jid, seq] : poison) {
        spdlog::warn("the stream died {} times in a row with item {} in flight to {}: set aside as not deliverable",
                     kLossesBeforeSetAside, seq, jid);
        metrics_.set_aside();
    }
    if (poison.empty()) return;
    storage_.submit(
        [poison](storage::Repositories& repos) {
            const auto now = now_ms();
            for (const auto& [jid, seq] : poison) repos.queue.set_aside(jid, seq, now);
        },
        [](std::exception_ptr error) {
            if (error) spdlog::error("items set aside not stored as such; they will be tried again");
        });
}

std::vector<std::string> Router::online_users() const {
    std::vector<std::string> users;
    users.reserve(avatars_.size());
    for (const auto& entry : avatars_) users.push_back(entry.first);
    return users;
}

}  // namespace herald::routing
