#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace herald::component {

// `herald remove-user --config FILE JID`: removes a registered user and all
// that is theirs from the database, offline, by the same rule as XEP-0077
// <remove/> (user_service.h). Nobody is told: the subscribers of their topics
// are not messaged. Exit status (sysexits): 0 removed, 64 usage, 67 no such
// user, 78 configuration unusable, 1 storage failure.
int run_remove_user(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err);

}  // namespace herald::component
