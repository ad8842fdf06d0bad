#include "storage/item_columns.h"

namespace herald::storage {

std::string with_item_columns(const std::string& before, const std::string& after) {
    return before +
           "i.item_id, i.node, i.publisher, i.payload, i.title, i.body, i.link, i.priority, "
           "i.published_ms, i.expires_ms" +
           after;
}

Item read_item(const Statement& row, int c) {
    Item item;
    item.item_id = row.column_text(c);
    item.node = row.column_text(c + 1);
    item.publisher = row.column_text(c + 2);
    item.payload = row.column_text(c + 3);
    item.title = row.column_text(c + 4);
    item.body = row.column_text(c + 5);
    item.link = row.column_text(c + 6);
    item.priority = static_cast<int>(row.column_int(c + 7));
    item.published_ms = row.column_int(c + 8);
    if (row.column_optional_text(c + 9)) item.expires_ms = row.column_int(c + 9);
    return item;
}

}  // namespace herald::storage
