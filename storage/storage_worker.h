#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "storage/ack_repository.h"
#include "storage/delivery_queue.h"
#include "storage/escalation_repository.h"
#include "storage/feed_repository.h"
#include "storage/node_repository.h"
#include "storage/token_repository.h"
#include "storage/user_repository.h"

namespace herald::storage {

// What a storage job may touch, in domain terms.
struct Repositories {
    UserRepository& users;
    NodeRepository& nodes;
    DeliveryQueue& queue;
    TokenRepository& tokens;
    EscalationRepository& escalations;
    FeedRepository& feeds;
    AckRepository& acks;
};

// The one thread that writes the database. Jobs queued while a commit runs
// are committed together (many jobs, one fsync). Each job runs in its own
// savepoint, so one failing job does not undo its neighbours. A job's
// completion is handed to `post` (the owner's executor) only after its
// transaction is committed, with the error if it failed. Work that brings
// new data in (publishes) is admitted only while fewer than `max_queued_jobs`
// jobs wait; past that it is refused at once, never queued and lost.
class StorageWorker {
public:
    using Post = std::function<void(std::function<void()>)>;
    using Work = std::function<void(Repositories&)>;
    using Completion = std::function<void(std::exception_ptr)>;
    // `if_room`: refused with a transient StorageError (busy) when the queue is full.
    enum class Admission { always, if_room };

    StorageWorker(std::string path, Post post, std::size_t max_queued_jobs = 10000);
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

    // Finishes every queued job, then stops the thread. Idempotent.
    void stop();

private:
    struct Job {
        Work work;
        Completion done;
    };
    class Session;

    void run(const std::string& path, std::promise<void>& opened);
    void commit_batch(Session& session, std::deque<Job>& batch);

    Post post_;
    std::size_t max_queued_jobs_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace herald::storage
