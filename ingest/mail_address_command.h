#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace herald::ingest {

// `herald mail-address --topic NODE --domain DOMAIN < TOKEN`: prints the
// address that publishes to NODE by mail. The token is read from stdin (its
// first line), never from the command line. Returns the exit status.
int run_mail_address(const std::vector<std::string>& arguments, std::istream& in, std::ostream& out,
                     std::ostream& err);

}  // namespace herald::ingest
