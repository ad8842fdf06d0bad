#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace herald::ingest {

// Seconds since the epoch for the dates feeds carry: RFC 822/1123 as RSS
// writes them ("Tue, 24 Nov 2026 05:00:00 GMT", "+0100", "EST", two-digit
// years, no seconds) and RFC 3339 as Atom and Dublin Core write them
// ("2026-11-24T05:00:00.5+01:00", a bare date). nullopt when unreadable.
std::optional<std::int64_t> parse_feed_date(std::string_view text);

}  // namespace herald::ingest
