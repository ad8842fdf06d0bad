#pragma once

#include <stdexcept>
#include <string>

namespace herald::storage {

// Thrown by storage code; `transient` errors (busy, locked, disk full) may
// succeed on retry and are reported to publishers as "wait", not "cancel".
class StorageError : public std::runtime_error {
public:
    enum class Kind { other, busy, full, constraint };

    StorageError(const std::string& what, bool transient, Kind kind = Kind::other)
        : std::runtime_error(what), transient_(transient), kind_(kind) {}
    bool transient() const { return transient_; }
    Kind kind() const { return kind_; }

private:
    bool transient_;
    Kind kind_;
};

}  // namespace herald::storage
