#pragma once

#include <spdlog/spdlog.h>

#include <cstdlib>

namespace herald::fuzz {

// Fuzz targets log nothing unless HERALD_FUZZ_LOG names a level (trace,
// debug...), which helps when reading what one input did.
class SilentLogs {
public:
    SilentLogs() {
        const char* level = std::getenv("HERALD_FUZZ_LOG");
        spdlog::set_level(level ? spdlog::level::from_str(level) : spdlog::level::off);
    }
};

}  // namespace herald::fuzz
