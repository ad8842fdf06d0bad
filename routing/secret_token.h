#pragma once

#include <string>

namespace herald::routing {

// 32 random bytes from the system's CSPRNG, as 64 hex digits.
std::string new_secret_token();
// SHA-256 of the token, hex: what is stored instead of the token.
std::string token_digest(const std::string& token);

}  // namespace herald::routing
