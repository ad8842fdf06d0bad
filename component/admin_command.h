#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace herald::component {

// `herald admin --config FILE COMMAND [ARGUMENTS] [--json]`: the operator's
// commands on the configured database, in the spirit of ejabberdctl (list,
// show and remove users; topics; queues; set-aside deliveries; statistics;
// online backup and its check). Safe while herald runs: SQLite in WAL mode,
// writes wait their turn. Plain text by default, JSON with --json. Exit
// status per sysexits (tools/exit_code.h). `arguments` follow "admin".
int run_admin(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err);

}  // namespace herald::component
