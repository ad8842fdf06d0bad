#pragma once

#include <string>

namespace herald::routing {

// An item id for a publish that names none: 16 random hex digits.
std::string random_item_id();

}  // namespace herald::routing
