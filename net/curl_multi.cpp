#include "net/curl_multi.h"

#include <boost/asio/post.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <stdexcept>
#include <utility>
#include <vector>

namespace herald::ingest {

// One socket curl asked us to watch. libcurl owns the descriptor: Asio only
// waits on it and releases it (never closes it) when curl is done with it.
struct CurlMulti::Watch {
    Watch(boost::asio::io_context& io, curl_socket_t fd) : descriptor(io, fd), fd(fd) {}
    boost::asio::posix::stream_descriptor descriptor;
    curl_socket_t fd;
    int what = CURL_POLL_NONE;
    bool reading = false;
    bool writing = false;
    bool forgotten = false;
};

CurlMulti::CurlMulti(boost::asio::io_context& io) : io_(io), multi_(curl_multi_init()), timer_(io) {
    if (!multi_) throw std::runtime_error("libcurl could not create a multi handle");
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlMulti::on_socket);
    curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlMulti::on_timer);
    curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
}

CurlMulti::~CurlMulti() {
    for (auto& [easy, transfer] : transfers_) curl_multi_remove_handle(multi_, easy);
    transfers_.clear();
    curl_multi_cleanup(multi_);
    for (auto& [fd, watch] : watches_) {
        watch->forgotten = true;
        boost::system::error_code ignored;
        watch->descriptor.cancel(ignored);
        (void)watch->descriptor.release();
    }
}

void CurlMulti::start(EasyHandle handle, Completion done) {
    CURL* easy = handle.get();
    auto [it, inserted] = transfers_.emplace(easy, Transfer{std::move(handle), std::move(done)});
    (void)inserted;
    const CURLMcode added = curl_multi_add_handle(multi_, easy);
    if (added == CURLM_OK) return;
    Transfer refused = std::move(it->second);
    transfers_.erase(it);
    boost::asio::post(io_, [refused = std::make_shared<Transfer>(std::move(refused))]() mutable {
        refused->done(std::move(refused->handle), CURLE_FAILED_INIT);
    });
}

std::size_t CurlMulti::active() const { return transfers_.size(); }

int CurlMulti::on_socket(CURL*, curl_socket_t fd, int what, void* self, void*) {
    auto& multi = *static_cast<CurlMulti*>(self);
    if (what == CURL_POLL_REMOVE)
        multi.forget_socket(fd);
    else
        multi.watch_socket(fd, what);
    return 0;
}

int CurlMulti::on_timer(CURLM*, long timeout_ms, void* self) {
    auto& multi = *static_cast<CurlMulti*>(self);
    if (timeout_ms < 0) {
        multi.timer_.cancel();
        return 0;
    }
    // Even a zero timeout waits for the io_context: curl must not be
    // re-entered from inside its own callback.
    multi.timer_.expires_after(std::chrono::milliseconds(timeout_ms));
    multi.timer_.async_wait([&multi](const boost::system::error_code& error) {
        if (error) return;
        int running = 0;
        curl_multi_socket_action(multi.multi_, CURL_SOCKET_TIMEOUT, 0, &running);
        multi.finish_done_transfers();
    });
    return 0;
}

void CurlMulti::watch_socket(curl_socket_t fd, int what) {
    auto& watch = watches_[fd];
    if (!watch) watch = std::make_shared<Watch>(io_, fd);
    watch->what = what;
    if (what & CURL_POLL_IN) arm(watch, false);
    if (what & CURL_POLL_OUT) arm(watch, true);
}

void CurlMulti::forget_socket(curl_socket_t fd) {
    auto found = watches_.find(fd);
    if (found == watches_.end()) return;
    auto watch = std::move(found->second);
    watches_.erase(found);
    watch->forgotten = true;
    boost::system::error_code ignored;
    watch->descriptor.cancel(ignored);
    (void)watch->descriptor.release();
}

void CurlMulti::arm(const std::shared_ptr<Watch>& watch, bool for_write) {
    bool& pending = for_write ? watch->writing : watch->reading;
    if (pending) return;
    pending = true;
    const auto direction = for_write ? boost::asio::posix::stream_descriptor::wait_write
                                     : boost::asio::posix::stream_descriptor::wait_read;
    watch->descriptor.async_wait(direction, [this, watch, for_write](const boost::system::error_code& error) {
        (for_write ? watch->writing : watch->reading) = false;
        if (error || watch->forgotten) return;
        const int wanted = for_write ? CURL_POLL_OUT : CURL_POLL_IN;
        if (!(watch->what & wanted)) return;
        act(watch->fd, for_write ? CURL_CSELECT_OUT : CURL_CSELECT_IN);
        if (!watch->forgotten && (watch->what & wanted)) arm(watch, for_write);
    });
}

void CurlMulti::act(curl_socket_t fd, int events) {
    int running = 0;
    curl_multi_socket_action(multi_, fd, events, &running);
    finish_done_transfers();
}

void CurlMulti::finish_done_transfers() {
    std::vector<std::pair<Transfer, CURLcode>> finished;
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
        if (message->msg != CURLMSG_DONE) continue;
        CURL* easy = message->easy_handle;
        const CURLcode result = message->data.result;
        curl_multi_remove_handle(multi_, easy);
        auto found = transfers_.find(easy);
        if (found == transfers_.end()) continue;
        finished.emplace_back(std::move(found->second), result);
        transfers_.erase(found);
    }
    // Completions may start new transfers: call them once curl is settled.
    for (auto& [transfer, result] : finished) transfer.done(std::move(transfer.handle), result);
}

}  // namespace herald::ingest
