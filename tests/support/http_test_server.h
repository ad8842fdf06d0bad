#pragma once

// A real HTTP/1.1 server for tests, on a free loopback port, on its own
// thread. Each path answers what the test programmed; every request is
// recorded, and a test waits for requests with a deadline.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace herald::testing {

struct HttpTestRequest {
    std::string method;
    std::string target;
    std::map<std::string, std::string> headers;  // names in lower case
    std::string body;
    std::string header(const std::string& lower_name) const;
};

struct HttpTestResponse {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    // Waits this long before answering (a slow server); the server stays
    // responsive meanwhile.
    std::chrono::milliseconds delay{0};
};

// The gzip encoding of `bytes` (Content-Encoding: gzip).
std::string gzip(const std::string& bytes);

class HttpTestServer {
public:
    using Handler = std::function<HttpTestResponse(const HttpTestRequest&)>;

    HttpTestServer();  // starts listening on 127.0.0.1, port chosen by the system
    ~HttpTestServer();
    HttpTestServer(const HttpTestServer&) = delete;
    HttpTestServer& operator=(const HttpTestServer&) = delete;

    int port() const;
    std::string url(const std::string& path) const;  // "http://127.0.0.1:PORT" + path

    // Programs `path` (the target without its query). Unknown paths get 404.
    void handle(const std::string& path, Handler handler);
    void serve(const std::string& path, HttpTestResponse response);

    std::size_t request_count(const std::string& path) const;
    // TCP connections accepted so far (a client that reuses one adds none).
    std::size_t connections() const;
    std::vector<HttpTestRequest> requests(const std::string& path) const;
    // Waits until `path` has had at least `count` requests; false at deadline.
    bool wait_for_requests(const std::string& path, std::size_t count, std::chrono::milliseconds deadline) const;

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace herald::testing
