#pragma once

#include <stdexcept>
#include <string>

namespace herald::storage {

// Thrown by storage code; `transient` errors (busy, locked, disk full) may
// succeed on retry and are reported to publishers as "wait", not "cancel".
class StorageError : public std::runtime_error {
public:
    StorageError(const std::string& what, bool transient)
        : std::runtime_error(what), transient_(transient) {}
    bool transient() const { return transient_; }

private:
    bool transient_;
};

}  // namespace herald::storage
