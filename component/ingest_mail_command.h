#pragma once

#include <string>
#include <vector>

namespace herald::component {

// `herald ingest-mail ...` (arguments after the subcommand): reads the
// daemon's configuration for the HTTP API's address and limits, then hands
// stdin to ingest::MailIngest. Returns the process's exit status.
int run_ingest_mail(const std::vector<std::string>& arguments);

}  // namespace herald::component
