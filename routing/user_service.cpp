#include "routing/user_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "routing/pubsub_service.h"
#include "routing/router.h"
#include "storage/storage_worker.h"

namespace herald::routing {

bool registration_allowed(const Settings& config, const std::string& bare_jid) {
    const auto at = bare_jid.find('@');
    const auto domain = at == std::string::npos ? bare_jid : bare_jid.substr(at + 1);
    if (config.registration.allowed_domains.empty()) {
        const auto dot = config.component.jid.find('.');
        return domain == (dot == std::string::npos ? config.component.jid : config.component.jid.substr(dot + 1));
    }
    const auto& allowed = config.registration.allowed_domains;
    return std::find(allowed.begin(), allowed.end(), "*") != allowed.end() ||
           std::find(allowed.begin(), allowed.end(), domain) != allowed.end();
}

std::optional<RemovedUser> remove_user(storage::Repositories& repos, const std::string& bare_jid) {
    if (!repos.users.remove(bare_jid)) return std::nullopt;
    RemovedUser removed;
    for (auto& node : repos.nodes.remove_owned_by(bare_jid)) {
        std::erase(node.subscribers, bare_jid);
        removed.topics.push_back({std::move(node.name), std::move(node.subscribers)});
    }
    repos.tokens.revoke_created_by(bare_jid);
    repos.escalations.remove_user(bare_jid);
    repos.nodes.remove_user(bare_jid);
    return removed;
}

void after_user_removed(UserNotices& notices, Router& router, const std::string& bare_jid,
                        const RemovedUser& removed) {
    spdlog::info("unregistered {}, deleting their {} topics", bare_jid, removed.topics.size());
    router.forget(bare_jid);
    for (const auto& topic : removed.topics) notices.topic_deleted(topic.node, topic.subscribers);
    notices.say_goodbye(bare_jid);
}

UserService::UserService(storage::StorageWorker& storage, UserNotices& notices, Router& router,
                         const PubsubService& pubsub, const Settings& config)
    : storage_(storage), notices_(notices), router_(router), pubsub_(pubsub), config_(config) {}

void UserService::register_user(const std::string& bare_jid, std::optional<std::string> email,
                                std::function<void(std::exception_ptr)> done) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    storage::User user{bare_jid, std::move(email), now};
    storage_.submit<bool>(
        [this, user](storage::Repositories& repos) {
            const bool is_new = repos.users.upsert(user);
            pubsub_.create_inbox(repos, user.jid);
            return is_new;
        },
        [this, bare_jid, done = std::move(done)](std::optional<bool> is_new, std::exception_ptr error) {
            done(error);
            if (error) return;
            if (*is_new) spdlog::info("registered {}", bare_jid);
            notices_.ask_presence(bare_jid);
        });
}

void UserService::unregister_user(const std::string& bare_jid,
                                  std::function<void(bool, std::exception_ptr)> done) {
    storage_.submit<std::optional<RemovedUser>>(
        [bare_jid](storage::Repositories& repos) { return remove_user(repos, bare_jid); },
        [this, bare_jid, done = std::move(done)](std::optional<std::optional<RemovedUser>> removed,
                                                 std::exception_ptr error) {
            const bool was_registered = removed && *removed;
            done(was_registered, error);
            if (error || !was_registered) return;
            after_user_removed(notices_, router_, bare_jid, **removed);
        });
}

void UserService::find_user(
    const std::string& bare_jid,
    std::function<void(std::optional<storage::User>, std::exception_ptr)> done) {
    storage_.submit<std::optional<storage::User>>(
        [bare_jid](storage::Repositories& repos) { return repos.users.find(bare_jid); },
        [done = std::move(done)](std::optional<std::optional<storage::User>> user,
                                 std::exception_ptr error) {
            done(user ? std::move(*user) : std::nullopt, error);
        });
}

}  // namespace herald::routing
