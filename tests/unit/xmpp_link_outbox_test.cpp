// The link to ejabberd against a fake server that accepts the component
// handshake and then stops reading, as a half-open connection does: past
// limits.outbox_bytes the link says it is backed up, and once the server
// reads again it says when half of it is written.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <functional>
#include <future>
#include <thread>

#include "component/config.h"
#include "component/xmpp_link.h"

using namespace herald::component;
using boost::asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

struct QuietObserver : LinkObserver {
    bool connected = false;
    void on_stanza(const XmlElement&) override {}
    void on_connected() override { connected = true; }
    void on_disconnected() override { connected = false; }
};

// Answers the XEP-0114 handshake, then reads nothing until told to, then
// everything until the link closes.
class StalledServer {
public:
    StalledServer() : acceptor_(io_, {boost::asio::ip::address_v4::loopback(), 0}) {
        thread_ = std::thread([this] { serve(); });
    }
    ~StalledServer() {
        read_again();
        thread_.join();
    }
    int port() const { return acceptor_.local_endpoint().port(); }
    void read_again() {
        if (released_) return;
        released_ = true;
        release_.set_value();
    }

private:
    void serve() {
        tcp::socket socket(io_);
        acceptor_.accept(socket);
        std::string input;
        boost::system::error_code error;
        boost::asio::read_until(socket, boost::asio::dynamic_buffer(input), ">", error);
        boost::asio::write(socket, boost::asio::buffer(std::string(
            "<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' "
            "xmlns='jabber:component:accept' from='notify.x' id='stalled'>")), error);
        boost::asio::read_until(socket, boost::asio::dynamic_buffer(input), "</handshake>", error);
        boost::asio::write(socket, boost::asio::buffer(std::string("<handshake/>")), error);
        release_.get_future().wait();
        char buffer[256 * 1024];
        while (!error) socket.read_some(boost::asio::buffer(buffer), error);
    }

    boost::asio::io_context io_;
    tcp::acceptor acceptor_;
    std::promise<void> release_;
    bool released_ = false;
    std::thread thread_;
};

bool run_until(boost::asio::io_context& io, const std::function<bool()>& done, std::chrono::milliseconds deadline = 20s) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (!done() && std::chrono::steady_clock::now() < end) io.run_for(5ms);
    return done();
}

}  // namespace

TEST(XmppLinkOutbox, BacksUpPastTheLimitAndSaysWhenItDrained) {
    StalledServer server;
    Config config;
    config.component.jid = "notify.x";
    config.component.secret = "secret";
    config.component.server_port = server.port();
    config.limits.outbox_bytes = 64 * 1024;
    boost::asio::io_context io;
    QuietObserver observer;
    XmppLink link(io, config, observer);
    int drained = 0;
    link.on_outbox_drained([&] { ++drained; });
    link.start();
    ASSERT_TRUE(run_until(io, [&] { return observer.connected; }));

    XmlElement message("message");
    message.set_attr("to", "bob@x").set_attr("from", "notify.x");
    message.add_child("body").set_text(std::string(32 * 1024, 'x'));
    std::size_t sent = 0;
    // The kernel's buffers take a few MB before the outbox grows.
    while (!link.backed_up() && sent < 256u * 1024 * 1024) {
        link.send(message);
        sent += 32 * 1024;
        io.poll();
    }
    ASSERT_TRUE(link.backed_up()) << sent << " bytes sent and the server reads nothing";
    io.run_for(50ms);
    EXPECT_TRUE(link.backed_up()) << "nothing was written meanwhile";
    EXPECT_EQ(drained, 0);

    server.read_again();
    ASSERT_TRUE(run_until(io, [&] { return drained > 0; })) << "never said it drained";
    EXPECT_FALSE(link.backed_up());
    EXPECT_EQ(drained, 1);
    link.close();
    io.run_for(50ms);
}
