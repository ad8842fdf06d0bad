#pragma once

#include "storage/instance_repository.h"

namespace herald::storage {

// SQLite is one instance's database: it serves (unless asked to stand by,
// which has nobody to stand in for), leads, and never sees anyone silent.
class SqliteInstanceRepository final : public InstanceRepository {
public:
    bool join(bool standby, std::int64_t) override { return !standby; }
    void heartbeat(bool, std::int64_t) override {}
    bool lead() override { return true; }
    std::int64_t release_silent(std::int64_t) override { return 0; }
    std::optional<SilentInstance> take_over(std::int64_t) override { return std::nullopt; }
    std::vector<InstanceRecord> instances() override { return {}; }
};

}  // namespace herald::storage
