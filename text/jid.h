#pragma once

#include <string>
#include <string_view>

namespace herald::text {

// user@domain/resource -> user@domain, lower-cased (the ASCII part of
// nodeprep/nameprep; servers hand us normalised JIDs).
std::string bare_jid(std::string_view jid);
// user@domain/resource -> resource; empty when there is none.
std::string resource_of(std::string_view jid);
// A user JID has a local part and a domain.
bool is_user_jid(std::string_view jid);

}  // namespace herald::text
