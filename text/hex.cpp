#include "text/hex.h"

namespace herald::text {
namespace {

constexpr char kLowerDigits[] = "0123456789abcdef";
constexpr char kUpperDigits[] = "0123456789ABCDEF";

}  // namespace

std::string hex_lower(const unsigned char* bytes, std::size_t size) {
    std::string text;
    text.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        text += kLowerDigits[bytes[i] >> 4];
        text += kLowerDigits[bytes[i] & 0xf];
    }
    return text;
}

std::string hex_lower(std::string_view bytes) {
    return hex_lower(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

std::string escaped_byte(char escape, unsigned char byte) {
    return {escape, kUpperDigits[byte >> 4], kUpperDigits[byte & 0xf]};
}

int hex_value(char digit) {
    if (digit >= '0' && digit <= '9') return digit - '0';
    if (digit >= 'a' && digit <= 'f') return digit - 'a' + 10;
    if (digit >= 'A' && digit <= 'F') return digit - 'A' + 10;
    return -1;
}

}  // namespace herald::text
