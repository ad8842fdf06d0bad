// Raw bytes on a connection to the HTTP publish API: Beast's parser, the
// routing, the body reading and the publish through the real gateway,
// rules and SQLite storage in memory; every stanza it makes Herald send is
// parsed back strictly (service_harness.h), and the response must be UTF-8.
// The topic "alerts" exists with the token "fuzz-token", so inputs can reach
// a stored publish.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/service_harness.h"
#include "fuzz/silent_logs.h"
#include "ingest/http_publish_api.h"
#include "routing/secret_token.h"

namespace {

using herald::component::XmlElement;

using boost::asio::ip::tcp;

XmlElement iq_set(const std::string& id, XmlElement payload) {
    XmlElement iq("iq");
    iq.set_attr("type", "set").set_attr("id", id).set_attr("from", "owner@localhost/fuzz");
    iq.set_attr("to", "notify.localhost");
    iq.add(std::move(payload));
    return iq;
}

// The owner registers, creates "alerts", subscribes to it and is online, so
// that a publish is delivered (and its stanza checked); the token goes
// straight into storage, as the ad-hoc command would put it.
void create_topic_with_token(herald::fuzz::ServiceHarness& harness) {
    harness.deliver(iq_set("r1", XmlElement("query", "jabber:iq:register")));
    XmlElement pubsub("pubsub", "http://jabber.org/protocol/pubsub");
    pubsub.add_child("create").set_attr("node", "alerts");
    harness.deliver(iq_set("c1", std::move(pubsub)));
    XmlElement subscribe("pubsub", "http://jabber.org/protocol/pubsub");
    subscribe.add_child("subscribe").set_attr("node", "alerts").set_attr("jid", "owner@localhost");
    harness.deliver(iq_set("s1", std::move(subscribe)));
    for (const char* type : {"subscribed", ""}) {
        XmlElement presence("presence");
        presence.set_attr("from", "owner@localhost/fuzz").set_attr("to", "notify.localhost");
        if (*type) presence.set_attr("type", type);
        harness.deliver(presence);
    }
    harness.storage().submit(
        [](herald::storage::Repositories& repos) {
            repos.tokens.add(herald::routing::token_digest("fuzz-token"), {"alerts", "fuzz", "owner@localhost"}, 0);
        },
        [](std::exception_ptr) {});
    harness.settle();
}

// Sends the bytes, half-closes, and reads until the server closes.
class Client {
public:
    Client(boost::asio::io_context& io, int port, std::string request) : socket_(io), request_(std::move(request)) {
        socket_.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
        boost::asio::async_write(socket_, boost::asio::buffer(request_), [this](boost::system::error_code, std::size_t) {
            boost::system::error_code ignored;
            socket_.shutdown(tcp::socket::shutdown_send, ignored);
        });
        boost::asio::async_read(socket_, boost::asio::dynamic_buffer(response_),
                                [this](boost::system::error_code, std::size_t) { done_ = true; });
    }
    bool done() const { return done_; }
    const std::string& response() const { return response_; }

private:
    tcp::socket socket_;
    std::string request_;
    std::string response_;
    bool done_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const herald::fuzz::SilentLogs silent;
    herald::fuzz::ServiceHarness harness;
    create_topic_with_token(harness);
    herald::ingest::HttpApiSettings settings;
    settings.port = 0;
    herald::ingest::HttpPublishApi api(harness.io(), settings, harness.services().http_gateway());
    api.start();
    Client client(harness.io(), api.port(), std::string(reinterpret_cast<const char*>(data), size));
    while (!client.done()) {
        harness.io().restart();
        harness.io().run_one_for(std::chrono::milliseconds(5));
        for (auto& completion : harness.completions().take_ready()) completion();
    }
    api.stop();
    harness.settle();
    // What a publisher reads back (statuses, JSON errors, metrics) is text.
    herald::fuzz::require_utf8(client.response(), "the HTTP API's response");
    return 0;
}
