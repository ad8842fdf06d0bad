#pragma once

#include <string>

#include "storage/item_columns.h"
#include "storage/postgresql/connection.h"
#include "storage/pubsub_records.h"

namespace herald::storage::pg {

// An item read from the columns of with_item_columns, from `first_column` on.
Item read_item(const Result& rows, int row, int first_column);

}  // namespace herald::storage::pg
