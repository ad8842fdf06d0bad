#include "storage/sqlite/item_columns.h"

namespace herald::storage {

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
    item.ack_required = row.column_int(c + 10) != 0;
    if (row.column_optional_text(c + 11)) item.renotify_seconds = row.column_int(c + 11);
    item.ack_callback = row.column_optional_text(c + 12);
    item.callback_key = row.column_optional_text(c + 13);
    item.ack_reply_to = row.column_optional_text(c + 14);
    item.acknowledged_by = row.column_optional_text(c + 15);
    if (row.column_optional_text(c + 16)) item.acknowledged_ms = row.column_int(c + 16);
    return item;
}

}  // namespace herald::storage
