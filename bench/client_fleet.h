#pragma once

// Many XMPP sessions (libstrophe) spread over a few event-loop threads: one
// libstrophe context per thread, many connections per context. Client
// sessions log in with SASL; component sessions do the XEP-0114 handshake.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <strophe.h>

namespace herald::bench {

class ClientFleet;

// One session as its stanza handler sees it, on its loop thread.
struct Session {
    std::size_t index = 0;
    std::string jid;  // bare JID
    std::string password;
    int port = 0;
    ClientFleet* fleet = nullptr;
    xmpp_conn_t* connection = nullptr;  // loop thread only
    enum class State { idle, connecting, connected, ended };
    std::atomic<State> state{State::idle};
    bool close_requested = false;

    // Sends at once; only from a handler (the loop thread).
    void send_now(const std::string& xml) const;
};

using StanzaHandler = std::function<void(Session&, xmpp_stanza_t*)>;

class ClientFleet {
public:
    ClientFleet(std::string host, int threads);
    ~ClientFleet();
    ClientFleet(const ClientFleet&) = delete;
    ClientFleet& operator=(const ClientFleet&) = delete;

    // Add sessions before connecting them; returns the session's index.
    std::size_t add_client(const std::string& bare_jid, const std::string& password, int port);

    // Runs on the loop threads for every stanza (after pings are answered);
    // set it before connecting.
    void set_handler(StanzaHandler handler) { handler_ = std::move(handler); }

    // Connects sessions [first, last) (all when last is 0); true when every
    // one is established before the deadline.
    bool connect(std::chrono::milliseconds deadline, std::size_t first = 0, std::size_t last = 0);
    // Closes sessions [first, last) cleanly and waits until they are closed.
    bool disconnect(std::chrono::milliseconds deadline, std::size_t first = 0, std::size_t last = 0);

    // Thread-safe; the stanza goes out on the session's loop thread.
    void send(std::size_t session, std::string xml);

    std::size_t size() const { return sessions_.size(); }
    const std::string& jid(std::size_t session) const { return sessions_[session]->jid; }
    // Established streams that ended without being asked to (closed by the
    // server, or the socket failed).
    std::size_t closed_by_server() const { return closed_by_server_.load(); }
    // Logins that failed and were tried again; the last socket error seen.
    std::size_t failed_logins() const { return failed_logins_.load(); }
    int last_failure() const { return last_failure_.load(); }

private:
    struct Command {
        enum class Kind { connect, send, disconnect } kind;
        std::size_t session;
        std::string xml;
    };
    struct Loop {
        xmpp_ctx_t* context = nullptr;
        std::mutex mutex;
        std::vector<Command> commands;
        std::thread thread;
    };

    void run_loop(Loop& loop);
    void execute(Loop& loop, Command& command);
    void open(Loop& loop, Session& session);
    Loop& loop_of(std::size_t session) { return *loops_[session % loops_.size()]; }
    std::size_t add(std::unique_ptr<Session> session);
    bool wait_until(std::chrono::milliseconds deadline, const std::function<bool()>& done);
    void notify();

    static int on_stanza(xmpp_conn_t* connection, xmpp_stanza_t* stanza, void* session);
    static void on_event(xmpp_conn_t* connection, xmpp_conn_event_t event, int error,
                         xmpp_stream_error_t* stream_error, void* session);

    const std::string host_;
    StanzaHandler handler_;
    std::vector<std::unique_ptr<Session>> sessions_;
    std::vector<std::unique_ptr<Loop>> loops_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::size_t> closed_by_server_{0};
    std::atomic<std::size_t> failed_logins_{0};
    std::atomic<int> last_failure_{0};
    std::mutex state_mutex_;
    std::condition_variable state_changed_;
};

}  // namespace herald::bench
