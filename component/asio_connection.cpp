#include "component/asio_connection.h"

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

namespace herald::component {

using boost::asio::ip::tcp;

// Socket and buffers shared with pending operations: it lives until the last
// completion runs, even after gloox has dropped the connection object.
class AsioConnection::Channel : public std::enable_shared_from_this<Channel> {
public:
    Channel(boost::asio::io_context& io, AsioConnection* owner)
        : owner(owner), socket(io), resolver(io) {}

    void open(const std::string& host, int port) {
        resolver.async_resolve(
            host, std::to_string(port),
            [self = shared_from_this()](boost::system::error_code error,
                                        tcp::resolver::results_type endpoints) {
                if (!self->owner) return;
                if (error) return self->owner->on_failed(gloox::ConnDnsError);
                boost::asio::async_connect(
                    self->socket, endpoints,
                    [self](boost::system::error_code connect_error, const tcp::endpoint&) {
                        if (!self->owner) return;
                        if (connect_error) return self->owner->on_failed(gloox::ConnConnectionRefused);
                        self->socket.set_option(tcp::no_delay(true));
                        self->owner->on_connected();
                        self->read();
                    });
            });
    }

    void read() {
        socket.async_read_some(
            boost::asio::buffer(buffer),
            [self = shared_from_this()](boost::system::error_code error, std::size_t size) {
                if (!self->owner || self->reading_stopped) return;
                if (error) return self->owner->on_failed(gloox::ConnStreamClosed);
                self->owner->on_data(self->buffer.data(), size);
                if (self->owner) self->read();
            });
    }

    void write(const std::string& data) {
        outbox += data;
        if (!writing.empty()) return;
        flush();
    }

    void flush() {
        if (outbox.empty()) {
            if (closing) close();
            return;
        }
        writing.swap(outbox);
        boost::asio::async_write(
            socket, boost::asio::buffer(writing),
            [self = shared_from_this()](boost::system::error_code error, std::size_t) {
                self->writing.clear();
                if (error) {
                    self->outbox.clear();
                    self->close();
                    if (self->owner) self->owner->on_failed(gloox::ConnIoError);
                    return;
                }
                self->flush();
                if (self->owner) self->owner->on_write_done();
            });
    }

    void close_when_written() {
        closing = true;
        if (writing.empty()) close();
    }

    void close() {
        boost::system::error_code ignored;
        resolver.cancel();
        socket.shutdown(tcp::socket::shutdown_both, ignored);
        socket.close(ignored);
    }

    AsioConnection* owner;
    tcp::socket socket;
    tcp::resolver resolver;
    std::array<char, 64 * 1024> buffer{};
    std::string outbox;
    std::string writing;
    bool closing = false;
    bool reading_stopped = false;
};

AsioConnection::AsioConnection(boost::asio::io_context& io, gloox::ConnectionDataHandler* handler,
                               std::string host, int port)
    : gloox::ConnectionBase(handler), io_(io) {
    m_server = std::move(host);
    m_port = port;
}

AsioConnection::~AsioConnection() { cleanup(); }

gloox::ConnectionError AsioConnection::connect() {
    if (m_state != gloox::StateDisconnected) return gloox::ConnNoError;
    m_state = gloox::StateConnecting;
    channel_ = std::make_shared<Channel>(io_, this);
    channel_->open(m_server, m_port);
    return gloox::ConnNoError;
}

// Data arrives through the io_context; there is nothing to poll.
gloox::ConnectionError AsioConnection::recv(int) {
    return m_state == gloox::StateConnected ? gloox::ConnNoError : gloox::ConnNotConnected;
}

gloox::ConnectionError AsioConnection::receive() { return recv(0); }

bool AsioConnection::send(const std::string& data) {
    if (m_state != gloox::StateConnected || !channel_) return false;
    total_out_ += static_cast<long int>(data.size());
    channel_->write(data);
    return true;
}

void AsioConnection::disconnect() {
    m_state = gloox::StateDisconnected;
    if (channel_) channel_->close_when_written();
}

void AsioConnection::cleanup() {
    m_state = gloox::StateDisconnected;
    if (!channel_) return;
    channel_->owner = nullptr;
    if (!channel_->closing) channel_->close();
    channel_.reset();
}

void AsioConnection::getStatistics(long int& total_in, long int& total_out) {
    total_in = total_in_;
    total_out = total_out_;
}

gloox::ConnectionBase* AsioConnection::newInstance() const {
    return new AsioConnection(io_, m_handler, m_server, m_port);
}

void AsioConnection::stop_reading() {
    if (channel_) channel_->reading_stopped = true;
}

std::size_t AsioConnection::queued_bytes() const {
    return channel_ ? channel_->outbox.size() + channel_->writing.size() : 0;
}

void AsioConnection::on_write_done() {
    if (written_) written_();
}

void AsioConnection::on_connected() {
    m_state = gloox::StateConnected;
    if (m_handler) m_handler->handleConnect(this);
}

void AsioConnection::on_failed(gloox::ConnectionError reason) {
    cleanup();
    if (m_handler) m_handler->handleDisconnect(this, reason);
}

void AsioConnection::on_data(const char* data, std::size_t size) {
    total_in_ += static_cast<long int>(size);
    if (m_handler) m_handler->handleReceivedData(this, std::string(data, size));
}

}  // namespace herald::component
