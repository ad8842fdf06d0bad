#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/pubsub_records.h"

namespace herald::storage {

struct User {
    std::string jid;  // bare JID
    std::optional<std::string> email;
    std::int64_t registered_at = 0;  // unix seconds
};

// Registered users. Speaks in domain terms; no SQL above storage/.
class UserRepository {
public:
    virtual ~UserRepository() = default;

    // Registers or updates; true when the user is new.
    virtual bool upsert(const User& user) = 0;
    virtual std::optional<User> find(std::string_view jid) = 0;
    // True when a user was removed.
    virtual bool remove(std::string_view jid) = 0;
    // Bare JIDs in order, strictly after `after`, at most `limit`: for paging
    // through every user without holding them all in memory.
    virtual std::vector<std::string> jids_after(std::string_view after, int limit) = 0;
    virtual std::int64_t count() = 0;

    // Defaults when the user never chose.
    virtual Preferences preferences(std::string_view jid) = 0;
    virtual void save_preferences(std::string_view jid, const Preferences& preferences) = 0;
    // Pauses or resumes, leaving the other preferences as they are; returns
    // the preferences now.
    virtual Preferences set_paused(std::string_view jid, bool paused) = 0;
};

}  // namespace herald::storage
