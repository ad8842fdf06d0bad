#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "routing/metrics.h"
#include "routing/settings.h"
#include "routing/stoppable_timer.h"
#include "routing/user_outbox.h"
#include "routing/user_presence.h"

namespace herald::storage {
class StorageWorker;
struct QueuedItem;
struct QueueChange;
struct Preferences;
}  // namespace herald::storage

namespace herald::routing {

struct PublishOutcome;

struct PresenceUpdate {
    std::string resource;
    std::optional<ResourcePresence> presence;  // empty: the resource went away
};

// Owns the user avatars: the in-memory state of users who are online, and
// delivers their queues. An avatar is made when a registered user's first
// resource appears and dropped when the last one goes, so registered but
// offline users cost no memory. Delivery goes to the user's best resource,
// oldest first, at most `delivery_window` unconfirmed messages at a time.
// A receipt, or the answer to the ping sent after the messages to a resource
// that has not sent receipts, confirms (see ping_failed for errors); what is
// not confirmed stays queued and is sent again. The edge reads the answers
// from stanzas and tells them here.
class Router {
public:
    // Why a ping came back with an error: the resource does not support
    // pings (feature-not-implemented, service-unavailable), or anything else.
    enum class PingError { unsupported, other };

    Router(boost::asio::io_context& io, storage::StorageWorker& storage, UserOutbox& outbox,
           const DeliverySettings& delivery, Metrics& metrics);
    ~Router();

    void on_presence(const std::string& bare_jid, PresenceUpdate update);
    // The user withdrew our presence subscription or unregistered.
    void forget(const std::string& bare_jid);
    // The link to the server is gone: every presence we knew is stale.
    void forget_all_presence();
    // The server closed the stream over what we wrote (not well-formed,
    // invalid XML...): every delivery in flight is a suspect, and one in
    // flight at kLossesBeforeSetAside such losses in a row is set aside.
    // Called before forget_all_presence.
    void blame_deliveries_in_flight();

    // The outbox no longer backed up: the users held back by it read their queues.
    void on_outbox_drained();

    // A new item is queued for its subscribers. `received`: when herald
    // received the publish; its live deliveries are timed from then.
    void on_published(const PublishOutcome& outcome,
                      std::optional<std::chrono::steady_clock::time_point> received = std::nullopt);
    // Answers about delivery `message_id` from the resource `full_jid`: a
    // receipt (XEP-0184), an error bounced in its place, or a reaction
    // (XEP-0444) or reply (XEP-0461) proving a person saw it.
    void received(const std::string& full_jid, const std::string& message_id);
    void bounced(const std::string& full_jid, const std::string& message_id);
    void seen(const std::string& full_jid, const std::string& message_id);
    // The answer to one of our pings.
    void ping_answered(const std::string& full_jid, const std::string& ping_id);
    void ping_failed(const std::string& full_jid, const std::string& ping_id, PingError error);
    // Items were queued again for these users (reminders): their queues are read anew.
    void requeued(const std::vector<std::string>& users);
    // Another instance sharing the database queued these items (or, with
    // `everything`, anything): the users here they went to read their queues
    // anew, from the start, since a late commit may sit behind their cursor.
    void queued_elsewhere(const storage::QueueChange& change);
    // Every online user's queue read anew.
    void rescan_all();
    // The user changed preferences (or paused, or resumed).
    void on_preferences(const std::string& bare_jid, const storage::Preferences& preferences);

    // Told each time a user's overall state changes (offline included).
    void observe_states(std::function<void(const std::string&, Availability)> observer) {
        state_observer_ = std::move(observer);
    }

    // A message with the item went to the user and is not confirmed yet.
    bool in_flight(const std::string& bare_jid, std::int64_t seq) const;
    std::vector<std::string> online_users() const;
    std::size_t avatar_count() const { return avatars_.size(); }
    // Shutting down: no more timers, no more avatars.
    void stop();

private:
    struct UserAvatar;
    UserAvatar* find(const std::string& bare_jid, std::uint64_t epoch);
    void apply(const std::string& bare_jid, UserAvatar& avatar, const PresenceUpdate& update);
    void look_up(const std::string& bare_jid);
    void pump(UserAvatar& avatar);
    // Lowest priority the user takes now, or nullopt when they take nothing.
    std::optional<int> accepted_priority(const UserAvatar& avatar) const;
    // False when it stopped early: a suspect waits until nothing is in flight.
    bool deliver(UserAvatar& avatar, const std::string& resource, std::span<const storage::QueuedItem> items,
                 std::int64_t dropped);
    // Delivers a just published item without reading the queue; false when
    // the user cannot take it now.
    bool hand_over(UserAvatar& avatar, const storage::QueuedItem& queued);
    void ping(UserAvatar& avatar);
    void watch(UserAvatar& avatar);
    void confirm(UserAvatar& avatar, const std::vector<std::string>& message_ids);
    void lose(UserAvatar& avatar, const std::vector<std::string>& message_ids);
    void check_session(UserAvatar& avatar, const std::string& resource, std::vector<std::string> message_ids);
    void retry_later(UserAvatar& avatar);
    void schedule_expiry();
    bool is_suspect(const std::string& bare_jid, std::int64_t seq) const;
    // The user's last resource went: no avatar until they come back.
    void drop_avatar(const std::string& bare_jid);
    // The suspect in flight is settled (confirmed, lost or its user gone):
    // the next one may go.
    void release_suspect(const std::string& bare_jid, std::int64_t seq);
    std::string next_id(const char* prefix);

    boost::asio::io_context& io_;
    storage::StorageWorker& storage_;
    UserOutbox& outbox_;
    const DeliverySettings& delivery_;
    Metrics& metrics_;
    std::unordered_map<std::string, std::unique_ptr<UserAvatar>> avatars_;
    std::unordered_map<std::string, std::vector<PresenceUpdate>> awaiting_lookup_;
    // Users whose queue was not read because the outbox was backed up.
    std::set<std::string> awaiting_outbox_;
    // (user, queue seq) in flight when the stream died, with how many times in a row.
    std::map<std::pair<std::string, std::int64_t>, int> suspects_;
    // At most one suspect is in flight across all users, alone, so that a
    // loss is laid at its door only.
    std::optional<std::pair<std::string, std::int64_t>> suspect_in_flight_;
    // Bumped by forget_all_presence so lookups begun before it are discarded.
    std::uint64_t generation_ = 0;
    std::uint64_t next_epoch_ = 0;
    std::uint64_t next_id_ = 0;
    StoppableTimer expiry_timer_;
    std::function<void(const std::string&, Availability)> state_observer_;
};

}  // namespace herald::routing
