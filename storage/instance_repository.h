#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace herald::storage {

// An instance that stopped recording it is alive, and whom it was to.
struct SilentInstance {
    std::string name;
    std::int64_t last_seen_ms = 0;
};

struct InstanceRecord {
    std::string name;
    bool serving = false;
    std::int64_t started_ms = 0;
    std::int64_t last_seen_ms = 0;
    std::optional<std::string> replaced_by;
};

// The Herald instances sharing this database, as seen by the one whose
// database this is (storage.instance). With one instance there is nothing
// to share: it serves and leads, and nobody is ever silent.
class InstanceRepository {
public:
    virtual ~InstanceRepository() = default;

    // Records this instance as started; true when it is to serve, false when
    // it stands by: asked to (`standby`), or another instance, still alive,
    // took its place while it was away.
    virtual bool join(bool standby, std::int64_t now_ms) = 0;
    // Records this instance alive at `now_ms`.
    virtual void heartbeat(bool serving, std::int64_t now_ms) = 0;
    // True while this instance leads the work no user owns (escalation,
    // feeds, reminders, retention): one instance at a time, until it dies.
    virtual bool lead() = 0;
    // Users present on instances silent since before now - dead_after are
    // away since those instances were last seen. Returns how many users.
    virtual std::int64_t release_silent(std::int64_t now_ms) = 0;
    // A serving instance silent for long enough is marked replaced by this
    // one, which serves from now on; at most one standby gets each.
    virtual std::optional<SilentInstance> take_over(std::int64_t now_ms) = 0;
    virtual std::vector<InstanceRecord> instances() = 0;
};

}  // namespace herald::storage
