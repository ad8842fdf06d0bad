#pragma once

#include <curl/curl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <memory>

#include "net/easy_handle.h"

namespace herald::ingest {

// libcurl's multi interface driven by an io_context: curl tells us which
// sockets to watch (CURLMOPT_SOCKETFUNCTION) and when to wake it
// (CURLMOPT_TIMERFUNCTION); Asio waits and calls back. No thread per
// transfer, nothing blocks. Use it from the io_context's thread only.
class CurlMulti {
public:
    // Called on the io_context thread with the handle back (to read its
    // response) and the transfer's result.
    using Completion = std::function<void(EasyHandle, CURLcode)>;

    explicit CurlMulti(boost::asio::io_context& io);
    // Abandons transfers in flight without calling their completions.
    ~CurlMulti();
    CurlMulti(const CurlMulti&) = delete;
    CurlMulti& operator=(const CurlMulti&) = delete;

    // Starts the transfer; `done` is called exactly once, later, never from
    // inside start(). A handle libcurl refuses completes with that error.
    void start(EasyHandle handle, Completion done);
    std::size_t active() const;

private:
    struct Watch;
    struct Transfer {
        EasyHandle handle;
        Completion done;
    };

    static int on_socket(CURL* easy, curl_socket_t fd, int what, void* self, void* watch);
    static int on_timer(CURLM* multi, long timeout_ms, void* self);
    void watch_socket(curl_socket_t fd, int what);
    void forget_socket(curl_socket_t fd);
    void arm(const std::shared_ptr<Watch>& watch, bool for_write);
    void act(curl_socket_t fd, int events);
    void finish_done_transfers();

    boost::asio::io_context& io_;
    CURLM* multi_;
    boost::asio::steady_timer timer_;
    std::map<curl_socket_t, std::shared_ptr<Watch>> watches_;
    std::map<CURL*, Transfer> transfers_;
};

}  // namespace herald::ingest
