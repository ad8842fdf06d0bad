#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/queue_changes.h"

namespace herald::storage::pg {

// The channel instances sharing a database tell each other of new queue rows on.
inline constexpr const char* kQueueChannel = "herald_queue";

// Items given queue rows in the transaction under way, told to the other
// instances when it commits.
struct QueuedInTransaction {
    std::vector<std::int64_t> items;
    // Several instances write (see PostgresqlBackend::begin).
    bool shared = false;
};

// The payload of a notification (at most ~8000 bytes): the instance's
// name, then the items, or "*" when they would not fit.
std::string queue_notice(std::string_view instance, const std::vector<std::int64_t>& items);
// What a notice says, or nullopt when it is the reader's own (`instance`).
std::optional<QueueChange> read_queue_notice(std::string_view payload, std::string_view instance);

}  // namespace herald::storage::pg
