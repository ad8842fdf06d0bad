#include "component/xmpp_link.h"

#include <gloox/component.h>
#include <gloox/connectionlistener.h>
#include <gloox/loghandler.h>
#include <gloox/tag.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>

#include "component/asio_connection.h"
#include "component/gloox_stanza.h"

namespace herald::component {
namespace {

bool is_stanza(const gloox::Tag& tag) {
    const auto& name = tag.name();
    return name == "iq" || name == "message" || name == "presence";
}

std::string describe(gloox::ConnectionError error) {
    switch (error) {
        case gloox::ConnStreamError: return "stream error";
        case gloox::ConnStreamClosed: return "stream closed by the server";
        case gloox::ConnConnectionRefused: return "connection refused";
        case gloox::ConnDnsError: return "cannot resolve the server";
        case gloox::ConnIoError: return "i/o error";
        case gloox::ConnParseError: return "XML parse error";
        case gloox::ConnAuthenticationFailed: return "handshake rejected";
        case gloox::ConnUserDisconnected: return "closed by herald";
        default: return "connection error " + std::to_string(static_cast<int>(error));
    }
}

// RFC 6120 stream error conditions, in gloox's StreamError order.
std::string describe(gloox::StreamError error) {
    static constexpr std::array<const char*, 24> kConditions = {
        "bad-format", "bad-namespace-prefix", "conflict", "connection-timeout", "host-gone",
        "host-unknown", "improper-addressing", "internal-server-error", "invalid-from",
        "invalid-id", "invalid-namespace", "invalid-xml", "not-authorized", "policy-violation",
        "remote-connection-failed", "resource-constraint", "restricted-xml", "see-other-host",
        "system-shutdown", "undefined-condition", "unsupported-encoding",
        "unsupported-stanza-type", "unsupported-version", "xml-not-well-formed"};
    const auto index = static_cast<std::size_t>(error);
    return index < kConditions.size() ? kConditions[index] : "undefined";
}

// Stream errors by which the server refuses what Herald wrote, as opposed to
// a shutdown, a restart or a network fault.
bool refuses_what_we_wrote(gloox::StreamError condition) {
    switch (condition) {
        case gloox::StreamErrorXmlNotWellFormed:
        case gloox::StreamErrorInvalidXml:
        case gloox::StreamErrorBadFormat:
        case gloox::StreamErrorRestrictedXml:
        case gloox::StreamErrorInvalidNamespace:
        case gloox::StreamErrorBadNamespacePrefix:
        case gloox::StreamErrorPolicyViolation:
            return true;
        default:
            return false;
    }
}

// A data-form field of type text-private (XEP-0004), or an element marked
// secret, holds a credential shown to its owner once, such as an HTTP token:
// never written to the log.
bool carries_private_field(const XmlElement& element) {
    if (element.secret() || (element.name() == "field" && element.attr("type") == "text-private")) return true;
    return std::any_of(element.children().begin(), element.children().end(), carries_private_field);
}

}  // namespace

// gloox's Component with its stanza handling replaced by ours: every stanza
// becomes an XmlElement for the dispatcher; gloox keeps the stream and the
// handshake.
class GlooxComponent final : public gloox::Component {
public:
    GlooxComponent(boost::asio::io_context& io, const Config& config, LinkObserver& observer)
        : gloox::Component("jabber:component:accept", config.component.jid, config.component.jid,
                           config.component.secret, config.component.server_port),
          observer_(observer) {
        auto connection = new AsioConnection(io, this, config.component.server_host, config.component.server_port);
        connection_ = connection;
        setConnectionImpl(connection);  // gloox owns it from here
    }

    void handleTag(gloox::Tag* tag) override {
        if (tag && is_stanza(*tag) && authed()) {
            observer_.on_stanza(stanza_from_tag(*tag));
            return;
        }
        gloox::Component::handleTag(tag);
    }

    void send_xml(const std::string& xml) { gloox::ClientBase::send(xml); }
    AsioConnection& connection() { return *connection_; }

private:
    LinkObserver& observer_;
    AsioConnection* connection_;
};

class XmppLink::Listener final : public gloox::ConnectionListener, public gloox::LogHandler {
public:
    explicit Listener(XmppLink& link) : link_(link) {}
    void onConnect() override { link_.on_connected(); }
    void onDisconnect(gloox::ConnectionError error) override {
        std::string reason = describe(error);
        bool refused_our_output = false;
        if (error == gloox::ConnStreamError && link_.component_) {
            const auto& text = link_.component_->streamErrorText();
            const auto condition = link_.component_->streamError();
            reason += " " + describe(condition) + (text.empty() ? "" : " (" + text + ")");
            if (condition == gloox::StreamErrorNotAuthorized || condition == gloox::StreamErrorHostUnknown)
                reason += ": check the component jid and secret against ejabberd's ejabberd_service listener";
            refused_our_output = refuses_what_we_wrote(condition);
        }
        link_.on_disconnected(reason, refused_our_output);
    }
    bool onTLSConnect(const gloox::CertInfo&) override { return true; }
    // gloox's own messages, XML traffic excluded: the handshake carries a
    // digest of the secret.
    void handleLog(gloox::LogLevel level, gloox::LogArea area, const std::string& message) override {
        if (area == gloox::LogAreaXmlIncoming || area == gloox::LogAreaXmlOutgoing) return;
        if (level == gloox::LogLevelError) spdlog::warn("gloox: {}", message);
        else spdlog::trace("gloox: {}", message);
    }

private:
    XmppLink& link_;
};

XmppLink::XmppLink(boost::asio::io_context& io, const Config& config, LinkObserver& observer)
    : config_(config), observer_(observer), listener_(std::make_unique<Listener>(*this)),
      component_(std::make_unique<GlooxComponent>(io, config, observer)), reconnect_timer_(io),
      backoff_(std::chrono::duration<double>(config.component.reconnect_initial_seconds),
               std::chrono::duration<double>(config.component.reconnect_max_seconds)) {
    component_->connection().on_written([this] { on_written(); });
    component_->registerConnectionListener(listener_.get());
    component_->logInstance().registerLogHandler(gloox::LogLevelDebug, gloox::LogAreaAll,
                                                 listener_.get());
}

XmppLink::~XmppLink() = default;

void XmppLink::start() { connect_now(); }

void XmppLink::connect_now() {
    if (closing_) return;
    spdlog::info("connecting to {}:{} as {}", config_.component.server_host, config_.component.server_port,
                 config_.component.jid);
    if (!component_->connect(false)) schedule_reconnect();
}

void XmppLink::on_connected() {
    connected_ = true;
    backoff_.connected(std::chrono::steady_clock::now());
    spdlog::info("connected to {}:{}: handshake accepted for {}", config_.component.server_host,
                 config_.component.server_port, config_.component.jid);
    observer_.on_connected();
}

void XmppLink::on_disconnected(const std::string& reason, bool refused_our_output) {
    const bool was_connected = connected_;
    connected_ = false;
    backed_up_ = false;  // what was waiting is gone with the stream
    if (closing_) {
        spdlog::info("stream closed");
        return;
    }
    if (was_connected) backoff_.lost(std::chrono::steady_clock::now());
    if (was_connected) {
        spdlog::warn("lost connection to {}:{}: {}", config_.component.server_host, config_.component.server_port, reason);
        if (refused_our_output && output_refused_) output_refused_();
        observer_.on_disconnected();
    } else {
        spdlog::warn("cannot connect to {}:{}: {}", config_.component.server_host, config_.component.server_port, reason);
    }
    schedule_reconnect();
}

void XmppLink::schedule_reconnect() {
    const auto delay = backoff_.next_delay();
    spdlog::info("reconnecting in {:.2f} s", std::chrono::duration<double>(delay).count());
    reconnect_timer_.expires_after(delay);
    reconnect_timer_.async_wait([this](boost::system::error_code error) {
        if (!error) connect_now();
    });
}

void XmppLink::send(const XmlElement& stanza) {
    if (!connected_) {
        spdlog::debug("not connected: dropped outgoing <{}> to {}", stanza.name(), stanza.attr("to"));
        return;
    }
    const auto xml = stanza.to_xml();
    if (spdlog::should_log(spdlog::level::trace)) {
        if (carries_private_field(stanza))
            spdlog::trace("out: <{} to='{}' id='{}'> with a private field, not logged", stanza.name(),
                          stanza.attr("to"), stanza.attr("id"));
        else
            spdlog::trace("out: {}", xml);
    }
    component_->send_xml(xml);
    if (!backed_up_ && component_->connection().queued_bytes() > config_.limits.outbox_bytes) {
        backed_up_ = true;
        spdlog::warn("more than {} bytes wait to be written to {}: deliveries pause until half of it is written",
                     config_.limits.outbox_bytes, config_.component.server_host);
    }
}

void XmppLink::on_written() {
    if (!backed_up_ || component_->connection().queued_bytes() > config_.limits.outbox_bytes / 2) return;
    backed_up_ = false;
    spdlog::info("the outbox drained: deliveries resume");
    if (outbox_drained_) outbox_drained_();
}

void XmppLink::stop_input() { component_->connection().stop_reading(); }

void XmppLink::reconnect() {
    if (closing_) return;
    if (connected_) {
        spdlog::info("closing the stream to {}:{} to connect again", config_.component.server_host,
                     config_.component.server_port);
        component_->disconnect();
        connected_ = false;
    }
    reconnect_timer_.cancel();
    connect_now();
}

void XmppLink::close() {
    closing_ = true;
    reconnect_timer_.cancel();
    if (connected_) component_->disconnect();
    connected_ = false;
}

}  // namespace herald::component
