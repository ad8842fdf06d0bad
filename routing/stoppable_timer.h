#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <utility>

namespace herald::routing {

// The timer of a periodic job on the io thread (escalation checks,
// retention passes, acknowledgement reminders, expiry): once stop() is
// called, no task runs and none can be scheduled until resume().
class StoppableTimer {
public:
    explicit StoppableTimer(boost::asio::io_context& io) : timer_(io) {}

    // Runs `task` once after `delay`; replaces a task still waiting.
    template <typename Task>
    void run_after(std::chrono::steady_clock::duration delay, Task task) {
        if (stopped_) return;
        timer_.expires_after(delay);
        timer_.async_wait([this, task = std::move(task)](boost::system::error_code error) mutable {
            if (!error && !stopped_) task();
        });
    }

    void stop() {
        stopped_ = true;
        timer_.cancel();
    }
    void resume() { stopped_ = false; }
    bool stopped() const { return stopped_; }

private:
    boost::asio::steady_timer timer_;
    bool stopped_ = false;
};

}  // namespace herald::routing
