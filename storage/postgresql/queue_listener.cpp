#include "storage/postgresql/queue_listener.h"

#include <spdlog/spdlog.h>

#include "storage/postgresql/connection.h"
#include "storage/postgresql/queue_notice.h"

namespace herald::storage::pg {

namespace {

constexpr auto kLongestRetry = std::chrono::seconds(10);

}  // namespace

QueueListener::QueueListener(boost::asio::io_context& io, std::string conninfo, std::optional<std::string> password,
                             std::string instance, Changed changed)
    : conninfo_(std::move(conninfo)),
      password_(std::move(password)),
      instance_(std::move(instance)),
      changed_(std::move(changed)),
      socket_(io),
      retry_(io) {
    connect();
}

// The pending waits end with operation_aborted and touch nothing of this.
QueueListener::~QueueListener() {
    retry_.cancel();
    if (socket_.is_open()) {
        socket_.cancel();
        socket_.release();
    }
}

void QueueListener::watch_socket() {
    if (socket_.is_open()) {
        socket_.cancel();
        socket_.release();
    }
    socket_.assign(PQsocket(connection_.get()));
}

void QueueListener::connect() {
    listening_ = false;
    const ConnectionParameters parameters(conninfo_, password_);
    connection_.reset(PQconnectStartParams(parameters.keywords.data(), parameters.values.data(), 1));
    if (!connection_ || PQstatus(connection_.get()) == CONNECTION_BAD)
        return lost(connection_ ? error_message(connection_.get()) : "out of memory");
    connecting(PGRES_POLLING_WRITING);
}

void QueueListener::connecting(PostgresPollingStatusType status) {
    if (status == PGRES_POLLING_OK) return start_listening();
    if (status == PGRES_POLLING_FAILED) return lost(error_message(connection_.get()));
    watch_socket();
    const auto wait = status == PGRES_POLLING_READING ? boost::asio::posix::stream_descriptor::wait_read
                                                      : boost::asio::posix::stream_descriptor::wait_write;
    socket_.async_wait(wait, [this](boost::system::error_code error) {
        if (error == boost::asio::error::operation_aborted) return;
        connecting(PQconnectPoll(connection_.get()));
    });
}

void QueueListener::start_listening() {
    watch_socket();
    const std::string listen = std::string("LISTEN ") + kQueueChannel;
    if (PQsetnonblocking(connection_.get(), 1) != 0 || PQsendQuery(connection_.get(), listen.c_str()) != 1)
        return lost(error_message(connection_.get()));
    // A short statement on a fresh connection: written at once.
    if (PQflush(connection_.get()) != 0) return lost(error_message(connection_.get()));
    read();
}

void QueueListener::read() {
    socket_.async_wait(boost::asio::posix::stream_descriptor::wait_read, [this](boost::system::error_code error) {
        if (error == boost::asio::error::operation_aborted) return;
        on_readable();
    });
}

void QueueListener::on_readable() {
    if (PQconsumeInput(connection_.get()) != 1) return lost(error_message(connection_.get()));
    while (PQisBusy(connection_.get()) == 0) {
        PGresult* result = PQgetResult(connection_.get());
        if (!result) break;
        const bool listened = PQresultStatus(result) == PGRES_COMMAND_OK;
        const std::string message = PQresultErrorMessage(result);
        PQclear(result);
        if (!listened) return lost(message);
        // What was committed while nobody here listened is not known.
        listening_ = true;
        retry_delay_ = std::chrono::seconds(1);
        spdlog::info("cluster: listening for queue changes of other instances");
        changed_(QueueChange{{}, true});
    }
    while (PGnotify* notice = PQnotifies(connection_.get())) {
        const auto change = read_queue_notice(notice->extra, instance_);
        PQfreemem(notice);
        if (change) changed_(*change);
    }
    if (PQstatus(connection_.get()) == CONNECTION_BAD) return lost(error_message(connection_.get()));
    read();
}

void QueueListener::lost(const std::string& why) {
    if (socket_.is_open()) {
        socket_.cancel();
        socket_.release();
    }
    connection_.reset();
    spdlog::warn("cluster: not listening for queue changes ({}); trying again in {} s", why, retry_delay_.count());
    retry_.expires_after(retry_delay_);
    retry_delay_ = std::min(retry_delay_ * 2, kLongestRetry);
    retry_.async_wait([this](boost::system::error_code error) {
        if (!error) connect();
    });
}

}  // namespace herald::storage::pg
