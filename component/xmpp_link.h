#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>

#include "component/config.h"
#include "component/reconnect_backoff.h"
#include "component/stanza_sender.h"

namespace herald::component {

class GlooxComponent;

// The XEP-0114 connection to ejabberd: handshake through gloox, transport on
// Asio, reconnect with exponential backoff and jitter. Stanzas are handed up
// as XmlElement; gloox types stay inside this class.
class XmppLink final : public StanzaSender {
public:
    XmppLink(boost::asio::io_context& io, const Config& config, LinkObserver& observer);
    ~XmppLink() override;

    void start();
    // Told when the server closes the stream over what Herald wrote (before
    // the observer hears of the disconnection).
    void on_output_refused(std::function<void()> callback) { output_refused_ = std::move(callback); }
    void send(const XmlElement& stanza) override;
    // Past limits.outbox_bytes waiting to be written; false again at half.
    bool backed_up() const override { return backed_up_; }
    // Told when a backed-up outbox has drained to half its limit.
    void on_outbox_drained(std::function<void()> callback) { outbox_drained_ = std::move(callback); }
    bool connected() const { return connected_; }

    // Stops reading input, leaving the stream open for final stanzas.
    void stop_input();
    // Closes the stream and opens it again at once (a standby taking a
    // freed slot of ejabberd's domain_balancing).
    void reconnect();
    // Closes the stream after queued stanzas are written; no reconnect.
    void close();

private:
    class Listener;
    void connect_now();
    void on_connected();
    void on_disconnected(const std::string& reason, bool refused_our_output);
    void schedule_reconnect();
    void on_written();

    const Config& config_;
    LinkObserver& observer_;
    std::unique_ptr<Listener> listener_;
    std::unique_ptr<GlooxComponent> component_;
    boost::asio::steady_timer reconnect_timer_;
    ReconnectBackoff backoff_;
    std::function<void()> output_refused_;
    std::function<void()> outbox_drained_;
    bool connected_ = false;
    bool backed_up_ = false;
    bool closing_ = false;
};

}  // namespace herald::component
