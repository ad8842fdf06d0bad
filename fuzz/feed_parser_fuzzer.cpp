// Raw bytes as a fetched feed document: parse_feed must answer a feed or an
// error, never crash, leak or expand entities.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/feed_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)herald::ingest::parse_feed(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
