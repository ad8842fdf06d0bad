#include "text/jid.h"

#include <algorithm>
#include <cctype>

namespace herald::text {

std::string bare_jid(std::string_view jid) {
    std::string bare(jid.substr(0, jid.find('/')));
    std::transform(bare.begin(), bare.end(), bare.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return bare;
}

std::string resource_of(std::string_view jid) {
    const auto slash = jid.find('/');
    return slash == std::string_view::npos ? std::string() : std::string(jid.substr(slash + 1));
}

bool is_user_jid(std::string_view jid) {
    const auto bare = jid.substr(0, jid.find('/'));
    const auto at = bare.find('@');
    return at != std::string_view::npos && at > 0 && at + 1 < bare.size();
}

}  // namespace herald::text
