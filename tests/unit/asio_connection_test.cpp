// The transport under gloox against a real TCP peer that stops reading, as
// a half-open link does: what the socket has not taken is counted, and its
// writing is reported, so that the router can stop reading the queues.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <array>
#include <chrono>
#include <functional>

#include "component/asio_connection.h"

using herald::component::AsioConnection;

using boost::asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

bool run_until(boost::asio::io_context& io, const std::function<bool()>& done, std::chrono::milliseconds deadline = 10s) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (!done() && std::chrono::steady_clock::now() < end) io.run_for(5ms);
    return done();
}

}  // namespace

TEST(AsioConnection, CountsWhatThePeerHasNotTakenAndReportsEachWrite) {
    boost::asio::io_context io;
    tcp::acceptor acceptor(io, {boost::asio::ip::address_v4::loopback(), 0});
    tcp::socket peer(io);
    bool accepted = false;
    acceptor.async_accept(peer, [&](boost::system::error_code error) { accepted = !error; });
    AsioConnection connection(io, nullptr, "127.0.0.1", acceptor.local_endpoint().port());
    int writes = 0;
    connection.on_written([&] { ++writes; });
    connection.connect();
    ASSERT_TRUE(run_until(io, [&] { return accepted && connection.state() == gloox::StateConnected; }));

    constexpr std::size_t kChunk = 64 * 1024;
    constexpr std::size_t kTotal = 64 * 1024 * 1024;  // far beyond what the kernel buffers
    const std::string chunk(kChunk, 'x');
    for (std::size_t sent = 0; sent < kTotal; sent += kChunk) ASSERT_TRUE(connection.send(chunk));
    io.run_for(200ms);  // the socket takes what its buffers hold, then stalls
    EXPECT_GT(connection.queued_bytes(), kTotal / 2) << "the peer reads nothing";

    std::size_t received = 0;
    std::array<char, 256 * 1024> buffer{};
    std::function<void()> read = [&] {
        peer.async_read_some(boost::asio::buffer(buffer), [&](boost::system::error_code error, std::size_t size) {
            received += size;
            if (!error && received < kTotal) read();
        });
    };
    read();
    ASSERT_TRUE(run_until(io, [&] { return received == kTotal; }, 60s));
    EXPECT_EQ(connection.queued_bytes(), 0u);
    EXPECT_GT(writes, 0);
}
