#pragma once

#include <cstdint>
#include <string>

#include "storage/instance_repository.h"
#include "storage/postgresql/connection.h"

namespace herald::storage {

// Who this instance is among those sharing the database: its name (empty
// for the only one) and how long another may be silent before it is dead.
struct InstanceIdentity {
    std::string name;
    std::int64_t dead_after_ms = 10000;
};

class PostgresqlInstanceRepository final : public InstanceRepository {
public:
    PostgresqlInstanceRepository(pg::Connection& connection, InstanceIdentity identity);

    bool join(bool standby, std::int64_t now_ms) override;
    void heartbeat(bool serving, std::int64_t now_ms) override;
    bool lead() override;
    std::int64_t release_silent(std::int64_t now_ms) override;
    std::optional<SilentInstance> take_over(std::int64_t now_ms) override;
    std::vector<InstanceRecord> instances() override;

private:
    const InstanceIdentity identity_;
    pg::Statement replaced_by_living_, record_start_, heartbeat_, lead_, release_silent_, mark_replaced_, serve_,
        list_;
};

}  // namespace herald::storage
