#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "routing/user_outbox.h"

namespace herald::routing {

// After a (re)connection every registered user is probed; ejabberd may still
// route some answers to the previous, dying connection, where they are lost.
// A user from whom no presence (available or unavailable) came back within
// `answer_window` of the last first-round probe is probed again, a page at a
// time and never while the outbox is backed up, for at most `extra_rounds`
// further rounds.
class ProbeRounds {
public:
    struct Schedule {
        std::chrono::milliseconds answer_window = std::chrono::seconds(3);
        int extra_rounds = 4;
        std::size_t page_size = 500;
        std::chrono::milliseconds page_interval = std::chrono::milliseconds(20);
    };

    ProbeRounds(boost::asio::io_context& io, UserOutbox& outbox, Schedule schedule);

    // A new connection: what was awaited from the previous one is forgotten.
    void restart();
    // The first round probed these users (sent by the caller).
    void probed(const std::vector<std::string>& users);
    // The first round is complete: the wait for answers begins.
    void first_round_sent();
    void answered(const std::string& bare_jid);
    // The connection is gone: nothing more is awaited or sent.
    void stop();

    std::size_t unanswered() const { return unanswered_.size(); }

private:
    void await_answers();
    void probe_again(std::vector<std::string> users, std::size_t next);

    UserOutbox& outbox_;
    const Schedule schedule_;
    std::unordered_set<std::string> unanswered_;
    int rounds_done_ = 0;
    // Bumped by stop(): a timer handler already queued from before does nothing.
    std::uint64_t generation_ = 0;
    boost::asio::steady_timer timer_;
};

}  // namespace herald::routing
