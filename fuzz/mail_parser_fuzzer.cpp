// Raw bytes as a mail piped in by an MTA: parse_mail must answer a
// notification or an error, never crash or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/mail_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)herald::ingest::parse_mail(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
