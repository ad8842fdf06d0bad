#pragma once

#include <string>

#include "storage/pubsub_records.h"
#include "storage/sqlite/statement.h"

namespace herald::storage {

// The columns of an item (table alias `i`), in the order read_item reads them.
std::string with_item_columns(const std::string& before, const std::string& after);
Item read_item(const Statement& row, int first_column);

}  // namespace herald::storage
