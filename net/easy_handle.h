#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace herald::ingest {

// One libcurl easy handle and everything its callbacks point at, so that
// whatever the handle refers to lives exactly as long as the handle.
class EasyHandle {
public:
    EasyHandle();  // throws std::runtime_error when libcurl cannot make one
    ~EasyHandle();
    EasyHandle(EasyHandle&&) noexcept;
    EasyHandle& operator=(EasyHandle&&) noexcept;
    EasyHandle(const EasyHandle&) = delete;
    EasyHandle& operator=(const EasyHandle&) = delete;

    CURL* get() const;

    void set_url(const std::string& url);
    // Extra request headers ("Name: value"); the list lives with the handle.
    void set_request_headers(const std::vector<std::string>& headers);
    // Collects the response body; a body past `max_bytes` aborts the transfer
    // (CURLE_WRITE_ERROR) and abort_reason() says so.
    void collect_body(std::size_t max_bytes);
    const std::string& body() const;

    // Why one of our own callbacks stopped the transfer ("" if none did). Its
    // address does not change when the handle moves, so a callback may hold it.
    std::string& abort_reason();
    const std::string& abort_reason() const;

    long response_code() const;
    // A header of the last response (after redirects), when present.
    std::optional<std::string> response_header(const char* name) const;

    // Keeps `state` (user data of a callback set on this handle) alive with it.
    void keep_alive(std::shared_ptr<const void> state);

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace herald::ingest
