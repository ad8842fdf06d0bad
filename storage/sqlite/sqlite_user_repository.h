#pragma once

#include "storage/sqlite/database.h"
#include "storage/sqlite/statement.h"
#include "storage/user_repository.h"

namespace herald::storage {

class SqliteUserRepository final : public UserRepository {
public:
    explicit SqliteUserRepository(Database& db);

    bool upsert(const User& user) override;
    std::optional<User> find(std::string_view jid) override;
    bool remove(std::string_view jid) override;
    std::vector<std::string> jids_after(std::string_view after, int limit) override;
    std::int64_t count() override;
    Preferences preferences(std::string_view jid) override;
    void save_preferences(std::string_view jid, const Preferences& preferences) override;
    Preferences set_paused(std::string_view jid, bool paused) override;

private:
    Statement insert_;
    Statement update_email_;
    Statement find_;
    Statement remove_;
    Statement page_;
    Statement count_;
    Statement load_preferences_;
    Statement save_preferences_;
    Statement set_paused_;
    sqlite3* db_;
};

}  // namespace herald::storage
