#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "component/user_presence.h"

namespace herald::storage {
class StorageWorker;
}

namespace herald::component {

struct PresenceUpdate {
    std::string resource;
    std::optional<ResourcePresence> presence;  // empty: the resource went away
};

// Owns the user avatars: the in-memory state of users who are online. An
// avatar is made when a registered user's first resource appears and dropped
// when the last one goes, so registered-but-offline users cost no memory.
// Whether a sender is registered is asked of storage once per avatar; updates
// that arrive meanwhile wait, in order, for the answer.
class Router {
public:
    explicit Router(storage::StorageWorker& storage);
    ~Router();

    void on_presence(const std::string& bare_jid, PresenceUpdate update);
    // The user withdrew our presence subscription or unregistered.
    void forget(const std::string& bare_jid);
    // The link to the server is gone: every presence we knew is stale.
    void forget_all_presence();

    std::optional<Availability> state_of(const std::string& bare_jid) const;
    std::vector<std::string> online_users() const;
    std::size_t avatar_count() const { return avatars_.size(); }

private:
    struct UserAvatar;
    void apply(const std::string& bare_jid, UserAvatar& avatar, const PresenceUpdate& update);
    void look_up(const std::string& bare_jid);

    storage::StorageWorker& storage_;
    std::unordered_map<std::string, std::unique_ptr<UserAvatar>> avatars_;
    std::unordered_map<std::string, std::vector<PresenceUpdate>> awaiting_lookup_;
    // Bumped by forget_all_presence so lookups begun before it are discarded.
    std::uint64_t generation_ = 0;
};

}  // namespace herald::component
