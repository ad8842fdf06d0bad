#include "routing/retention.h"

#include <spdlog/spdlog.h>

#include "storage/storage_worker.h"
#include "text/clock.h"

namespace herald::routing {

using herald::text::now_ms;

namespace {

constexpr std::int64_t kDayMs = 24 * 3600 * 1000LL;
constexpr int kUsersPerStep = 50;

using Stage = Retention::Progress::Stage;

// One storage job: at most `batch_rows` rows, then where the pass is.
Retention::Progress prune_some(storage::Repositories& repos, Retention::Progress at, const RetentionSettings& keep,
                               std::int64_t now_ms) {
    const int budget = keep.batch_rows;
    switch (at.stage) {
        case Stage::aged: {
            const auto before = now_ms - keep.history_days * kDayMs;
            const auto history = repos.queue.prune_history(before, budget);
            const auto escalations = repos.escalations.prune_settled(before, budget);
            at.removed += history + escalations;
            if (history < budget && escalations < budget) at.stage = Stage::per_user;
            break;
        }
        case Stage::per_user: {
            int left = budget;
            const auto users = repos.users.jids_after(at.last_user, kUsersPerStep);
            for (const auto& user : users) {
                const auto removed = repos.queue.trim_history(user, keep.history_per_user, left);
                at.removed += removed;
                left -= static_cast<int>(removed);
                if (left <= 0) return at;  // this user again next step: they may have more
                at.last_user = user;
            }
            if (users.size() < static_cast<std::size_t>(kUsersPerStep)) at.stage = Stage::items;
            break;
        }
        case Stage::items: {
            at.removed += repos.queue.prune_items(at.last_seq, keep.items_per_topic, budget);
            at.last_seq += budget;
            if (at.last_seq >= repos.queue.last_seq()) at.stage = Stage::done;
            break;
        }
        case Stage::done:
            break;
    }
    return at;
}

}  // namespace

Retention::Retention(boost::asio::io_context& io, storage::StorageWorker& storage, const RetentionSettings& settings,
                     const SharedWork& shared_work)
    : io_(io), storage_(storage), settings_(settings), shared_work_(shared_work), timer_(io) {}

void Retention::start() { schedule(std::chrono::milliseconds(0)); }

void Retention::stop() {
    timer_.stop();
}

void Retention::schedule(std::chrono::milliseconds delay) {
    timer_.run_after(delay, [this] { step(); });
}

void Retention::step() {
    if (!shared_work_.ours()) {
        progress_ = {};
        schedule(std::chrono::seconds(settings_.check_seconds));
        return;
    }
    storage_.submit<Progress>(
        [at = progress_, keep = settings_, now = now_ms()](storage::Repositories& repos) {
            return prune_some(repos, at, keep, now);
        },
        [this](std::optional<Progress> next, std::exception_ptr error) {
            if (timer_.stopped()) return;
            if (error || !next) {
                spdlog::error("retention: pruning failed; the pass starts again in {} s", settings_.check_seconds);
                progress_ = {};
                schedule(std::chrono::seconds(settings_.check_seconds));
                return;
            }
            progress_ = *next;
            if (progress_.stage != Stage::done) {
                schedule(std::chrono::milliseconds(0));
                return;
            }
            if (progress_.removed > 0) spdlog::info("retention: {} old rows deleted", progress_.removed);
            if (observer_) observer_(progress_.removed);
            progress_ = {};
            schedule(std::chrono::seconds(settings_.check_seconds));
        });
}

}  // namespace herald::routing
