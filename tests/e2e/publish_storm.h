#pragma once

// Several publishers, each on its own XMPP session and thread, pipelining
// publishes to one node until told to stop, through whatever happens to
// herald or ejabberd meanwhile: a publisher whose session ends logs in again.
// Each publish has a unique title; the storm remembers which ones herald
// acknowledged (an IQ result), which it refused and with what condition, and
// which never got an answer.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/private_ejabberd.h"

namespace herald::testing {

class PublishStorm {
public:
    // The publish IQ (with that id) of a notification with that title.
    using MakePublish = std::function<std::string(const std::string& id, const std::string& title)>;

    // A (not connected) session for a publisher.
    using MakeClient = std::function<std::unique_ptr<XmppTestClient>(const std::string& user)>;

    // `users` log in with password "secret-" + user (as HeraldE2E::login);
    // each keeps `window` publishes unanswered at most.
    PublishStorm(const PrivateEjabberd& ejabberd, std::vector<std::string> users, MakePublish make_publish,
                 int window = 16);
    // The same, each user's session made by `make_client` (e.g. through one
    // node of a PrivateCluster).
    PublishStorm(MakeClient make_client, std::vector<std::string> users, MakePublish make_publish,
                 int window = 16);
    ~PublishStorm();

    PublishStorm(const PublishStorm&) = delete;
    PublishStorm& operator=(const PublishStorm&) = delete;

    // Waits until `count` publishes in all have been acknowledged.
    bool wait_acknowledged(std::size_t count, std::chrono::milliseconds deadline);
    // Waits until `count` publishes in all have been refused.
    bool wait_refused(std::size_t count, std::chrono::milliseconds deadline);
    // No new publishes; waits for the answers still due, then joins.
    void stop();

    std::set<std::string> acknowledged() const;
    std::size_t acknowledged_count() const;
    std::size_t refused_count() const;
    // Refusals by error condition ("resource-constraint/wait", ...).
    std::map<std::string, int> refusals() const;
    // Sent, but the session ended or no answer came.
    std::size_t unanswered() const;
    std::string summary() const;

private:
    void run(const std::string& user);
    void pause(std::chrono::milliseconds pause);

    const MakeClient make_client_;
    const MakePublish make_publish_;
    const int window_;
    std::atomic<bool> stopping_{false};
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::set<std::string> acknowledged_;
    std::map<std::string, int> refusals_;
    std::map<std::string, std::string> examples_;  // the first refusal of each condition
    std::size_t refused_ = 0;
    std::size_t unanswered_ = 0;
    std::vector<std::thread> publishers_;  // last: started after everything above exists
};

// What a subscriber received, against what publishers were told was stored.
struct DeliveryCount {
    std::size_t acknowledged = 0;
    std::size_t delivered = 0;   // distinct acknowledged items received
    std::size_t duplicated = 0;  // receptions beyond the first of an item
    std::size_t lost = 0;        // acknowledged and never received
    std::size_t unacknowledged_delivered = 0;  // stored, but the answer never reached the publisher

    static DeliveryCount of(const std::set<std::string>& acknowledged, const std::map<std::string, int>& received);
    std::string describe(const std::string& fault) const;
};

}  // namespace herald::testing
