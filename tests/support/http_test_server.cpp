#include "http_test_server.h"

#include <zlib.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <atomic>
#include <cctype>
#include <stdexcept>
#include <thread>

namespace herald::testing {
namespace beast = boost::beast;
namespace http = beast::http;
using boost::asio::ip::tcp;

std::string HttpTestRequest::header(const std::string& lower_name) const {
    auto found = headers.find(lower_name);
    return found == headers.end() ? std::string() : found->second;
}

std::string gzip(const std::string& bytes) {
    z_stream stream{};
    if (deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2 failed");
    std::string out(deflateBound(&stream, bytes.size()), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    stream.avail_in = static_cast<uInt>(bytes.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int result = deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    if (result != Z_STREAM_END) throw std::runtime_error("deflate failed");
    return out;
}

class HttpTestServer::Impl {
public:
    Impl() : acceptor_(io_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)) {
        accept();
        thread_ = std::thread([this] { io_.run(); });
    }
    ~Impl() {
        io_.stop();
        thread_.join();
    }

    int port() const { return acceptor_.local_endpoint().port(); }
    std::size_t connections() const { return connections_.load(); }

    void handle(const std::string& path, Handler handler) {
        std::lock_guard lock(mutex_);
        handlers_[path] = std::move(handler);
    }

    std::vector<HttpTestRequest> requests(const std::string& path) const {
        std::lock_guard lock(mutex_);
        std::vector<HttpTestRequest> matching;
        for (const auto& request : requests_)
            if (path_of(request.target) == path) matching.push_back(request);
        return matching;
    }

    bool wait_for_requests(const std::string& path, std::size_t count, std::chrono::milliseconds deadline) const {
        std::unique_lock lock(mutex_);
        return arrived_.wait_for(lock, deadline, [&] { return count_locked(path) >= count; });
    }

private:
    class Session;

    static std::string path_of(const std::string& target) { return target.substr(0, target.find('?')); }

    std::size_t count_locked(const std::string& path) const {
        std::size_t count = 0;
        for (const auto& request : requests_) count += path_of(request.target) == path ? 1 : 0;
        return count;
    }

    // Records the request and finds what to answer (on the server thread).
    HttpTestResponse answer(HttpTestRequest request) {
        Handler handler;
        {
            std::lock_guard lock(mutex_);
            requests_.push_back(request);
            auto found = handlers_.find(path_of(request.target));
            if (found != handlers_.end()) handler = found->second;
        }
        arrived_.notify_all();
        if (!handler) return HttpTestResponse{404, {}, "no such path\n"};
        return handler(request);
    }

    void accept();

    boost::asio::io_context io_;
    tcp::acceptor acceptor_;
    std::atomic<std::size_t> connections_{0};
    std::thread thread_;
    mutable std::mutex mutex_;
    mutable std::condition_variable arrived_;
    std::map<std::string, Handler> handlers_;
    std::vector<HttpTestRequest> requests_;
};

class HttpTestServer::Impl::Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, Impl& server)
        : stream_(std::move(socket)), server_(server), timer_(stream_.get_executor()) {}

    void read() {
        request_ = {};
        http::async_read(stream_, buffer_, request_, [self = shared_from_this()](beast::error_code error, std::size_t) {
            if (!error) self->respond();
        });
    }

private:
    void respond() {
        HttpTestRequest request{std::string(request_.method_string()), std::string(request_.target()), {},
                                request_.body()};
        for (const auto& field : request_) {
            std::string name(field.name_string());
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            request.headers[name] = std::string(field.value());
        }
        auto answer = server_.answer(std::move(request));
        response_ = {};
        response_.result(static_cast<unsigned>(answer.status));
        response_.version(11);
        for (const auto& [name, value] : answer.headers) response_.set(name, value);
        response_.body() = std::move(answer.body);
        response_.keep_alive(request_.keep_alive());
        response_.prepare_payload();
        timer_.expires_after(answer.delay);
        timer_.async_wait([self = shared_from_this()](beast::error_code) { self->write(); });
    }

    void write() {
        http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code error, std::size_t) {
            if (error || !self->response_.keep_alive()) {
                beast::error_code ignored;
                self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
                return;
            }
            self->read();
        });
    }

    beast::tcp_stream stream_;
    Impl& server_;
    boost::asio::steady_timer timer_;
    beast::flat_buffer buffer_;
    http::request<http::string_body> request_;
    http::response<http::string_body> response_;
};

void HttpTestServer::Impl::accept() {
    acceptor_.async_accept([this](beast::error_code error, tcp::socket socket) {
        if (error) return;
        ++connections_;
        std::make_shared<Session>(std::move(socket), *this)->read();
        accept();
    });
}

HttpTestServer::HttpTestServer() : impl_(std::make_unique<Impl>()) {}
HttpTestServer::~HttpTestServer() = default;

int HttpTestServer::port() const { return impl_->port(); }
std::string HttpTestServer::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port()) + path;
}
void HttpTestServer::handle(const std::string& path, Handler handler) { impl_->handle(path, std::move(handler)); }
void HttpTestServer::serve(const std::string& path, HttpTestResponse response) {
    handle(path, [response](const HttpTestRequest&) { return response; });
}
std::size_t HttpTestServer::connections() const { return impl_->connections(); }
std::size_t HttpTestServer::request_count(const std::string& path) const { return requests(path).size(); }
std::vector<HttpTestRequest> HttpTestServer::requests(const std::string& path) const {
    return impl_->requests(path);
}
bool HttpTestServer::wait_for_requests(const std::string& path, std::size_t count,
                                       std::chrono::milliseconds deadline) const {
    return impl_->wait_for_requests(path, count, deadline);
}

}  // namespace herald::testing
