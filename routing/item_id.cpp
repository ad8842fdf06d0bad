#include "routing/item_id.h"

#include <random>

namespace herald::routing {

std::string random_item_id() {
    thread_local std::mt19937_64 random{std::random_device{}()};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id;
    auto value = random();
    for (int i = 0; i < 16; ++i, value >>= 4) id += kHex[value & 0xf];
    return id;
}

}  // namespace herald::routing
