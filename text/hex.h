#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace herald::text {

// Bytes as lower-case hex, two digits each (digests, tokens).
std::string hex_lower(std::string_view bytes);
std::string hex_lower(const unsigned char* bytes, std::size_t size);

// One byte as two upper-case hex digits after `escape`: "%2F", "=3D".
std::string escaped_byte(char escape, unsigned char byte);

// The value of one hex digit of either case, or -1.
int hex_value(char digit);

}  // namespace herald::text
