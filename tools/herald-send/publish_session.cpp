#include "tools/herald-send/publish_session.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <netdb.h>
#include <sys/socket.h>

#include "text/safe_text.h"

namespace herald::ingest {

namespace {

using Clock = std::chrono::steady_clock;

// The longest single wait in xmpp_run_once, so that the deadline is noticed.
constexpr std::chrono::milliseconds kLoopTick{100};
// After the reply, how long to wait for the server to close the stream.
constexpr std::chrono::milliseconds kCloseGrace{2000};
constexpr std::size_t kWarningsKept = 4;
constexpr std::size_t kAcknowledgementsKept = 16;
constexpr const char* kPingNs = "urn:xmpp:ping";
constexpr unsigned short kDefaultClientPort = 5222;

std::string_view view(const char* text) { return text ? std::string_view(text) : std::string_view(); }

long connection_flags(const ConnectionSettings& settings) {
    // Stream management buys nothing for one request and costs round trips.
    long flags = XMPP_CONN_FLAG_DISABLE_SM;
    switch (settings.tls) {
        case TlsPolicy::require: flags |= XMPP_CONN_FLAG_MANDATORY_TLS; break;
        case TlsPolicy::allow: break;
        case TlsPolicy::off: flags |= XMPP_CONN_FLAG_DISABLE_TLS; break;
    }
    if (settings.insecure && settings.tls != TlsPolicy::off) flags |= XMPP_CONN_FLAG_TRUST_TLS;
    return flags;
}

std::string domain_of(const std::string& jid) {
    const auto at = jid.find('@');
    const auto slash = jid.find('/', at);
    return jid.substr(at + 1, slash == std::string::npos ? std::string::npos : slash - at - 1);
}

// Why a connection attempt failed before it started: almost always a host
// name that does not resolve (libstrophe does not say).
std::string why_unreachable(const std::string& host) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const int status = ::getaddrinfo(host.c_str(), nullptr, &hints, &found);
    if (found) ::freeaddrinfo(found);
    if (status != 0) return "cannot resolve " + host + ": " + ::gai_strerror(status);
    return "the connection could not be started";
}

}  // namespace

PublishSession::PublishSession(ConnectionSettings settings, const std::string& password,
                               bool verbose, std::ostream& log)
    : settings_(std::move(settings)),
      verbose_(verbose),
      log_(log),
      logger_{&PublishSession::on_log, this},
      context_(xmpp_ctx_new(nullptr, &logger_)) {
    if (!context_) throw std::runtime_error("libstrophe: xmpp_ctx_new failed");
    connection_.reset(xmpp_conn_new(context_.get()));
    if (!connection_) throw std::runtime_error("libstrophe: xmpp_conn_new failed");
    xmpp_conn_set_flags(connection_.get(), connection_flags(settings_));
    // TCP keepalive: a long --wait notices a dead connection.
    xmpp_conn_set_sockopt_callback(connection_.get(), xmpp_sockopt_cb_keepalive);
    xmpp_conn_set_jid(connection_.get(), settings_.jid.c_str());
    xmpp_conn_set_pass(connection_.get(), password.c_str());
}

PublishSession::~PublishSession() {
    // Releasing a live connection reports one last event; nothing may react.
    ended_ = true;
    connection_.reset();
}

PublishResult PublishSession::publish(const std::string& iq_xml, const std::string& iq_id,
                                      Clock::time_point deadline) {
    iq_xml_ = iq_xml;
    iq_id_ = iq_id;
    deadline_ = deadline;
    // No server: libstrophe resolves the JID's domain (DNS SRV, then the
    // domain itself on 5222). A port alone applies to the domain.
    const std::string domain = domain_of(settings_.jid);
    const char* alternative_host = settings_.server ? settings_.server->c_str()
                                   : settings_.port ? domain.c_str()
                                                    : nullptr;
    const auto port = static_cast<unsigned short>(
        settings_.port.value_or(settings_.server ? kDefaultClientPort : 0));

    if (xmpp_connect_client(connection_.get(), alternative_host, port,
                            &PublishSession::on_connection_event, this) != XMPP_EOK)
        return SessionFailure{SessionFailure::Kind::cannot_connect, false, "",
                              with_log_tail("cannot connect to " + peer() + ": " +
                                            why_unreachable(alternative_host ? alternative_host : domain))};

    if (!run_until([this] { return reply_.has_value(); }, deadline))
        return SessionFailure{
            SessionFailure::Kind::timed_out, logged_in_, "",
            logged_in_ ? "timed out waiting for the reply to the publish (see --timeout)"
                       : with_log_tail("timed out logging in to " + peer() + " (see --timeout)")};
    if (reply_) return *reply_;
    return ended_without("a reply");
}

AcknowledgementResult PublishSession::wait_for_acknowledgement(const std::string& service,
                                                               const std::string& node,
                                                               const std::string& item_id,
                                                               std::chrono::seconds wait) {
    deadline_ = Clock::now() + wait;
    std::optional<Acknowledgement> found;
    const auto acknowledged = [&] {
        const auto match = std::find_if(acknowledgements_.begin(), acknowledgements_.end(),
                                        [&](const Acknowledgement& a) { return a.is_for(service, node, item_id); });
        if (match != acknowledgements_.end()) found = *match;
        return found.has_value();
    };
    if (!run_until(acknowledged, deadline_))
        return SessionFailure{SessionFailure::Kind::timed_out, true, "",
                              "nobody acknowledged item " + item_id + " on node '" + node + "' within " +
                                  std::to_string(wait.count()) + " seconds (see --wait)"};
    if (found) return *found;
    return ended_without("an acknowledgement");
}

void PublishSession::close() {
    if (ended_ || !logged_in_) return;
    closing_ = true;
    xmpp_disconnect(connection_.get());
    run_until([] { return false; }, std::min(deadline_, Clock::now() + kCloseGrace));
}

bool PublishSession::run_until(const std::function<bool()>& done, Clock::time_point until) {
    while (!done()) {
        if (ended_) return true;
        const auto now = Clock::now();
        if (now >= until) return false;
        const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::min<Clock::duration>(kLoopTick, until - now));
        xmpp_run_once(context_.get(), static_cast<unsigned long>(std::max<long>(1, wait.count())));
    }
    return true;
}

SessionFailure PublishSession::ended_without(const std::string& what) const {
    if (failure_) return *failure_;
    return SessionFailure{SessionFailure::Kind::connection_lost, logged_in_, "",
                          with_log_tail("the session with " + peer() + " ended without " + what)};
}

void PublishSession::on_connection_event(xmpp_conn_t* connection, xmpp_conn_event_t event,
                                         int error, xmpp_stream_error_t* stream_error,
                                         void* self) {
    auto& session = *static_cast<PublishSession*>(self);
    if (session.ended_ || event == XMPP_CONN_RAW_CONNECT) return;
    if (event == XMPP_CONN_CONNECT) {
        session.logged_in_ = true;
        xmpp_id_handler_add(connection, &PublishSession::on_reply, session.iq_id_.c_str(), self);
        xmpp_handler_add(connection, &PublishSession::on_message, nullptr, "message", nullptr, self);
        xmpp_handler_add(connection, &PublishSession::on_request, nullptr, "iq", nullptr, self);
        xmpp_send_raw(connection, session.iq_xml_.data(), session.iq_xml_.size());
        return;
    }
    session.session_ended(error, stream_error);
}

int PublishSession::on_reply(xmpp_conn_t*, xmpp_stanza_t* stanza, void* self) {
    auto& session = *static_cast<PublishSession*>(self);
    const std::string_view type = view(xmpp_stanza_get_type(stanza));
    if (view(xmpp_stanza_get_name(stanza)) != "iq" || (type != "result" && type != "error"))
        return 1;  // not the reply; keep waiting
    session.reply_ = PublishReply::from_stanza(stanza);
    return 0;
}

int PublishSession::on_message(xmpp_conn_t*, xmpp_stanza_t* stanza, void* self) {
    auto& session = *static_cast<PublishSession*>(self);
    if (auto acknowledgement = Acknowledgement::from_stanza(stanza)) {
        session.acknowledgements_.push_back(std::move(*acknowledgement));
        if (session.acknowledgements_.size() > kAcknowledgementsKept) session.acknowledgements_.pop_front();
    }
    return 1;
}

// Every IQ get or set gets an answer (RFC 6120 8.2.3), so that a server
// pinging a session that waits long does not take it for dead.
int PublishSession::on_request(xmpp_conn_t* connection, xmpp_stanza_t* stanza, void*) {
    const std::string_view type = view(xmpp_stanza_get_type(stanza));
    if (type != "get" && type != "set") return 1;
    std::string answer = "<iq";
    if (const char* from = xmpp_stanza_get_from(stanza)) answer += " to='" + text::xml_escaped(from) + "'";
    answer += " id='" + text::xml_escaped(view(xmpp_stanza_get_id(stanza))) + "'";
    if (type == "get" && xmpp_stanza_get_child_by_ns(stanza, kPingNs))
        answer += " type='result'/>";
    else
        answer += " type='error'><error type='cancel'><service-unavailable xmlns='" +
                  std::string(kStanzaErrorNs) + "'/></error></iq>";
    xmpp_send_raw(connection, answer.data(), answer.size());
    return 1;
}

void PublishSession::on_log(void* self, xmpp_log_level_t level, const char* area,
                            const char* message) {
    auto& session = *static_cast<PublishSession*>(self);
    const std::string_view text = view(message);
    const std::string_view where = view(area);
    // libstrophe tells these only in its log, some at debug level: the
    // disconnect event that follows carries no reason.
    constexpr std::string_view kConnectFailed = "connection failed, error ";
    if (where == "xmpp" && text.rfind(kConnectFailed, 0) == 0)
        session.socket_error_ = std::atoi(std::string(text.substr(kConnectFailed.size())).c_str());
    if (where == "xmpp" && text.rfind("SASL ", 0) == 0 && text.find("auth failed") != text.npos)
        session.authentication_rejected_ = true;
    if (text.find("Certificate verification FAILED") != text.npos ||
        text.find("No certfail handler set") != text.npos)
        session.certificate_rejected_ = true;

    if (level == XMPP_LEVEL_DEBUG) return;  // carries the raw stream, SASL included
    if (session.verbose_) session.log_ << "herald-send: libstrophe " << where << ": " << text << "\n";
    if (level < XMPP_LEVEL_WARN) return;
    if (where == "tls" || text.find("TLS") != text.npos) session.tls_failed_ = true;
    session.warnings_.emplace_back(std::string(where) + ": " + std::string(text));
    if (session.warnings_.size() > kWarningsKept) session.warnings_.pop_front();
}

void PublishSession::session_ended(int error, const xmpp_stream_error_t* stream_error) {
    ended_ = true;
    if (closing_) return;
    using Kind = SessionFailure::Kind;
    if (reply_) {
        // Published: whatever ends the wait for the acknowledgement, the
        // publish stands, and the service is out of reach (exit 69).
        std::string detail = "lost the connection to " + peer() + " while waiting for the acknowledgement";
        if (stream_error) detail += ": stream error " + std::string(stream_error_condition(stream_error->type));
        else if (error != 0) detail += ": " + std::string(std::strerror(error));
        failure_ = SessionFailure{Kind::connection_lost, true, "", detail};
        return;
    }
    SessionFailure failure;
    failure.logged_in = logged_in_;
    if (stream_error) {
        failure.stream_error = stream_error_condition(stream_error->type);
        failure.kind = !logged_in_ && failure.stream_error == "not-authorized"
                           ? Kind::authentication_failed
                           : Kind::stream_error;
        failure.detail = peer() + " closed the stream: " + failure.stream_error;
        if (stream_error->text) failure.detail += ": " + std::string(stream_error->text);
    } else if (!logged_in_ && authentication_rejected_) {
        failure.kind = Kind::authentication_failed;
        failure.detail = "authentication failed for " + settings_.jid +
                         " at " + peer() + " (wrong password or unknown account)";
    } else if (!logged_in_ && (tls_failed_ || certificate_rejected_)) {
        failure.kind = Kind::tls_failed;
        failure.detail = with_log_tail("TLS with " + peer() + " failed");
        if (certificate_rejected_)
            failure.detail += "\n(--insecure accepts a certificate that does not verify)";
    } else if (!logged_in_) {
        failure.kind = Kind::cannot_connect;
        failure.detail = "cannot connect to " + peer();
        if (error == 0) error = socket_error_;
        if (error != 0) failure.detail += ": " + std::string(std::strerror(error));
        else failure.detail += ": the connection closed during login";
        failure.detail = with_log_tail(failure.detail);
    } else {
        failure.kind = Kind::connection_lost;
        failure.detail = "the connection to " + peer() + " was lost before the reply";
        if (error != 0) failure.detail += ": " + std::string(std::strerror(error));
    }
    failure_ = std::move(failure);
}

std::string PublishSession::peer() const {
    const std::string host = settings_.server.value_or(domain_of(settings_.jid));
    if (settings_.port) return host + ":" + std::to_string(*settings_.port);
    if (settings_.server) return host + ":" + std::to_string(kDefaultClientPort);
    return host;
}

std::string PublishSession::with_log_tail(std::string text) const {
    for (const auto& warning : warnings_) text += "\n  libstrophe " + warning;
    return text;
}

}  // namespace herald::ingest
