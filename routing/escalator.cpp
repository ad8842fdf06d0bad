#include "routing/escalator.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "routing/quiet_hours.h"
#include "routing/secret_token.h"
#include "storage/storage_worker.h"
#include "text/clock.h"

namespace herald::routing {

using herald::text::now_ms;

namespace {

// What another writer moved to sending first is not this round's to send.
void keep_only(storage::EscalationBatch& batch, const std::vector<std::int64_t>& taken) {
    std::vector<std::int64_t> seqs;
    std::vector<storage::Item> items;
    for (std::size_t i = 0; i < batch.seqs.size(); ++i)
        if (std::find(taken.begin(), taken.end(), batch.seqs[i]) != taken.end()) {
            seqs.push_back(batch.seqs[i]);
            items.push_back(std::move(batch.items[i]));
        }
    batch.seqs = std::move(seqs);
    batch.items = std::move(items);
}

constexpr int kUrgentPriority = 3;
// Claiming goes round the users away, this many per storage job, claiming
// at most one batch's worth of items from each.
constexpr int kUsersPerRound = 200;
constexpr std::int64_t kMaxRetryMs = 3600 * 1000;

bool present(Availability state) { return state == Availability::available || state == Availability::chat; }

}  // namespace

struct Escalator::Round {
    std::int64_t canceled = 0;
    std::int64_t claimed = 0;
    std::string last_user;  // where the next round's claiming starts; empty: from the first
    std::vector<storage::EscalationBatch> batches;
};

Escalator::Escalator(boost::asio::io_context& io, storage::StorageWorker& storage, Metrics& metrics,
                     const EscalationSettings& settings, Agents agents, const SharedWork& shared_work)
    : io_(io),
      storage_(storage),
      metrics_(metrics),
      settings_(settings),
      agents_(std::move(agents)),
      shared_work_(shared_work),
      timer_(io) {}

void Escalator::on_connected() {
    const auto now = now_ms();
    not_before_ms_ = now + settings_.startup_grace_seconds * 1000;
    storage_.submit([now](storage::Repositories& repos) { repos.escalations.mark_unknown_away(now); },
                    [](std::exception_ptr error) {
                        if (error) spdlog::error("escalation: cannot record who is away after connecting");
                    });
    schedule(std::chrono::seconds(settings_.startup_grace_seconds));
}

void Escalator::on_state(const std::string& bare_jid, Availability state) {
    const auto now = now_ms();
    storage_.submit(
        [bare_jid, back = present(state), now](storage::Repositories& repos) {
            if (back) repos.escalations.mark_present(bare_jid);
            else repos.escalations.mark_away(bare_jid, now);
        },
        [bare_jid](std::exception_ptr error) {
            if (error) spdlog::error("escalation: cannot record the presence of {}", bare_jid);
        });
}

void Escalator::stop() {
    timer_.stop();
}

void Escalator::schedule(std::chrono::milliseconds delay) {
    timer_.run_after(delay, [this] { check(); });
}

void Escalator::check() {
    const auto now = now_ms();
    if (checking_ || timer_.stopped()) return;
    if (now < not_before_ms_) {
        schedule(std::chrono::milliseconds(not_before_ms_ - now));
        return;
    }
    if (!shared_work_.ours()) {
        schedule(std::chrono::seconds(settings_.check_seconds));
        return;
    }
    checking_ = true;
    const auto unit_ms = static_cast<std::int64_t>(settings_.delay_unit_seconds * 1000);
    storage_.submit<Round>(
        [now, unit_ms, busy = in_flight_, max_items = settings_.digest_max_items,
         after = claim_cursor_](storage::Repositories& repos) {
            Round round;
            round.canceled = repos.escalations.cancel_stale();
            const auto users = repos.escalations.escalating_users(after, kUsersPerRound);
            for (const auto& user : users) {
                const int min_priority =
                    in_quiet_hours(user.quiet_start, user.quiet_end, user.quiet_zone, now) ? kUrgentPriority : 0;
                for (const auto& candidate : repos.escalations.due(user.jid, now, unit_ms, min_priority, max_items)) {
                    repos.escalations.claim(candidate, now);
                    ++round.claimed;
                }
            }
            if (users.size() == static_cast<std::size_t>(kUsersPerRound)) round.last_user = users.back().jid;
            for (auto& batch : repos.escalations.ready(now, busy, max_items)) {
                if (escalation_channel_named(batch.channel) == EscalationChannel::webhook && !batch.webhook_secret)
                    batch.webhook_secret = repos.escalations.webhook_secret(batch.user, new_secret_token());
                // Committed before any agent is called (completions run after the commit).
                keep_only(batch, repos.escalations.sending(batch.user, batch.seqs, now));
                if (!batch.seqs.empty()) round.batches.push_back(std::move(batch));
            }
            return round;
        },
        [this](std::optional<Round> round, std::exception_ptr error) {
            checking_ = false;
            if (error || !round) {
                schedule(std::chrono::seconds(settings_.check_seconds));
                spdlog::error("escalation: storage check failed; trying again in {} s", settings_.check_seconds);
                return;
            }
            // More users to go round: the next round at once, in a job of its own.
            claim_cursor_ = round->last_user;
            if (claim_cursor_.empty()) schedule(std::chrono::seconds(settings_.check_seconds));
            else schedule(std::chrono::milliseconds(0));
            if (round->claimed || round->canceled)
                spdlog::debug("escalation: {} items due, {} claims canceled", round->claimed, round->canceled);
            for (const auto& batch : round->batches) escalate(batch);
        });
}

void Escalator::escalate(const storage::EscalationBatch& batch) {
    in_flight_.insert(batch.user);
    const auto channel = escalation_channel_named(batch.channel);
    const auto agent = channel ? agents_.find(*channel) : agents_.end();
    if (agent == agents_.end()) {
        record(batch, AgentOutcome::give_up("no agent for channel '" + batch.channel + "'"));
        return;
    }
    agent->second->send(batch, [this, batch](AgentOutcome outcome) { record(batch, outcome); });
}

void Escalator::record(const storage::EscalationBatch& batch, const AgentOutcome& outcome) {
    const auto now = now_ms();
    std::optional<std::int64_t> retry_at;
    if (!outcome.sent && !outcome.permanent && batch.attempts + 1 < settings_.max_attempts)
        retry_at = now + std::min(kMaxRetryMs, settings_.retry_seconds * 1000 << std::min(batch.attempts, 20));
    const char* result = outcome.sent ? "sent" : retry_at ? "retried" : "failed";
    if (outcome.sent)
        spdlog::info("escalated {} notification(s) for {} by {}", batch.items.size(), batch.user, batch.channel);
    else
        spdlog::warn("escalation by {} for {} {}: {}", batch.channel, batch.user,
                     retry_at ? "will be retried" : "failed for good", outcome.error);
    metrics_.escalation(batch.channel, result);
    storage_.submit(
        [batch, now, retry_at, sent = outcome.sent](storage::Repositories& repos) {
            if (sent) repos.escalations.sent(batch.user, batch.seqs, now);
            else repos.escalations.failed(batch.user, batch.seqs, now, retry_at);
        },
        [this, user = batch.user](std::exception_ptr error) {
            in_flight_.erase(user);
            if (error) spdlog::error("escalation: cannot record the outcome for {}", user);
        });
}

}  // namespace herald::routing
