#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace herald::ingest {

class PublishRateLimits;

// A notification arriving over HTTP, before any check but its syntax.
struct HttpPublishRequest {
    std::string node;
    std::string token;
    std::string title;
    std::string body;
    std::string link;
    std::optional<std::string> priority;
    std::optional<std::int64_t> ttl;
    std::optional<bool> ack;                   // a person must acknowledge it
    std::optional<std::string> renotify;       // seconds between reminders, checked by the service
    std::optional<std::string> callback;       // URL told of the acknowledgement
};

struct HttpPublishResult {
    int status = 500;       // 200 (with json) 202 accepted; 400 401 403 404 413 429 503 ...
    std::string item_id;    // with 202
    std::string error;      // a short code, e.g. "forbidden"
    std::string message;    // for people
    std::string json = {};  // with 200: the response body
};

// What the API needs from the service: the same publish path as the IQ.
class PublishGateway {
public:
    virtual ~PublishGateway() = default;
    // `done` gets 202 only once the item is durable.
    virtual void publish(HttpPublishRequest request, std::function<void(HttpPublishResult)> done) = 0;
    // GET /v1/nodes/NODE/items/ID with the node's token: the item's state as JSON.
    virtual void item_status(std::string node, std::string token, std::string item_id,
                             std::function<void(HttpPublishResult)> done) = 0;
    // The Prometheus text exposition.
    virtual void metrics(std::function<void(std::string)> done) = 0;
};

struct HttpApiSettings {
    std::string address = "127.0.0.1";
    int port = 8480;  // 0: any free port
    std::size_t max_body_bytes = 64 * 1024;
    std::chrono::seconds request_timeout{30};
    // Per validated token, and per remote address for attempts with a token
    // not yet accepted; bursts of twice that.
    double publishes_per_second = 20;
};

// Reads a request body: JSON {"title","body","link","priority","ttl","ack","renotify","callback"} or
// plain text (the body). Returns an error result when it cannot.
std::optional<HttpPublishResult> read_publish_body(const std::string& content_type, const std::string& body,
                                                   HttpPublishRequest& request);
// "/v1/nodes/inbox%2Fbob%40x" -> "inbox/bob@x"; nullopt when malformed.
std::optional<std::string> node_from_target(const std::string& target);
// "/v1/nodes/backups/items/42" -> {"backups", "42"}; nullopt when it is not such a path.
std::optional<std::pair<std::string, std::string>> item_from_target(const std::string& target);
std::string error_json(const HttpPublishResult& result);

// The HTTP publish API (Boost.Beast) on the io_context: POST /v1/nodes/NODE,
// GET /v1/nodes/NODE/items/ID, GET /healthz, GET /metrics.
class HttpPublishApi {
public:
    HttpPublishApi(boost::asio::io_context& io, HttpApiSettings settings, PublishGateway& gateway);
    ~HttpPublishApi();

    // Binds and starts accepting; throws when the address cannot be bound.
    void start();
    void stop();
    int port() const;

private:
    class Session;
    void accept();

    boost::asio::io_context& io_;
    HttpApiSettings settings_;
    PublishGateway& gateway_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::unique_ptr<PublishRateLimits> limits_;
    std::shared_ptr<bool> alive_;
    // Open connections, to close them on stop; they own themselves.
    std::vector<std::weak_ptr<Session>> sessions_;
};

}  // namespace herald::ingest
