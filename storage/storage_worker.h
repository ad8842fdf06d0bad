#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "storage/backend.h"
#include "storage/repositories.h"

namespace herald::storage {

// The one thread that writes the database, through the backend it owns.
// Jobs queued while a commit runs are committed together (many jobs, one
// commit group, one fsync). Each job is isolated, so one failing job does
// not undo its neighbours. A job's completion is handed to `post` (the
// owner's executor) only after its group is committed, with the error if it
// failed. Work that brings
// new data in (publishes) is admitted only while fewer than `max_queued_jobs`
// jobs wait; past that it is refused at once, never queued and lost.
class StorageWorker {
public:
    using Post = std::function<void(std::function<void()>)>;
    using Work = std::function<void(Repositories&)>;
    using Completion = std::function<void(std::exception_ptr)>;
    // `if_room`: refused with a transient StorageError (busy) when the queue is full.
    enum class Admission { always, if_room };

    StorageWorker(std::unique_ptr<Backend> backend, Post post, std::size_t max_queued_jobs = 10000);
    ~StorageWorker();
    StorageWorker(const StorageWorker&) = delete;
    StorageWorker& operator=(const StorageWorker&) = delete;

    void submit(Work work, Completion done, Admission admission = Admission::always);

    // Typed convenience: `done` gets the value or the error.
    template <class Result>
    void submit(std::function<Result(Repositories&)> work,
                std::function<void(std::optional<Result>, std::exception_ptr)> done,
                Admission admission = Admission::always) {
        auto result = std::make_shared<std::optional<Result>>();
        submit([work = std::move(work), result](Repositories& repos) { *result = work(repos); },
               [done = std::move(done), result](std::exception_ptr error) {
                   done(error ? std::nullopt : std::move(*result), error);
               },
               admission);
    }

    // Finishes every queued job, closes the backend, then stops the thread.
    // Idempotent.
    void stop();

private:
    struct Job {
        Work work;
        Completion done;
    };
    void run();
    void commit_batch(std::deque<Job>& batch);

    std::unique_ptr<Backend> backend_;
    Post post_;
    std::size_t max_queued_jobs_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace herald::storage
