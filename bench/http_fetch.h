#pragma once

// One blocking HTTP request on loopback (libcurl): herald's /metrics,
// ejabberd's HTTP API.

#include <optional>
#include <string>

namespace herald::bench {

// GET when post_json is empty, else POST it as application/json. The body on
// a 2xx answer, nullopt otherwise.
std::optional<std::string> http_fetch(const std::string& url, const std::string& post_json = {});

}  // namespace herald::bench
