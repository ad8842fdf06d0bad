#pragma once

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "routing/ack_callbacks.h"
#include "routing/metrics.h"
#include "routing/settings.h"
#include "routing/shared_work.h"
#include "routing/stoppable_timer.h"
#include "routing/user_notices.h"
#include "storage/storage_worker.h"

namespace herald::routing {

class Router;

// Which item a person acknowledges.
struct AckRequest {
    enum class Target { latest, id_prefix, message, quote, item };
    Target target = Target::latest;
    std::string argument;  // the id prefix, the message id, the quoted first line, or the item's seq
    bool reaction = false;  // a reaction is answered only when it acknowledged something
};

// What of an incoming message may acknowledge, as the component reads it.
struct AckMessage {
    struct Reactions {
        std::string id;                   // the message reacted to
        std::vector<std::string> emojis;  // one per reaction
    };
    std::string type;                      // the message's type ("" when none)
    std::optional<std::string> body;
    std::optional<std::string> reply_to;   // XEP-0461: the id of the message replied to
    std::optional<Reactions> reactions;    // XEP-0444
};

// A message that acknowledges: a chat message "ack", "ok", 👍 or ✅ (the
// item needing acknowledgement received last), "ack ID-PREFIX", a quote of the notification
// followed by one of those, a XEP-0461 reply starting with one, or a
// XEP-0444 reaction 👍 or ✅. nullopt for anything else.
std::optional<AckRequest> read_ack_request(const AckMessage& message);

// What acknowledging did, for the acknowledger, the other recipients and the publisher.
struct AckResult {
    enum class Kind { acknowledged, already, nothing_waiting, no_match, ambiguous, not_needed, not_theirs, unresolved };
    Kind kind = Kind::nothing_waiting;
    storage::Acknowledgement ack;
    std::optional<storage::ItemStatus> status;  // acknowledged: what the publisher is told
    std::vector<storage::QueuedItem> matches;   // ambiguous
};

// Inside a storage job: finds the item `request` names among the user's and
// acknowledges it for them.
AckResult acknowledge_in_storage(storage::Repositories& repos, const std::string& user, const AckRequest& request);
// What the acknowledger is told ("" when a reaction needs no answer).
std::string ack_answer(const AckResult& result, const AckRequest& request, const std::string& user);

// The item's state as an HTTP publisher reads it (GET .../items/ID, and the callback).
std::string item_status_json(const storage::ItemStatus& status);

// Acknowledgements: stores the first one durably before anyone is told, then
// answers the acknowledger, tells the recipients who had the item, the XMPP
// publisher (a message with <acknowledged/>) and the HTTP publisher's
// callback (a POST signed with the digest of its token). Re-sends
// unacknowledged items as reminders every herald#renotify seconds.
class Acknowledgements {
public:
    Acknowledgements(boost::asio::io_context& io, storage::StorageWorker& storage, UserNotices& notices,
                     Router& router, AckCallbacks& callbacks, Metrics& metrics, const DeliverySettings& delivery,
                     const SharedWork& shared_work);

    // A request read from a message `from` sent; true when `from` is a
    // user's JID (the request is then acknowledged and answered).
    bool on_request(const std::string& from, const AckRequest& request);
    // Acknowledges for the bare JID of `from`; `done` gets the text for them.
    void acknowledge(const std::string& from, const AckRequest& request, std::function<void(std::string)> done);

    // On the io thread once an acknowledgement is committed: tells the
    // recipients who had it, the publisher and its callback.
    void settled(const std::string& by, const AckResult& result);

    void start();
    void stop();

private:
    void schedule_reminders();

    boost::asio::io_context& io_;
    storage::StorageWorker& storage_;
    UserNotices& notices_;
    Router& router_;
    AckCallbacks& callbacks_;
    Metrics& metrics_;
    const DeliverySettings& delivery_;
    const SharedWork& shared_work_;
    StoppableTimer reminder_timer_;
    bool reminding_ = false;
};

}  // namespace herald::routing
