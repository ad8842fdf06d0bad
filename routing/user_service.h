#pragma once

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "routing/settings.h"
#include "routing/user_notices.h"
#include "storage/user_repository.h"

namespace herald::storage {
class StorageWorker;
struct Repositories;
}

namespace herald::routing {

class Router;
class PubsubService;

// Whether the config lets this bare JID register: its domain is listed in
// registration.allowed_domains, or "*" is, or (none listed) it is the
// component's parent domain.
bool registration_allowed(const Settings& config, const std::string& bare_jid);
inline constexpr const char* kRegistrationRefused = "this service does not take registrations from your server";

// A topic that went with its owner, and who was subscribed to it.
struct DeletedTopic {
    std::string node;
    std::vector<std::string> subscribers;
};
// What removing a user leaves others to be told.
struct RemovedUser {
    std::vector<DeletedTopic> topics;
};

// Unregistering, the one rule behind XEP-0077 <remove/>, the ad-hoc command,
// the chat command and `herald admin remove-user`, in two halves so any caller's
// storage job can run it. In the storage job: removes the user and all that is
// theirs (subscriptions and feed follows, queue, history, escalations,
// personal node, the topics they own with their items, every HTTP token they
// made); nullopt when they were not registered.
std::optional<RemovedUser> remove_user(storage::Repositories& repos, const std::string& bare_jid);
// Once committed, on the io thread: the router forgets them, the subscribers
// of their topics are told the topics are gone, and their server learns we
// are gone (unavailable, unsubscribe, unsubscribed).
void after_user_removed(UserNotices& notices, Router& router, const std::string& bare_jid,
                        const RemovedUser& removed);

// Registering and removing users: the one place for those rules, called by
// XEP-0077 and by presence subscriptions.
class UserService {
public:
    UserService(storage::StorageWorker& storage, UserNotices& notices, Router& router,
                const PubsubService& pubsub, const Settings& config);

    // Idempotent; afterwards asks the user to approve our presence
    // subscription. `done` runs before those stanzas go out.
    void register_user(const std::string& bare_jid, std::optional<std::string> email,
                       std::function<void(std::exception_ptr)> done);
    // Removes the user and all that is theirs; tells their server we are gone.
    bool may_register(const std::string& bare_jid) const { return registration_allowed(config_, bare_jid); }
    void unregister_user(const std::string& bare_jid,
                         std::function<void(bool removed, std::exception_ptr)> done);
    void find_user(const std::string& bare_jid,
                   std::function<void(std::optional<storage::User>, std::exception_ptr)> done);

    const std::string& component_jid() const { return config_.component.jid; }

private:
    storage::StorageWorker& storage_;
    UserNotices& notices_;
    Router& router_;
    const PubsubService& pubsub_;
    const Settings& config_;
};

}  // namespace herald::routing
