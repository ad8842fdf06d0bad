#pragma once

// What every simulated user, publisher and the trivial component do with a
// stanza they receive, as a real client would: count and acknowledge
// notifications (XEP-0184 receipts), approve herald's presence subscription,
// hand IQ replies to whoever waits for them.

#include <atomic>
#include <string>

#include <strophe.h>

#include "bench/delivery_tally.h"
#include "bench/request_tracker.h"

namespace herald::bench {

class PublishPipeline;
struct Session;

class BenchResponder {
public:
    explicit BenchResponder(std::string component_jid) : component_jid_(std::move(component_jid)) {}

    void operator()(Session& session, xmpp_stanza_t* stanza);

    DeliveryTally& tally() { return tally_; }
    RequestTracker& requests() { return requests_; }
    // The pipeline that owns ids starting with PublishPipeline::kIdPrefix.
    void set_pipeline(PublishPipeline* pipeline) { pipeline_ = pipeline; }
    // Errors answered to fire-and-forget IQs (ids the driver does not track).
    std::uint64_t untracked_errors() const { return untracked_errors_; }

private:
    void on_iq(Session& session, xmpp_stanza_t* stanza);
    void on_message(Session& session, xmpp_stanza_t* stanza);
    void on_presence(Session& session, xmpp_stanza_t* stanza);

    const std::string component_jid_;
    DeliveryTally tally_;
    RequestTracker requests_;
    std::atomic<PublishPipeline*> pipeline_{nullptr};
    std::atomic<std::uint64_t> untracked_errors_{0};
};

}  // namespace herald::bench
