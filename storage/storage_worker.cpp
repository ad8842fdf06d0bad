#include "storage/storage_worker.h"

#include "storage/sqlite/database.h"
#include "storage/sqlite/sqlite_ack_repository.h"
#include "storage/storage_error.h"
#include "storage/sqlite/sqlite_delivery_queue.h"
#include "storage/sqlite/sqlite_escalation_repository.h"
#include "storage/sqlite/sqlite_feed_repository.h"
#include "storage/sqlite/sqlite_node_repository.h"
#include "storage/sqlite/sqlite_token_repository.h"
#include "storage/sqlite/sqlite_user_repository.h"

namespace herald::storage {

class StorageWorker::Session {
public:
    explicit Session(const std::string& path)
        : db(path), users(db), nodes(db), queue(db), tokens(db), escalations(db), feeds(db), acks(db),
          repositories{users, nodes, queue, tokens, escalations, feeds, acks},
          savepoint(db.prepare("SAVEPOINT job")),
          release(db.prepare("RELEASE job")),
          rollback_to(db.prepare("ROLLBACK TO job")) {}

    Database db;
    SqliteUserRepository users;
    SqliteNodeRepository nodes;
    SqliteDeliveryQueue queue;
    SqliteTokenRepository tokens;
    SqliteEscalationRepository escalations;
    SqliteFeedRepository feeds;
    SqliteAckRepository acks;
    Repositories repositories;
    Statement savepoint;
    Statement release;
    Statement rollback_to;
};

StorageWorker::StorageWorker(std::string path, Post post, std::size_t max_queued_jobs)
    : post_(std::move(post)), max_queued_jobs_(max_queued_jobs) {
    std::promise<void> opened;
    auto ready = opened.get_future();
    thread_ = std::thread([this, path = std::move(path), &opened] { run(path, opened); });
    try {
        ready.get();
    } catch (...) {
        thread_.join();
        throw;
    }
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

void StorageWorker::run(const std::string& path, std::promise<void>& opened) {
    std::unique_ptr<Session> session;
    try {
        session = std::make_unique<Session>(path);
        opened.set_value();
    } catch (...) {
        opened.set_exception(std::current_exception());
        return;
    }
    for (;;) {
        std::deque<Job> batch;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;
            batch.swap(queue_);
        }
        commit_batch(*session, batch);
    }
}

void StorageWorker::commit_batch(Session& session, std::deque<Job>& batch) {
    std::vector<std::exception_ptr> errors(batch.size());
    std::exception_ptr batch_error;
    try {
        Transaction transaction(session.db);
        for (size_t i = 0; i < batch.size(); ++i) {
            session.savepoint.run();
            try {
                batch[i].work(session.repositories);
                session.release.run();
            } catch (...) {
                errors[i] = std::current_exception();
                session.rollback_to.run();
                session.release.run();
            }
        }
        transaction.commit();
    } catch (...) {
        batch_error = std::current_exception();
    }
    for (size_t i = 0; i < batch.size(); ++i) {
        auto error = batch_error ? batch_error : errors[i];
        post_([done = std::move(batch[i].done), error] { done(error); });
    }
}

}  // namespace herald::storage
