#pragma once

#include <string>

#include "storage/pubsub_records.h"

namespace herald::routing {

// The readable line a client shows: "[node] Title: body link".
std::string notification_text(const storage::Item& item);
// The same without the node: "Title: body link".
std::string notification_summary(const storage::Item& item);

// The body of a notification message: "[node] (urgent) Title: body link",
// with "(published ...)" on a line of its own when the item waited, and how
// to acknowledge on the last line when the item awaits it.
std::string notification_body(const storage::Item& item, bool waited);

// 'Reply "ack" to acknowledge (or "ack ID").'
std::string ack_hint(const storage::Item& item);

}  // namespace herald::routing
