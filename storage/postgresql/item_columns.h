#pragma once

#include <string>

#include "storage/postgresql/connection.h"
#include "storage/pubsub_records.h"

namespace herald::storage::pg {

// The columns of an item (table alias `i`), in the order read_item reads them.
std::string with_pg_item_columns(const std::string& before, const std::string& after);
Item read_item(const Result& rows, int row, int first_column);

}  // namespace herald::storage::pg
