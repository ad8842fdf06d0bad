#pragma once

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "routing/escalation_agent.h"
#include "routing/escalation_channel.h"
#include "routing/metrics.h"
#include "routing/settings.h"
#include "routing/shared_work.h"
#include "routing/stoppable_timer.h"
#include "routing/user_presence.h"

namespace herald::storage {
class StorageWorker;
}

namespace herald::routing {

// The escalation policy: notices when users go away and come back, and every
// `check_seconds` claims the queued items whose delay has passed (priority at
// or above the user's threshold; in quiet hours only urgent ones), then
// hands each user's claimed items to the agent of their channel as one batch.
// Everything it knows is in storage, so what fell due while herald was down
// goes out once it is back. A batch is recorded as sending before its agent
// is called, so it goes out at most once even if herald stops or storage
// fails before the outcome is recorded; outcomes are recorded: sent, or
// retried with backoff (a failure the agent reports), or failed after
// `max_attempts`. Claiming goes round the users away, at most one batch's
// worth of items each, so nobody's backlog delays the others.
class Escalator {
public:
    using Agents = std::map<EscalationChannel, EscalationAgent*>;

    // Escalates only while `shared_work` is ours.
    Escalator(boost::asio::io_context& io, storage::StorageWorker& storage, Metrics& metrics,
              const EscalationSettings& settings, Agents agents, const SharedWork& shared_work);

    // Connected to the server: nobody's presence is known yet.
    void on_connected();
    void on_state(const std::string& bare_jid, Availability state);
    void stop();

private:
    struct Round;
    void schedule(std::chrono::milliseconds delay);
    void check();
    void escalate(const storage::EscalationBatch& batch);
    void record(const storage::EscalationBatch& batch, const AgentOutcome& outcome);

    boost::asio::io_context& io_;
    storage::StorageWorker& storage_;
    Metrics& metrics_;
    const EscalationSettings& settings_;
    Agents agents_;
    const SharedWork& shared_work_;
    StoppableTimer timer_;
    std::set<std::string> in_flight_;  // users whose batch is with an agent
    std::string claim_cursor_;         // the last user claimed for, while a round of users is under way
    std::int64_t not_before_ms_ = 0;   // the presence grace period after connecting
    bool checking_ = false;
};

}  // namespace herald::routing
