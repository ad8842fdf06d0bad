#include "component/router.h"

#include <spdlog/spdlog.h>

#include "storage/storage_worker.h"

namespace herald::component {

struct Router::UserAvatar {
    UserPresence presence;
    Availability announced = Availability::offline;
};

Router::Router(storage::StorageWorker& storage) : storage_(storage) {}
Router::~Router() = default;

void Router::on_presence(const std::string& bare_jid, PresenceUpdate update) {
    if (const auto avatar = avatars_.find(bare_jid); avatar != avatars_.end()) {
        apply(bare_jid, *avatar->second, update);
        return;
    }
    // No avatar and nothing pending: a resource leaving changes nothing.
    auto [pending, first] = awaiting_lookup_.try_emplace(bare_jid);
    pending->second.push_back(std::move(update));
    if (first) look_up(bare_jid);
}

void Router::look_up(const std::string& bare_jid) {
    storage_.submit<bool>(
        [bare_jid](storage::Repositories& repos) { return repos.users.find(bare_jid).has_value(); },
        [this, bare_jid, generation = generation_](std::optional<bool> registered,
                                                   std::exception_ptr error) {
            if (generation != generation_) return;
            auto pending = awaiting_lookup_.extract(bare_jid);
            if (pending.empty()) return;
            if (error || !registered || !*registered) {
                if (error) spdlog::error("presence of {} ignored: storage lookup failed", bare_jid);
                else spdlog::debug("presence of unregistered {} ignored", bare_jid);
                return;
            }
            for (const auto& update : pending.mapped()) {
                auto& avatar = avatars_[bare_jid];
                if (!avatar) avatar = std::make_unique<UserAvatar>();
                apply(bare_jid, *avatar, update);
            }
        });
}

void Router::apply(const std::string& bare_jid, UserAvatar& avatar, const PresenceUpdate& update) {
    if (update.presence) {
        spdlog::debug("presence {}/{}: {} priority {}", bare_jid, update.resource,
                      to_string(update.presence->availability), update.presence->priority);
        avatar.presence.update(update.resource, *update.presence);
    } else {
        spdlog::debug("presence {}/{}: unavailable", bare_jid, update.resource);
        avatar.presence.remove(update.resource);
    }
    const auto state = avatar.presence.state();
    if (state != avatar.announced) {
        spdlog::info("user {} is now {}", bare_jid, to_string(state));
        avatar.announced = state;
    }
    if (!avatar.presence.any_resource()) avatars_.erase(bare_jid);
}

void Router::forget(const std::string& bare_jid) {
    awaiting_lookup_.erase(bare_jid);
    const auto avatar = avatars_.find(bare_jid);
    if (avatar == avatars_.end()) return;
    if (avatar->second->announced != Availability::offline)
        spdlog::info("user {} is now offline", bare_jid);
    avatars_.erase(avatar);
}

void Router::forget_all_presence() {
    ++generation_;
    awaiting_lookup_.clear();
    if (!avatars_.empty()) spdlog::info("presence of {} users is unknown until probed", avatars_.size());
    avatars_.clear();
}

std::optional<Availability> Router::state_of(const std::string& bare_jid) const {
    const auto avatar = avatars_.find(bare_jid);
    if (avatar == avatars_.end()) return std::nullopt;
    return avatar->second->presence.state();
}

std::vector<std::string> Router::online_users() const {
    std::vector<std::string> users;
    users.reserve(avatars_.size());
    for (const auto& entry : avatars_) users.push_back(entry.first);
    return users;
}

}  // namespace herald::component
