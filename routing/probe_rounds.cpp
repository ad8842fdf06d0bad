#include "routing/probe_rounds.h"

#include <spdlog/spdlog.h>

#include <vector>

#include "storage/storage_worker.h"

namespace herald::routing {

ProbeRounds::ProbeRounds(boost::asio::io_context& io, storage::StorageWorker& storage, UserOutbox& outbox,
                         Schedule schedule)
    : storage_(storage), outbox_(outbox), schedule_(schedule), timer_(io) {}

void ProbeRounds::restart() {
    stop();
    collecting_ = true;
    rounds_done_ = 0;
}

void ProbeRounds::first_round_sent() {
    answered_before_round_ = 0;
    await_answers();
}

void ProbeRounds::answered(const std::string& bare_jid) {
    if (!collecting_) return;
    answered_.insert(bare_jid);
    if (answered_.size() > schedule_.max_answers) give_up("too many users answered to remember them all");
}

void ProbeRounds::give_up(const char* why) {
    spdlog::warn("probing again stopped: {}", why);
    stop();
}

void ProbeRounds::stop() {
    backed_up_since_ = {};
    ++generation_;
    timer_.cancel();
    collecting_ = false;
    std::unordered_set<std::string>().swap(answered_);
}

void ProbeRounds::await_answers() {
    timer_.expires_after(schedule_.answer_window);
    timer_.async_wait([this, generation = generation_](boost::system::error_code error) {
        if (error || generation != generation_) return;
        const auto new_answers = answered_.size() - answered_before_round_;
        if (rounds_done_ > 0)
            spdlog::info("{} of the {} users probed again answered", new_answers, probed_in_round_);
        if (rounds_done_ == schedule_.extra_rounds || (rounds_done_ > 0 && new_answers == 0)) {
            stop();
            return;
        }
        ++rounds_done_;
        answered_before_round_ = answered_.size();
        probed_in_round_ = 0;
        spdlog::info("probing again the registered users who did not answer (round {} of at most {})",
                     rounds_done_, schedule_.extra_rounds);
        probe_page("");
    });
}

void ProbeRounds::probe_page(const std::string& after) {
    if (outbox_.backed_up()) {
        const auto now = std::chrono::steady_clock::now();
        if (backed_up_since_ == std::chrono::steady_clock::time_point{}) backed_up_since_ = now;
        if (now - backed_up_since_ > schedule_.backed_up_limit) return give_up("the link to ejabberd stays backed up");
        timer_.expires_after(schedule_.backed_up_retry);
        timer_.async_wait([this, generation = generation_, after](boost::system::error_code error) {
            if (!error && generation == generation_) probe_page(after);
        });
        return;
    }
    backed_up_since_ = {};
    storage_.submit<std::vector<std::string>>(
        [after, limit = static_cast<int>(schedule_.page_size)](storage::Repositories& repos) {
            return repos.users.jids_after(after, limit);
        },
        [this, generation = generation_](std::optional<std::vector<std::string>> page, std::exception_ptr error) {
            if (generation != generation_) return;
            if (error) return give_up("cannot list the registered users");
            for (const auto& user : *page)
                if (!answered_.contains(user)) {
                    outbox_.probe(user);
                    ++probed_in_round_;
                }
            if (page->size() == schedule_.page_size) probe_page(page->back());
            else await_answers();
        });
}

}  // namespace herald::routing
