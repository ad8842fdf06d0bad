#pragma once

#include <exception>
#include <functional>
#include <optional>
#include <string>

#include "component/config.h"
#include "component/stanza_sender.h"
#include "storage/user_repository.h"

namespace herald::storage {
class StorageWorker;
}

namespace herald::component {

class Router;
class PubsubService;

XmlElement presence_stanza(const std::string& from, const std::string& to,
                           const std::string& type = {});

// Registering and removing users: the one place for those rules, called by
// XEP-0077, by presence subscriptions and later by ad-hoc commands.
class UserService {
public:
    UserService(storage::StorageWorker& storage, StanzaSender& sender, Router& router,
                const PubsubService& pubsub, const Config& config);

    // Idempotent; afterwards asks the user to approve our presence
    // subscription. `done` runs before those stanzas go out.
    void register_user(const std::string& bare_jid, std::optional<std::string> email,
                       std::function<void(std::exception_ptr)> done);
    // Removes the user and all that is theirs; tells their server we are gone.
    void unregister_user(const std::string& bare_jid,
                         std::function<void(bool removed, std::exception_ptr)> done);
    void find_user(const std::string& bare_jid,
                   std::function<void(std::optional<storage::User>, std::exception_ptr)> done);

    const std::string& component_jid() const { return config_.component_jid; }

private:
    storage::StorageWorker& storage_;
    StanzaSender& sender_;
    Router& router_;
    const PubsubService& pubsub_;
    const Config& config_;
};

}  // namespace herald::component
