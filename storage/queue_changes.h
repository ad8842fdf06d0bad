#pragma once

#include <cstdint>
#include <vector>

namespace herald::storage {

// Queue rows another instance sharing the database committed: for these
// items, or for anything (`everything`: after a gap in listening, or too
// many items to name).
struct QueueChange {
    std::vector<std::int64_t> items;
    bool everything = false;
};

// Listens for QueueChanges while it lives.
class QueueChangeFeed {
public:
    virtual ~QueueChangeFeed() = default;
};

}  // namespace herald::storage
