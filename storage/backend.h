#pragma once

#include <exception>
#include <functional>

#include "storage/admin_queries.h"
#include "storage/repositories.h"

namespace herald::storage {

// One open database of the configured backend (storage.backend), migrated
// to the current schema. Used by one thread at a time: the storage worker's,
// or `herald admin`'s.
class Backend {
public:
    using Job = std::function<void(Repositories&)>;

    virtual ~Backend() = default;

    virtual Repositories& repositories() = 0;
    virtual AdminQueries& admin() = 0;

    // A commit group: what the jobs between begin() and commit() wrote is
    // made durable together. rollback() undoes a group left unfinished and
    // does nothing outside one; it does not throw.
    virtual void begin() = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;
    // Runs `job` inside the group. When the job throws, its changes alone
    // are undone and its error is returned; the rest of the group stays.
    // Throws when the database itself fails (the group is then lost).
    virtual std::exception_ptr run_isolated(const Job& job) = 0;
};

}  // namespace herald::storage
