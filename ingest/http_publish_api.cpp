#include "ingest/http_publish_api.h"

#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "net/rate_limiter.h"
#include "text/safe_text.h"

namespace herald::ingest {
namespace beast = boost::beast;
namespace http = beast::http;
using boost::asio::ip::tcp;

namespace {

constexpr std::string_view kPublishPrefix = "/v1/nodes/";
constexpr std::string_view kItemsInfix = "/items/";
constexpr std::size_t kMaxCallbackBytes = 2048;
// Output guard: a string that is not UTF-8 is written with U+FFFD, never thrown.
constexpr auto kReplaceInvalid = nlohmann::json::error_handler_t::replace;

HttpPublishResult failure(int status, std::string error, std::string message) {
    return {status, {}, std::move(error), std::move(message)};
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<std::string> optional_string(const nlohmann::json& object, const char* key) {
    const auto field = object.find(key);
    if (field == object.end() || field->is_null()) return std::string();
    if (!field->is_string()) return std::nullopt;
    return field->get<std::string>();
}

}  // namespace

std::optional<std::string> node_from_target(const std::string& target) {
    const auto path = target.substr(0, target.find('?'));
    if (path.rfind(kPublishPrefix, 0) != 0) return std::nullopt;
    std::string node;
    for (std::size_t i = kPublishPrefix.size(); i < path.size(); ++i) {
        if (path[i] != '%') {
            node += path[i];
            continue;
        }
        if (i + 2 >= path.size() || hex_value(path[i + 1]) < 0 || hex_value(path[i + 2]) < 0) return std::nullopt;
        node += static_cast<char>(hex_value(path[i + 1]) * 16 + hex_value(path[i + 2]));
        i += 2;
    }
    if (node.empty() || !text::is_clean(node)) return std::nullopt;
    return node;
}

std::optional<std::pair<std::string, std::string>> item_from_target(const std::string& target) {
    const auto path = target.substr(0, target.find('?'));
    const auto items = path.rfind(kItemsInfix);
    if (items == std::string::npos || path.rfind(kPublishPrefix, 0) != 0) return std::nullopt;
    const auto node = node_from_target(path.substr(0, items));
    const auto item = node_from_target(std::string(kPublishPrefix) + path.substr(items + kItemsInfix.size()));
    if (!node || !item || item->find('/') != std::string::npos) return std::nullopt;
    return std::pair{*node, *item};
}

std::optional<HttpPublishResult> read_publish_body(const std::string& content_type, const std::string& body,
                                                   HttpPublishRequest& request) {
    const auto media_type = content_type.substr(0, content_type.find(';'));
    if (media_type == "application/json") {
        const auto json = nlohmann::json::parse(body, nullptr, false);
        if (json.is_discarded() || !json.is_object())
            return failure(400, "invalid-json", "the body is not a JSON object");
        const auto title = optional_string(json, "title");
        const auto text = optional_string(json, "body");
        const auto link = optional_string(json, "link");
        if (!title || !text || !link) return failure(400, "invalid-field", "title, body and link must be strings");
        request.title = text::clean(*title);
        request.body = text::clean(*text);
        request.link = text::clean(*link);
        if (const auto priority = json.find("priority"); priority != json.end()) {
            if (!priority->is_string()) return failure(400, "invalid-field", "priority must be a string");
            request.priority = text::clean(priority->get<std::string>());
        }
        if (const auto ttl = json.find("ttl"); ttl != json.end()) {
            if (!ttl->is_number_integer() || ttl->get<std::int64_t>() <= 0)
                return failure(400, "invalid-field", "ttl must be a positive whole number of seconds");
            request.ttl = ttl->get<std::int64_t>();
        }
        if (const auto ack = json.find("ack"); ack != json.end()) {
            if (!ack->is_boolean()) return failure(400, "invalid-field", "ack must be true or false");
            request.ack = ack->get<bool>();
        }
        if (const auto renotify = json.find("renotify"); renotify != json.end()) {
            if (!renotify->is_number_integer())
                return failure(400, "invalid-field", "renotify must be a whole number of seconds");
            request.renotify = std::to_string(renotify->get<std::int64_t>());
        }
        if (const auto callback = json.find("callback"); callback != json.end()) {
            if (!callback->is_string()) return failure(400, "invalid-field", "callback must be a URL string");
            const auto url = callback->get<std::string>();
            if (url.size() > kMaxCallbackBytes || !text::is_clean(url) ||
                !(url.starts_with("http://") || url.starts_with("https://")))
                return failure(400, "invalid-field", "callback must be an http or https URL");
            request.callback = url;
        }
    } else if (media_type.empty() || media_type == "text/plain" ||
               // what `curl -d` says of any body; taken as the text it is
               media_type == "application/x-www-form-urlencoded") {
        request.body = text::clean(body);
        while (!request.body.empty() && (request.body.back() == '\n' || request.body.back() == '\r'))
            request.body.pop_back();
    } else {
        return failure(415, "unsupported-media-type", "send application/json or text/plain");
    }
    if (request.title.empty() && request.body.empty())
        return failure(400, "empty-notification", "a notification needs a title or a body");
    return std::nullopt;
}

std::string error_json(const HttpPublishResult& result) {
    return nlohmann::json{{"error", result.error}, {"message", result.message}}.dump(-1, ' ', false, kReplaceInvalid);
}

// One connection: requests in turn, one response in flight, closed on error
// or timeout. Lives as long as its pending operations.
class HttpPublishApi::Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, const HttpApiSettings& settings, PublishGateway& gateway, PublishRateLimits& limits,
            std::shared_ptr<bool> alive)
        : stream_(std::move(socket)), settings_(settings), gateway_(gateway), limits_(limits),
          alive_(std::move(alive)) {}

    void read() {
        parser_.emplace();
        parser_->body_limit(settings_.max_body_bytes);
        stream_.expires_after(settings_.request_timeout);
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](beast::error_code error, std::size_t) { self->on_read(error); });
    }

private:
    using Request = http::request<http::string_body>;
    using Response = http::response<http::string_body>;

    void on_read(beast::error_code error) {
        if (error == http::error::body_limit) {
            respond(failure(413, "payload-too-big", "the body is larger than " +
                                                        std::to_string(settings_.max_body_bytes) + " bytes"),
                    false);
            return;
        }
        if (error) return close();
        request_ = parser_->release();
        route();
    }

    void route() {
        const std::string target(request_.target());
        if (target == "/healthz") {
            if (request_.method() != http::verb::get) return respond(failure(405, "method-not-allowed", "use GET"));
            return send(200, "text/plain; charset=utf-8", "ok\n");
        }
        if (target == "/metrics") {
            if (request_.method() != http::verb::get) return respond(failure(405, "method-not-allowed", "use GET"));
            gateway_.metrics([self = shared_from_this()](std::string text) {
                if (*self->alive_) self->send(200, "text/plain; version=0.0.4; charset=utf-8", std::move(text));
            });
            return;
        }
        if (const auto item = item_from_target(target)) {
            if (request_.method() != http::verb::get) return respond(failure(405, "method-not-allowed", "use GET"));
            return item_status(item->first, item->second);
        }
        if (target.rfind(kPublishPrefix, 0) == 0) {
            if (request_.method() != http::verb::post) return respond(failure(405, "method-not-allowed", "use POST"));
            return publish();
        }
        respond(failure(404, "not-found", "no such endpoint"));
    }

    std::optional<std::string> bearer_token() const {
        const std::string authorization(request_[http::field::authorization]);
        if (authorization.rfind("Bearer ", 0) != 0 || authorization.size() <= 7) return std::nullopt;
        return authorization.substr(7);
    }

    std::string remote_address() const {
        beast::error_code no_peer;
        return stream_.socket().remote_endpoint(no_peer).address().to_string();
    }

    // The service's answer; a token it accepted becomes a publisher's, with a bucket of its own.
    std::function<void(HttpPublishResult)> answer(std::string token) {
        return [self = shared_from_this(), token = std::move(token)](HttpPublishResult result) {
            if (!*self->alive_) return;
            if (result.status == 200 || result.status == 202) self->limits_.accepted(token);
            self->respond(result);
        };
    }

    void item_status(std::string node, std::string item_id) {
        auto token = bearer_token();
        if (!token) return respond(failure(401, "unauthorized", "send Authorization: Bearer <token for this node>"));
        if (!limits_.allow(*token, remote_address()))
            return respond(failure(429, "rate-limited", "too many requests with this token; slow down"));
        gateway_.item_status(std::move(node), *token, std::move(item_id), answer(*token));
    }

    void publish() {
        HttpPublishRequest publish;
        const auto node = node_from_target(std::string(request_.target()));
        if (!node) return respond(failure(400, "invalid-node", "the node name in the path is malformed"));
        publish.node = *node;
        auto token = bearer_token();
        if (!token) return respond(failure(401, "unauthorized", "send Authorization: Bearer <token for this node>"));
        publish.token = *token;
        if (auto refused = read_publish_body(std::string(request_[http::field::content_type]), request_.body(), publish))
            return respond(*refused);
        if (!limits_.allow(publish.token, remote_address()))
            return respond(failure(429, "rate-limited", "too many publishes with this token; slow down"));
        gateway_.publish(std::move(publish), answer(std::move(*token)));
    }

    void respond(const HttpPublishResult& result, bool keep_alive = true) {
        if (result.status == 200) return send(200, "application/json", result.json + "\n", keep_alive);
        if (result.status == 202) {
            send(202, "application/json", nlohmann::json{{"id", result.item_id}}.dump(-1, ' ', false, kReplaceInvalid) + "\n", keep_alive);
            return;
        }
        send(result.status, "application/json", error_json(result) + "\n", keep_alive);
    }

    void send(int status, const char* content_type, std::string body, bool keep_alive = true) {
        auto response = std::make_shared<Response>(static_cast<http::status>(status), request_.version());
        response->set(http::field::server, "herald");
        response->set(http::field::content_type, content_type);
        if (status == 401) response->set(http::field::www_authenticate, "Bearer");
        if (status == 429 || status == 503) response->set(http::field::retry_after, "1");
        response->keep_alive(keep_alive && request_.keep_alive());
        response->body() = std::move(body);
        response->prepare_payload();
        stream_.expires_after(settings_.request_timeout);
        http::async_write(stream_, *response,
                          [self = shared_from_this(), response](beast::error_code error, std::size_t) {
                              if (error || !response->keep_alive()) return self->close();
                              self->read();
                          });
    }

public:
    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.close();
    }

private:
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    Request request_;
    const HttpApiSettings& settings_;
    PublishGateway& gateway_;
    PublishRateLimits& limits_;
    std::shared_ptr<bool> alive_;
};

HttpPublishApi::HttpPublishApi(boost::asio::io_context& io, HttpApiSettings settings, PublishGateway& gateway)
    : io_(io), settings_(std::move(settings)), gateway_(gateway), acceptor_(io),
      limits_(std::make_unique<PublishRateLimits>(settings_.publishes_per_second)),
      alive_(std::make_shared<bool>(true)) {}

HttpPublishApi::~HttpPublishApi() { stop(); }

void HttpPublishApi::start() {
    const tcp::endpoint endpoint(boost::asio::ip::make_address(settings_.address),
                                 static_cast<unsigned short>(settings_.port));
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
    accept();
}

void HttpPublishApi::stop() {
    *alive_ = false;
    beast::error_code ignored;
    acceptor_.close(ignored);
    for (auto& weak : sessions_)
        if (auto session = weak.lock()) session->close();
    sessions_.clear();
}

int HttpPublishApi::port() const { return acceptor_.local_endpoint().port(); }

void HttpPublishApi::accept() {
    acceptor_.async_accept([this, alive = alive_](beast::error_code error, tcp::socket socket) {
        if (!*alive) return;
        if (!error) {
            auto session = std::make_shared<Session>(std::move(socket), settings_, gateway_, *limits_, alive_);
            std::erase_if(sessions_, [](const auto& weak) { return weak.expired(); });
            sessions_.push_back(session);
            session->read();
        }
        accept();
    });
}

}  // namespace herald::ingest
