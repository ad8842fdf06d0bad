#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <libpq-fe.h>

#include "storage/queue_changes.h"

namespace herald::storage::pg {

// LISTENs on kQueueChannel on a connection of its own (notifications are
// not delivered inside a transaction), driven by the io_context: connecting
// and reading never block it. Tells `changed` what other instances queued;
// after (re)connecting, that anything may have changed. A lost connection
// is opened again, one attempt a second at first, then every ten.
class QueueListener final : public QueueChangeFeed {
public:
    using Changed = std::function<void(const QueueChange&)>;

    QueueListener(boost::asio::io_context& io, std::string conninfo, std::optional<std::string> password,
                  std::string instance, Changed changed);
    ~QueueListener() override;

private:
    struct Finish {
        void operator()(PGconn* connection) const { PQfinish(connection); }
    };
    void connect();
    // One step of PQconnectPoll: wait for the socket as it asks.
    void connecting(PostgresPollingStatusType status);
    void start_listening();
    void read();
    void on_readable();
    void lost(const std::string& why);
    // The descriptor libpq uses now, watched by Asio but never closed by it.
    void watch_socket();

    const std::string conninfo_;
    const std::optional<std::string> password_;
    const std::string instance_;
    Changed changed_;
    boost::asio::posix::stream_descriptor socket_;
    boost::asio::steady_timer retry_;
    std::unique_ptr<PGconn, Finish> connection_;
    std::chrono::seconds retry_delay_{1};
    bool listening_ = false;
};

}  // namespace herald::storage::pg
