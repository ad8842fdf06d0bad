#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_set>

#include "routing/user_outbox.h"

namespace herald::storage {
class StorageWorker;
}

namespace herald::routing {

// After a (re)connection every registered user is probed; ejabberd may still
// route some answers to the previous, dying connection, where they are lost.
// `answer_window` after the first round, the registered users from whom no
// presence (available, unavailable or error) came are probed again, a page
// at a time from storage like the first round and never while the outbox is
// backed up. Another round follows while a round brought new answers, at
// most `extra_rounds`: on a busy server someone new is always heard, so
// each offline user may be probed `extra_rounds` more times per
// connection. ejabberd does not answer probes for users who are offline,
// so only those who answered are remembered, at most `max_answers`, and
// only until the rounds end. An outbox backed up for longer than
// `backed_up_limit` ends the rounds too.
class ProbeRounds {
public:
    struct Schedule {
        std::chrono::milliseconds answer_window = std::chrono::seconds(3);
        int extra_rounds = 2;
        std::size_t page_size = 500;
        std::chrono::milliseconds backed_up_retry = std::chrono::milliseconds(20);
        std::chrono::milliseconds backed_up_limit = std::chrono::seconds(60);
        std::size_t max_answers = 1000000;
    };

    ProbeRounds(boost::asio::io_context& io, storage::StorageWorker& storage, UserOutbox& outbox,
                Schedule schedule);

    // A new connection: its first round of probes is being sent.
    void restart();
    // The first round is complete: the wait for answers begins.
    void first_round_sent();
    void answered(const std::string& bare_jid);
    // The connection is gone, or herald is stopping: nothing more is sent.
    void stop();
    // Answers are awaited or probes sent on this connection.
    bool active() const { return collecting_; }

private:
    void await_answers();
    void probe_page(const std::string& after);
    void give_up(const char* why);

    storage::StorageWorker& storage_;
    UserOutbox& outbox_;
    const Schedule schedule_;
    bool collecting_ = false;
    std::unordered_set<std::string> answered_;
    std::size_t answered_before_round_ = 0;
    std::size_t probed_in_round_ = 0;
    int rounds_done_ = 0;
    std::chrono::steady_clock::time_point backed_up_since_{};
    // Bumped by restart() and stop(): a handler or storage job from before does nothing.
    std::uint64_t generation_ = 0;
    boost::asio::steady_timer timer_;
};

}  // namespace herald::routing
