#pragma once

// One XMPP client session (libstrophe) for end-to-end tests: its own context
// and event-loop thread, a queue of every iq/message/presence it receives,
// and deadline-bounded waits on that queue.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <strophe.h>

#include "received_stanza.h"

namespace herald::testing {

// Reply to an incoming iq get/set: the raw XML to send back, or nullopt to
// send nothing (the test answers later with send()).
using IqResponder = std::function<std::optional<std::string>(const ReceivedStanza& iq)>;

// <iq type='result'/> (with optional payload) and <iq type='error'/> replies
// addressed to the sender of `iq`, with its id.
std::string iq_result_for(const ReceivedStanza& iq, std::string_view payload_xml = {});
std::string iq_error_for(const ReceivedStanza& iq, std::string_view error_type,
                         std::string_view condition);

// The default responder: an empty result for urn:xmpp:ping, otherwise
// service-unavailable.
std::optional<std::string> answer_pings_refuse_others(const ReceivedStanza& iq);

class XmppTestClient {
public:
    struct Options {
        // Use STARTTLS when the server offers it (certificate not checked).
        bool allow_tls = true;
        // XEP-0198 as libstrophe does it (answers the server's <r/>).
        bool stream_management = true;
    };

    XmppTestClient(std::string jid_with_resource, std::string password, std::string host, int port);
    XmppTestClient(std::string jid_with_resource, std::string password, std::string host, int port,
                   Options options);
    ~XmppTestClient();  // disconnect() and join

    XmppTestClient(const XmppTestClient&) = delete;
    XmppTestClient& operator=(const XmppTestClient&) = delete;

    // Connects to host:port and returns true once the resource is bound (no
    // initial presence is sent). Can be called again after the session ended;
    // already received stanzas stay queued. On false, last_error() says why.
    bool connect(std::chrono::milliseconds deadline);

    // Queues raw XML for the loop thread; thread-safe. Held until the session
    // is established; dropped when the session ends.
    void send(const std::string& xml);

    // A fresh stanza id, unique within the process.
    std::string next_id();

    // Removes and returns the first queued stanza (oldest first) for which
    // match returns true, waiting for new ones until the deadline. Stanzas
    // that do not match stay queued. Returns nullopt early once the session
    // has ended and nothing new can arrive. match runs on the calling thread.
    std::optional<ReceivedStanza> wait_for(std::function<bool(const ReceivedStanza&)> match,
                                           std::chrono::milliseconds deadline);

    // Sends an <iq/> and waits for the result or error with its id. An iq
    // without an id attribute gets one from next_id(). Throws
    // std::invalid_argument when iq_xml is not a well-formed <iq/>.
    std::optional<ReceivedStanza> request(const std::string& iq_xml,
                                          std::chrono::milliseconds deadline);

    std::vector<ReceivedStanza> received() const;  // snapshot of the queue
    void clear();                                  // drops the queue

    // Every incoming iq get/set is queued, then passed to this responder on
    // the loop thread (so it must not call wait_for/request). The default is
    // answer_pings_refuse_others.
    void set_iq_responder(IqResponder responder);

    bool connected() const;
    // True when the stream ended without disconnect() being asked for: the
    // server closed it, sent a stream error, or the socket failed.
    bool disconnected() const;
    bool wait_disconnected(std::chrono::milliseconds deadline);
    // Why the last session ended or failed to start: stream error condition
    // and text, socket error, the last lines of libstrophe's log.
    std::string last_error() const;

    // Closes the stream cleanly and stops the loop thread; idempotent.
    void disconnect();

    // Bound full JID once connected (the configured one before).
    std::string jid() const;
    std::string bare_jid() const;

private:
    enum class SessionState { idle, connecting, connected, ended };

    struct QueuedStanza {
        std::uint64_t sequence;
        ReceivedStanza stanza;
    };

    void run_session();
    void finish_session(std::string reason);
    void remember_log_line(std::string line);

    static int on_stanza(xmpp_conn_t* connection, xmpp_stanza_t* stanza, void* self);
    static void on_connection_event(xmpp_conn_t* connection, xmpp_conn_event_t event, int error,
                                    xmpp_stream_error_t* stream_error, void* self);
    static void on_log(void* self, xmpp_log_level_t level, const char* area, const char* message);

    const std::string configured_jid_;
    const std::string password_;
    const std::string host_;
    const int port_;
    const Options options_;
    const std::string id_prefix_;
    const bool trace_;  // HERALD_XMPP_TRACE set: libstrophe's log to stderr
    std::atomic<std::uint64_t> id_counter_{0};

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    SessionState state_ = SessionState::idle;
    bool stop_requested_ = false;
    bool ended_by_server_ = false;
    std::string bound_jid_;
    std::string last_error_;
    std::deque<std::string> log_tail_;
    std::deque<std::string> outbound_;
    std::deque<QueuedStanza> inbox_;
    std::uint64_t next_sequence_ = 0;
    IqResponder iq_responder_;

    // Loop thread only.
    std::chrono::steady_clock::time_point last_traffic_{};

    std::thread loop_thread_;  // last: started after everything above exists
};

}  // namespace herald::testing
