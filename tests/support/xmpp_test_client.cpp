#include "xmpp_test_client.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <random>
#include <sstream>
#include <stdexcept>
#include <utility>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "strophe_handles.h"

namespace herald::testing {

namespace {

using Clock = std::chrono::steady_clock;

// How long xmpp_run_once may block. Received data wakes the loop at once,
// but a send() from another thread waits for the tick: short while traffic
// flows (request/response sequences), longer when the client is idle.
constexpr std::chrono::milliseconds kBusyLoopTick{1};
constexpr std::chrono::milliseconds kIdleLoopTick{10};
constexpr std::chrono::milliseconds kBusyAfterTraffic{200};
// After xmpp_disconnect(), how long to wait for the stream to close before
// dropping the connection (libstrophe's own limit is 2 s).
constexpr std::chrono::milliseconds kCloseTimeout{3000};
// libstrophe log lines (all levels) kept for last_error().
constexpr std::size_t kLogTailLines = 12;
constexpr std::size_t kLogLineMaxLength = 300;

std::string random_id_prefix()
{
    std::random_device entropy;
    std::mt19937_64 generator((static_cast<std::uint64_t>(entropy()) << 32) ^ entropy());
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(generator()));
    return std::string("t") + buffer;
}

std::string describe_session_end(xmpp_conn_event_t event, int error,
                                 const xmpp_stream_error_t* stream_error)
{
    std::ostringstream out;
    out << (event == XMPP_CONN_FAIL ? "connection failed" : "stream closed");
    if (error != 0)
        out << "; socket error " << error << " (" << std::strerror(error) << ")";
    if (stream_error) {
        out << "; stream error " << stream_error_condition(stream_error->type);
        if (stream_error->text)
            out << ": " << stream_error->text;
        if (stream_error->stanza) {
            try {
                out << " " << ReceivedStanza::from_libstrophe(stream_error->stanza,
                                                              "http://etherx.jabber.org/streams");
            } catch (const std::exception&) {
                // the condition and text above already say what matters
            }
        }
    }
    return out.str();
}

// libstrophe writes each stanza and the stream-management <r/> after it
// separately; without TCP_NODELAY, Nagle's algorithm and delayed ACKs add
// ~40 ms to every round trip.
int disable_nagle(xmpp_conn_t*, void* socket)
{
    const int fd = *static_cast<int*>(socket);
    const int on = 1;
    return ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) == 0 ? 0 : -1;
}

// Position just after "<iq" in the opening tag, where an attribute can go.
std::size_t after_iq_tag_name(const std::string& xml)
{
    for (std::size_t pos = xml.find("<iq"); pos != std::string::npos; pos = xml.find("<iq", pos + 1)) {
        const std::size_t end = pos + 3;
        if (end < xml.size() && (xml[end] == ' ' || xml[end] == '/' || xml[end] == '>' ||
                                 xml[end] == '\t' || xml[end] == '\n' || xml[end] == '\r'))
            return end;
    }
    throw std::invalid_argument("XmppTestClient::request: no <iq> opening tag in: " + xml);
}

}  // namespace

std::string iq_result_for(const ReceivedStanza& iq, std::string_view payload_xml)
{
    std::string reply = "<iq type='result' id='" + xml_escape(iq.id()) + "'";
    if (!iq.from().empty())
        reply += " to='" + xml_escape(iq.from()) + "'";
    if (payload_xml.empty())
        return reply + "/>";
    return reply + ">" + std::string(payload_xml) + "</iq>";
}

std::string iq_error_for(const ReceivedStanza& iq, std::string_view error_type,
                         std::string_view condition)
{
    std::string reply = "<iq type='error' id='" + xml_escape(iq.id()) + "'";
    if (!iq.from().empty())
        reply += " to='" + xml_escape(iq.from()) + "'";
    return reply + "><error type='" + xml_escape(error_type) + "'><" + std::string(condition) +
           " xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>";
}

std::optional<std::string> answer_pings_refuse_others(const ReceivedStanza& iq)
{
    if (iq.type() == "get" && iq.has("ping[@xmlns='urn:xmpp:ping']"))
        return iq_result_for(iq);
    return iq_error_for(iq, "cancel", "service-unavailable");
}

XmppTestClient::XmppTestClient(std::string jid_with_resource, std::string password,
                               std::string host, int port)
    : XmppTestClient(std::move(jid_with_resource), std::move(password), std::move(host), port,
                     Options{})
{
}

XmppTestClient::XmppTestClient(std::string jid_with_resource, std::string password,
                               std::string host, int port, Options options)
    : configured_jid_(std::move(jid_with_resource)),
      password_(std::move(password)),
      host_(std::move(host)),
      port_(port),
      options_(options),
      id_prefix_(random_id_prefix()),
      trace_(std::getenv("HERALD_XMPP_TRACE") != nullptr),
      iq_responder_(answer_pings_refuse_others)
{
    if (port_ <= 0 || port_ > 65535)
        throw std::invalid_argument("XmppTestClient: bad port " + std::to_string(port_));
    ensure_libstrophe_initialized();
}

XmppTestClient::~XmppTestClient() { disconnect(); }

bool XmppTestClient::connect(std::chrono::milliseconds deadline)
{
    {
        std::lock_guard lock(mutex_);
        if (state_ == SessionState::connected)
            return true;
        if (state_ == SessionState::connecting)
            throw std::logic_error("XmppTestClient::connect: already connecting");
    }
    if (loop_thread_.joinable())
        loop_thread_.join();  // the previous session has ended
    {
        std::lock_guard lock(mutex_);
        state_ = SessionState::connecting;
        stop_requested_ = false;
        ended_by_server_ = false;
        bound_jid_.clear();
        last_error_.clear();
        log_tail_.clear();
    }
    loop_thread_ = std::thread(&XmppTestClient::run_session, this);

    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, deadline, [this] { return state_ != SessionState::connecting; });
    if (state_ == SessionState::connected)
        return true;
    if (state_ == SessionState::connecting) {
        std::ostringstream why;
        why << "no session for " << configured_jid_ << " via " << host_ << ":" << port_
            << " within " << deadline.count() << " ms";
        for (const auto& line : log_tail_)
            why << "\n  libstrophe: " << line;
        last_error_ = why.str();
        stop_requested_ = true;
    }
    lock.unlock();
    loop_thread_.join();
    return false;
}

void XmppTestClient::send(const std::string& xml)
{
    std::lock_guard lock(mutex_);
    outbound_.push_back(xml);
}

std::string XmppTestClient::next_id() { return id_prefix_ + "-" + std::to_string(++id_counter_); }

std::optional<ReceivedStanza> XmppTestClient::wait_for(
    std::function<bool(const ReceivedStanza&)> match, std::chrono::milliseconds deadline)
{
    const auto give_up_at = Clock::now() + deadline;
    std::uint64_t unchecked = 0;  // first sequence number not yet offered to match
    std::unique_lock lock(mutex_);
    while (true) {
        std::vector<QueuedStanza> fresh;
        for (const auto& queued : inbox_)
            if (queued.sequence >= unchecked)
                fresh.push_back(queued);
        unchecked = next_sequence_;
        const bool nothing_more_will_come = state_ == SessionState::ended;
        lock.unlock();

        for (const auto& candidate : fresh) {
            if (!match(candidate.stanza))
                continue;
            lock.lock();
            for (auto it = inbox_.begin(); it != inbox_.end(); ++it) {
                if (it->sequence == candidate.sequence) {
                    inbox_.erase(it);
                    return candidate.stanza;
                }
            }
            lock.unlock();  // another waiter took it (or clear()); keep looking
        }

        lock.lock();
        if (nothing_more_will_come && next_sequence_ == unchecked)
            return std::nullopt;
        const bool woke = changed_.wait_until(lock, give_up_at, [&] {
            return next_sequence_ != unchecked || state_ == SessionState::ended;
        });
        if (!woke)
            return std::nullopt;
    }
}

std::optional<ReceivedStanza> XmppTestClient::request(const std::string& iq_xml,
                                                      std::chrono::milliseconds deadline)
{
    const ReceivedStanza iq = ReceivedStanza::parse(iq_xml);
    if (iq.name() != "iq")
        throw std::invalid_argument("XmppTestClient::request: not an <iq/>: " + iq_xml);
    std::string xml = iq_xml;
    std::string id = iq.id();
    if (!iq.has_attr("id")) {
        id = next_id();
        xml.insert(after_iq_tag_name(xml), " id='" + xml_escape(id) + "'");
    }
    send(xml);
    return wait_for(
        [&id](const ReceivedStanza& stanza) {
            return stanza.name() == "iq" && stanza.id() == id &&
                   (stanza.type() == "result" || stanza.type() == "error");
        },
        deadline);
}

std::vector<ReceivedStanza> XmppTestClient::received() const
{
    std::lock_guard lock(mutex_);
    std::vector<ReceivedStanza> snapshot;
    snapshot.reserve(inbox_.size());
    for (const auto& queued : inbox_)
        snapshot.push_back(queued.stanza);
    return snapshot;
}

void XmppTestClient::clear()
{
    std::lock_guard lock(mutex_);
    inbox_.clear();
}

void XmppTestClient::set_iq_responder(IqResponder responder)
{
    std::lock_guard lock(mutex_);
    iq_responder_ = std::move(responder);
}

bool XmppTestClient::connected() const
{
    std::lock_guard lock(mutex_);
    return state_ == SessionState::connected;
}

bool XmppTestClient::disconnected() const
{
    std::lock_guard lock(mutex_);
    return ended_by_server_;
}

bool XmppTestClient::wait_disconnected(std::chrono::milliseconds deadline)
{
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, deadline, [this] { return ended_by_server_; });
    return ended_by_server_;
}

std::string XmppTestClient::last_error() const
{
    std::lock_guard lock(mutex_);
    return last_error_;
}

void XmppTestClient::disconnect()
{
    if (!loop_thread_.joinable())
        return;
    {
        std::lock_guard lock(mutex_);
        stop_requested_ = true;
    }
    loop_thread_.join();
}

std::string XmppTestClient::jid() const
{
    std::lock_guard lock(mutex_);
    return bound_jid_.empty() ? configured_jid_ : bound_jid_;
}

std::string XmppTestClient::bare_jid() const
{
    const std::string full = jid();
    return full.substr(0, full.find('/'));
}

// ---- loop thread -----------------------------------------------------------

void XmppTestClient::run_session()
{
    xmpp_log_t logger{&XmppTestClient::on_log, this};
    StropheContext context(xmpp_ctx_new(nullptr, &logger));
    if (!context) {
        finish_session("xmpp_ctx_new failed");
        return;
    }
    StropheConnection connection(xmpp_conn_new(context.get()));
    if (!connection) {
        finish_session("xmpp_conn_new failed");
        return;
    }
    long flags = options_.allow_tls ? XMPP_CONN_FLAG_TRUST_TLS : XMPP_CONN_FLAG_DISABLE_TLS;
    if (!options_.stream_management)
        flags |= XMPP_CONN_FLAG_DISABLE_SM;
    xmpp_conn_set_flags(connection.get(), flags);
    xmpp_conn_set_jid(connection.get(), configured_jid_.c_str());
    xmpp_conn_set_pass(connection.get(), password_.c_str());
    xmpp_conn_set_sockopt_callback(connection.get(), &disable_nagle);
    xmpp_handler_add(connection.get(), &XmppTestClient::on_stanza, nullptr, nullptr, nullptr, this);

    if (xmpp_connect_client(connection.get(), host_.c_str(), static_cast<unsigned short>(port_),
                            &XmppTestClient::on_connection_event, this) != XMPP_EOK) {
        finish_session("xmpp_connect_client failed for " + host_ + ":" + std::to_string(port_));
    } else {
        bool close_sent = false;
        Clock::time_point close_deadline{};
        while (true) {
            std::deque<std::string> batch;
            bool stop = false;
            {
                std::lock_guard lock(mutex_);
                if (state_ == SessionState::ended)
                    break;
                stop = stop_requested_;
                if (state_ == SessionState::connected)
                    batch.swap(outbound_);
            }
            for (const auto& xml : batch)
                xmpp_send_raw(connection.get(), xml.data(), xml.size());
            if (!batch.empty())
                last_traffic_ = Clock::now();
            if (stop && !close_sent) {
                xmpp_disconnect(connection.get());
                close_sent = true;
                close_deadline = Clock::now() + kCloseTimeout;
            } else if (close_sent && Clock::now() >= close_deadline) {
                finish_session("the stream did not close within " +
                               std::to_string(kCloseTimeout.count()) + " ms of disconnect()");
                break;
            }
            const auto tick = Clock::now() - last_traffic_ < kBusyAfterTraffic ? kBusyLoopTick
                                                                                : kIdleLoopTick;
            xmpp_run_once(context.get(), static_cast<unsigned long>(tick.count()));
        }
    }
    xmpp_handler_delete(connection.get(), &XmppTestClient::on_stanza);
    connection.reset();  // may report a last disconnect event; finish_session ignores it
    context.reset();
}

void XmppTestClient::finish_session(std::string reason)
{
    {
        std::lock_guard lock(mutex_);
        if (state_ == SessionState::ended)
            return;
        if (state_ == SessionState::connected && !stop_requested_)
            ended_by_server_ = true;
        if (state_ == SessionState::connecting)
            reason = "no session for " + configured_jid_ + " via " + host_ + ":" +
                     std::to_string(port_) + ": " + reason;
        if (last_error_.empty()) {
            for (const auto& line : log_tail_)
                reason += "\n  libstrophe: " + line;
            last_error_ = std::move(reason);
        }
        outbound_.clear();  // like a real client: what was not sent is lost
        state_ = SessionState::ended;
    }
    changed_.notify_all();
}

void XmppTestClient::remember_log_line(std::string line)
{
    if (line.size() > kLogLineMaxLength)
        line = line.substr(0, kLogLineMaxLength) + "...";
    std::lock_guard lock(mutex_);
    log_tail_.push_back(std::move(line));
    while (log_tail_.size() > kLogTailLines)
        log_tail_.pop_front();
}

int XmppTestClient::on_stanza(xmpp_conn_t* connection, xmpp_stanza_t* stanza, void* self)
{
    auto& client = *static_cast<XmppTestClient*>(self);
    const char* raw_name = xmpp_stanza_get_name(stanza);
    const std::string_view name = raw_name ? raw_name : "";
    if (name != "iq" && name != "message" && name != "presence")
        return 1;  // stream-level elements (stream management, ...) are libstrophe's
    try {
        const ReceivedStanza received = ReceivedStanza::from_libstrophe(stanza);
        const bool needs_answer =
            name == "iq" && (received.type() == "get" || received.type() == "set");
        IqResponder responder;
        {
            std::lock_guard lock(client.mutex_);
            client.inbox_.push_back({client.next_sequence_++, received});
            if (needs_answer)
                responder = client.iq_responder_;
        }
        client.changed_.notify_all();
        client.last_traffic_ = Clock::now();
        if (responder) {
            if (const auto reply = responder(received))
                xmpp_send_raw(connection, reply->data(), reply->size());
        }
    } catch (const std::exception& error) {
        client.remember_log_line(std::string("stanza handler failed: ") + error.what());
        std::fprintf(stderr, "[%s] stanza handler failed: %s\n", client.configured_jid_.c_str(),
                     error.what());
    }
    return 1;
}

void XmppTestClient::on_connection_event(xmpp_conn_t* connection, xmpp_conn_event_t event,
                                         int error, xmpp_stream_error_t* stream_error, void* self)
{
    auto& client = *static_cast<XmppTestClient*>(self);
    if (event == XMPP_CONN_CONNECT) {
        const char* bound = xmpp_conn_get_bound_jid(connection);
        {
            std::lock_guard lock(client.mutex_);
            client.bound_jid_ = bound ? bound : client.configured_jid_;
            client.state_ = SessionState::connected;
        }
        client.changed_.notify_all();
        return;
    }
    if (event == XMPP_CONN_RAW_CONNECT)
        return;
    client.finish_session(describe_session_end(event, error, stream_error));
}

void XmppTestClient::on_log(void* self, xmpp_log_level_t level, const char* area,
                            const char* message)
{
    auto& client = *static_cast<XmppTestClient*>(self);
    if (client.trace_) {
        static constexpr std::array<const char*, 4> level_names{"debug", "info", "warn", "error"};
        std::fprintf(stderr, "[%s] %s %s: %s\n", client.configured_jid_.c_str(),
                     level_names.at(static_cast<std::size_t>(level)), area, message);
    }
    client.remember_log_line(std::string(area) + ": " + message);
}

}  // namespace herald::testing
