#pragma once

#include <chrono>
#include <cstdint>

namespace herald::component {

// Wall-clock time in milliseconds since the epoch: what items and history
// are stamped with.
inline std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace herald::component
