#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "tools/herald-send/herald_send_options.h"

namespace herald::ingest {

// The whole herald-send command: parse the arguments (without the program
// name), read the password and the body, publish, report on `out` (the item
// id) and `err`. Returns the exit status (see ExitCode). Call it once per
// process: it initializes libstrophe.
int run_herald_send(const std::vector<std::string>& arguments, const EnvironmentLookup& environment,
                    std::ostream& out, std::ostream& err);

}  // namespace herald::ingest
