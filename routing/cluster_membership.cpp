#include "routing/cluster_membership.h"

#include <spdlog/spdlog.h>

#include <optional>

#include "storage/storage_worker.h"
#include "text/clock.h"

namespace herald::routing {

using herald::text::now_ms;

struct ClusterMembership::Beat {
    bool leads = false;
    std::int64_t released = 0;
    std::optional<storage::SilentInstance> replaced;
};

ClusterMembership::ClusterMembership(boost::asio::io_context& io, storage::StorageWorker& storage,
                                     const ClusterSettings& settings, SharedWork& shared_work, Events events)
    : storage_(storage), settings_(settings), shared_work_(shared_work), events_(std::move(events)), timer_(io) {
    shared_work_.set_ours(false);  // until the lock says so
}

void ClusterMembership::start() {
    last_rescan_ = std::chrono::steady_clock::now();
    storage_.submit<bool>(
        [standby = settings_.standby](storage::Repositories& repos) { return repos.instances.join(standby, now_ms()); },
        [this](std::optional<bool> serving, std::exception_ptr error) {
            if (error || !serving) {
                spdlog::error("cluster: cannot record instance {} as started; trying again", settings_.instance);
                timer_.run_after(std::chrono::seconds(settings_.heartbeat_seconds), [this] { start(); });
                return;
            }
            serving_ = *serving;
            if (serving_) spdlog::info("cluster: instance {} serving", settings_.instance);
            else spdlog::info("cluster: instance {} standing by", settings_.instance);
            beat();
        });
}

void ClusterMembership::stop() {
    timer_.stop();
    lead(false);
}

void ClusterMembership::beat() {
    if (beating_ || timer_.stopped()) return;
    beating_ = true;
    storage_.submit<Beat>(
        [serving = serving_](storage::Repositories& repos) {
            const auto now = now_ms();
            Beat beat;
            repos.instances.heartbeat(serving, now);
            beat.leads = repos.instances.lead();
            beat.released = repos.instances.release_silent(now);
            if (!serving) beat.replaced = repos.instances.take_over(now);
            return beat;
        },
        [this](std::optional<Beat> heard, std::exception_ptr error) {
            beating_ = false;
            // Unheard, the lock may be lost with the connection: not ours to do.
            if (error || !heard) {
                spdlog::warn("cluster: heartbeat of {} not recorded", settings_.instance);
                lead(false);
            } else {
                beaten(*heard);
            }
            timer_.run_after(std::chrono::seconds(settings_.heartbeat_seconds), [this] { beat(); });
        });
}

void ClusterMembership::beaten(const Beat& beat) {
    lead(beat.leads);
    if (beat.released > 0)
        spdlog::info("cluster: {} users of silent instances count as away since those were last seen", beat.released);
    if (beat.replaced) {
        serving_ = true;
        spdlog::info("cluster: instance {} silent for {} s; {} takes its place", beat.replaced->name,
                     (now_ms() - beat.replaced->last_seen_ms) / 1000, settings_.instance);
        if (events_.took_place) events_.took_place(beat.replaced->name);
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - last_rescan_ >= std::chrono::seconds(settings_.rescan_seconds)) {
        last_rescan_ = now;
        if (events_.rescan) events_.rescan();
    }
}

void ClusterMembership::lead(bool leading) {
    if (leading == shared_work_.ours()) return;
    shared_work_.set_ours(leading);
    if (leading) {
        spdlog::info("cluster: {} leads the shared work", settings_.instance);
        if (events_.began_leading) events_.began_leading();
    } else spdlog::info("cluster: {} no longer leads the shared work", settings_.instance);
}

}  // namespace herald::routing
