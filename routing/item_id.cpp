#include "routing/item_id.h"

#include <array>
#include <random>

#include "text/hex.h"

namespace herald::routing {

std::string random_item_id() {
    thread_local std::mt19937_64 random{std::random_device{}()};
    std::array<unsigned char, 8> bytes{};
    auto value = random();
    for (auto& byte : bytes) {
        byte = static_cast<unsigned char>(value & 0xff);
        value >>= 8;
    }
    return text::hex_lower(bytes.data(), bytes.size());
}

}  // namespace herald::routing
