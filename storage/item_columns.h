#pragma once

#include <string>

namespace herald::storage {

// The columns of an item (table alias `i`) as both backends select them, in
// the order their read_item takes them.
inline std::string with_item_columns(const std::string& before, const std::string& after) {
    return before +
           "i.item_id, i.node, i.publisher, i.payload, i.title, i.body, i.link, i.priority, "
           "i.published_ms, i.expires_ms, i.ack_required, i.renotify_seconds, i.ack_callback, i.callback_key, "
           "i.ack_reply_to, i.acknowledged_by, i.acknowledged_ms" +
           after;
}

}  // namespace herald::storage
