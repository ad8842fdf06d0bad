#include "storage/postgresql/item_columns.h"

namespace herald::storage::pg {

Item read_item(const Result& rows, int row, int c) {
    Item item;
    item.item_id = rows.text(row, c);
    item.node = rows.text(row, c + 1);
    item.publisher = rows.text(row, c + 2);
    item.payload = rows.text(row, c + 3);
    item.title = rows.text(row, c + 4);
    item.body = rows.text(row, c + 5);
    item.link = rows.text(row, c + 6);
    item.priority = static_cast<int>(rows.integer(row, c + 7));
    item.published_ms = rows.integer(row, c + 8);
    item.expires_ms = rows.optional_integer(row, c + 9);
    item.ack_required = rows.boolean(row, c + 10);
    item.renotify_seconds = rows.optional_integer(row, c + 11);
    item.ack_callback = rows.optional_text(row, c + 12);
    item.callback_key = rows.optional_text(row, c + 13);
    item.ack_reply_to = rows.optional_text(row, c + 14);
    item.acknowledged_by = rows.optional_text(row, c + 15);
    item.acknowledged_ms = rows.optional_integer(row, c + 16);
    return item;
}

}  // namespace herald::storage::pg
