#include "routing/probe_rounds.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

namespace herald::routing {

ProbeRounds::ProbeRounds(boost::asio::io_context& io, UserOutbox& outbox, Schedule schedule)
    : outbox_(outbox), schedule_(schedule), timer_(io) {}

void ProbeRounds::restart() {
    stop();
    rounds_done_ = 0;
}

void ProbeRounds::probed(const std::vector<std::string>& users) { unanswered_.insert(users.begin(), users.end()); }

void ProbeRounds::first_round_sent() { await_answers(); }

void ProbeRounds::answered(const std::string& bare_jid) { unanswered_.erase(bare_jid); }

void ProbeRounds::stop() {
    ++generation_;
    timer_.cancel();
    std::unordered_set<std::string>().swap(unanswered_);
}

void ProbeRounds::await_answers() {
    timer_.expires_after(schedule_.answer_window);
    timer_.async_wait([this, generation = generation_](boost::system::error_code error) {
        if (error || generation != generation_ || unanswered_.empty()) return;
        if (rounds_done_ == schedule_.extra_rounds) {
            spdlog::warn("{} users answered none of {} presence probes; their presence stays unknown until they "
                         "change it",
                         unanswered_.size(), schedule_.extra_rounds + 1);
            std::unordered_set<std::string>().swap(unanswered_);
            return;
        }
        ++rounds_done_;
        spdlog::info("{} users did not answer the presence probe: probing them again", unanswered_.size());
        probe_again({unanswered_.begin(), unanswered_.end()}, 0);
    });
}

void ProbeRounds::probe_again(std::vector<std::string> users, std::size_t next) {
    if (next == users.size()) {
        await_answers();
        return;
    }
    if (!outbox_.backed_up()) {
        const auto end = std::min(users.size(), next + schedule_.page_size);
        for (; next < end; ++next)
            if (unanswered_.contains(users[next])) outbox_.probe(users[next]);
    }
    timer_.expires_after(schedule_.page_interval);
    timer_.async_wait([this, generation = generation_, users = std::move(users),
                       next](boost::system::error_code error) mutable {
        if (!error && generation == generation_) probe_again(std::move(users), next);
    });
}

}  // namespace herald::routing
