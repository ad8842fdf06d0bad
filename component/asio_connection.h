#pragma once

#include <gloox/connectionbase.h>

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>

namespace herald::component {

// gloox's transport, driven by Asio on the io_context thread instead of
// gloox's blocking recv() loop. Received bytes are handed to gloox's parser
// from the read completion; sends queue with one write in flight. A close
// requested by gloox (disconnect) lets queued bytes, such as the final
// </stream:stream>, reach the server first.
class AsioConnection final : public gloox::ConnectionBase {
public:
    AsioConnection(boost::asio::io_context& io, gloox::ConnectionDataHandler* handler,
                   std::string host, int port);
    ~AsioConnection() override;

    gloox::ConnectionError connect() override;
    gloox::ConnectionError recv(int timeout) override;
    gloox::ConnectionError receive() override;
    bool send(const std::string& data) override;
    void disconnect() override;
    void cleanup() override;
    void getStatistics(long int& total_in, long int& total_out) override;
    gloox::ConnectionBase* newInstance() const override;

    // Stops handing received data to gloox; used while shutting down.
    void stop_reading();
    // Bytes sent and not yet taken by the socket.
    std::size_t queued_bytes() const;
    // Told after each completed write.
    void on_written(std::function<void()> callback) { written_ = std::move(callback); }

private:
    class Channel;
    friend class Channel;

    void on_connected();
    void on_failed(gloox::ConnectionError reason);
    void on_data(const char* data, std::size_t size);
    void on_write_done();

    boost::asio::io_context& io_;
    std::shared_ptr<Channel> channel_;
    long int total_in_ = 0;
    long int total_out_ = 0;
    std::function<void()> written_;
};

}  // namespace herald::component
