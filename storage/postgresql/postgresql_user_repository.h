#pragma once

#include "storage/postgresql/connection.h"
#include "storage/user_repository.h"

namespace herald::storage {

class PostgresqlUserRepository final : public UserRepository {
public:
    explicit PostgresqlUserRepository(pg::Connection& connection);

    bool upsert(const User& user) override;
    std::optional<User> find(std::string_view jid) override;
    bool remove(std::string_view jid) override;
    std::vector<std::string> jids_after(std::string_view after, int limit) override;
    std::int64_t count() override;
    Preferences preferences(std::string_view jid) override;
    void save_preferences(std::string_view jid, const Preferences& preferences) override;
    Preferences set_paused(std::string_view jid, bool paused) override;

private:
    pg::Statement insert_, update_email_, find_, remove_, page_, count_, load_preferences_, save_preferences_,
        set_paused_;
};

}  // namespace herald::storage
