#include "storage/storage_worker.h"

#include <vector>

#include "storage/storage_error.h"

namespace herald::storage {

StorageWorker::StorageWorker(std::unique_ptr<Backend> backend, Post post, std::size_t max_queued_jobs)
    : backend_(std::move(backend)), post_(std::move(post)), max_queued_jobs_(max_queued_jobs) {
    thread_ = std::thread([this] { run(); });
}

StorageWorker::~StorageWorker() { stop(); }

void StorageWorker::submit(Work work, Completion done, Admission admission) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            post_([done = std::move(done)] {
                done(std::make_exception_ptr(std::runtime_error("storage is shutting down")));
            });
            return;
        }
        if (admission == Admission::if_room && queue_.size() >= max_queued_jobs_) {
            post_([done = std::move(done), queued = queue_.size()] {
                done(std::make_exception_ptr(StorageError(
                    "the storage queue is full (" + std::to_string(queued) + " jobs waiting; limits.storage_queue_jobs)",
                    true, StorageError::Kind::busy)));
            });
            return;
        }
        queue_.push_back({std::move(work), std::move(done)});
    }
    wake_.notify_one();
}

void StorageWorker::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

void StorageWorker::run() {
    for (;;) {
        std::deque<Job> batch;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) break;
            batch.swap(queue_);
        }
        commit_batch(batch);
    }
    backend_.reset();  // stopped: the database is closed before stop() returns
}

void StorageWorker::commit_batch(std::deque<Job>& batch) {
    std::vector<std::exception_ptr> errors(batch.size());
    std::exception_ptr batch_error;
    try {
        backend_->begin();
        for (size_t i = 0; i < batch.size(); ++i) errors[i] = backend_->run_isolated(batch[i].work);
        backend_->commit();
    } catch (...) {
        batch_error = std::current_exception();
        backend_->rollback();
    }
    for (size_t i = 0; i < batch.size(); ++i) {
        auto error = batch_error ? batch_error : errors[i];
        post_([done = std::move(batch[i].done), error] { done(error); });
    }
}

}  // namespace herald::storage
