#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <variant>

#include <strophe.h>

#include "tools/herald-send/connection_settings.h"
#include "tools/herald-send/publish_reply.h"
#include "tools/herald-send/session_failure.h"
#include "tools/herald-send/strophe_handles.h"

namespace herald::ingest {

using PublishResult = std::variant<PublishReply, SessionFailure>;
using AcknowledgementResult = std::variant<Acknowledgement, SessionFailure>;

// One client session on one libstrophe context, driven with xmpp_run_once on
// the calling thread: log in, send one IQ, wait for the reply with its id,
// optionally wait on for the acknowledgement of the published item, close
// the stream. Needs a StropheLibrary alive around it.
class PublishSession {
public:
    // With `verbose`, libstrophe's informational log goes to `log` (its
    // debug level, which carries the SASL exchange, never does).
    PublishSession(ConnectionSettings settings, const std::string& password, bool verbose,
                   std::ostream& log);
    ~PublishSession();

    PublishSession(const PublishSession&) = delete;
    PublishSession& operator=(const PublishSession&) = delete;

    // Sends `iq_xml` (an <iq/> whose id is `iq_id`) once logged in; returns
    // the reply, or why there is none, by `deadline`. The session stays
    // open: wait_for_acknowledgement may follow; close() ends it.
    PublishResult publish(const std::string& iq_xml, const std::string& iq_id,
                          std::chrono::steady_clock::time_point deadline);

    // After a publish: the acknowledgement of `item_id` on `node` from
    // `service` (also one that came before the reply), or why none came:
    // `wait` passed (SessionFailure::Kind::timed_out) or the session ended.
    AcknowledgementResult wait_for_acknowledgement(const std::string& service, const std::string& node,
                                                   const std::string& item_id, std::chrono::seconds wait);

    // Closes the stream and gives the server a moment to close its side.
    void close();

private:
    static void on_connection_event(xmpp_conn_t* connection, xmpp_conn_event_t event, int error,
                                    xmpp_stream_error_t* stream_error, void* self);
    static int on_reply(xmpp_conn_t* connection, xmpp_stanza_t* stanza, void* self);
    static int on_message(xmpp_conn_t* connection, xmpp_stanza_t* stanza, void* self);
    static int on_request(xmpp_conn_t* connection, xmpp_stanza_t* stanza, void* self);
    static void on_log(void* self, xmpp_log_level_t level, const char* area, const char* message);

    // Runs libstrophe until `done()` or the session ends; false when
    // `until` comes first.
    bool run_until(const std::function<bool()>& done, std::chrono::steady_clock::time_point until);
    void session_ended(int error, const xmpp_stream_error_t* stream_error);
    SessionFailure ended_without(const std::string& what) const;
    std::string peer() const;
    std::string with_log_tail(std::string text) const;

    const ConnectionSettings settings_;
    const bool verbose_;
    std::ostream& log_;

    std::string iq_xml_;
    std::string iq_id_;
    bool logged_in_ = false;
    bool ended_ = false;
    bool closing_ = false;  // we asked for the end
    std::chrono::steady_clock::time_point deadline_{};  // of the current step
    bool authentication_rejected_ = false;  // a SASL <failure/> was seen
    bool tls_failed_ = false;
    bool certificate_rejected_ = false;
    int socket_error_ = 0;  // errno of the failed connect
    std::optional<PublishReply> reply_;
    std::optional<SessionFailure> failure_;
    std::deque<Acknowledgement> acknowledgements_;  // the latest received
    std::deque<std::string> warnings_;  // libstrophe's last warnings and errors

    xmpp_log_t logger_;
    StropheContext context_;
    StropheConnection connection_;  // last: released first, while the rest exists
};

}  // namespace herald::ingest
