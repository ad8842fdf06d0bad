#pragma once

namespace herald::storage {

// A write that a per-user limit may refuse, checked and written in one
// statement: done, refused because it exists already, or past the limit.
enum class LimitedInsert { done, exists, over_limit };

}  // namespace herald::storage
