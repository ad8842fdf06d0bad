#pragma once

#include <string>

#include "storage/item_columns.h"
#include "storage/pubsub_records.h"
#include "storage/sqlite/statement.h"

namespace herald::storage {

// An item read from the columns of with_item_columns, from `first_column` on.
Item read_item(const Statement& row, int first_column);

}  // namespace herald::storage
