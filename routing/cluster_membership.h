#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "routing/settings.h"
#include "routing/shared_work.h"
#include "routing/stoppable_timer.h"

namespace herald::storage {
class StorageWorker;
}

namespace herald::routing {

// This instance among several sharing one database (section cluster): it
// records itself alive every heartbeat, holds the shared work while it
// leads, counts the users of silent instances as away, and, standing by,
// takes the place of a serving instance that went silent. Every
// rescan_seconds it asks for every online user's queue to be read anew, in
// case a wake-up from another instance was missed.
class ClusterMembership {
public:
    struct Events {
        // Standing by, this instance now serves in `silent`'s place: the
        // link to ejabberd must be opened again to take its slot.
        std::function<void(const std::string& silent)> took_place;
        // This instance does the shared work from now on.
        std::function<void()> began_leading;
        std::function<void()> rescan;
    };

    ClusterMembership(boost::asio::io_context& io, storage::StorageWorker& storage, const ClusterSettings& settings,
                      SharedWork& shared_work, Events events);

    // Joins (serving or standing by), then beats.
    void start();
    void stop();
    bool serving() const { return serving_; }

private:
    struct Beat;
    void beat();
    void beaten(const Beat& beat);
    void lead(bool leading);

    storage::StorageWorker& storage_;
    const ClusterSettings& settings_;
    SharedWork& shared_work_;
    Events events_;
    StoppableTimer timer_;
    bool serving_ = false;
    bool beating_ = false;
    std::chrono::steady_clock::time_point last_rescan_;
};

}  // namespace herald::routing
