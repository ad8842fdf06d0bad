#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "routing/settings.h"
#include "routing/shared_work.h"
#include "routing/stoppable_timer.h"

namespace herald::storage {
class StorageWorker;
}

namespace herald::routing {

// Keeps the database from growing forever: every `check_seconds` a pass
// deletes outcomes (history and settled escalations) past their age, then
// each user's outcomes past their count, then the items nothing needs any
// more. Each storage job deletes at most `batch_rows` rows, so the writer is
// never held long; the next job is queued behind whatever came meanwhile.
class Retention {
public:
    // Prunes only while `shared_work` is ours.
    Retention(boost::asio::io_context& io, storage::StorageWorker& storage, const RetentionSettings& settings,
              const SharedWork& shared_work);

    // Starts passes (the first one right away).
    void start();
    void stop();
    // Called after each pass with the rows it deleted (tests, logs).
    void on_pass(std::function<void(std::int64_t removed)> observer) { observer_ = std::move(observer); }

    // Where a pass is; one step is one storage job.
    struct Progress {
        enum class Stage { aged, per_user, items, done } stage = Stage::aged;
        std::string last_user;       // per_user: users after this one are next
        std::int64_t last_seq = 0;   // items: ids after this one are next
        std::int64_t removed = 0;    // in this pass so far
    };

private:
    void schedule(std::chrono::milliseconds delay);
    void step();

    boost::asio::io_context& io_;
    storage::StorageWorker& storage_;
    const RetentionSettings& settings_;
    const SharedWork& shared_work_;
    StoppableTimer timer_;
    Progress progress_;
    std::function<void(std::int64_t)> observer_;
};

}  // namespace herald::routing
