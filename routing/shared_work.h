#pragma once

namespace herald::routing {

// Whether this instance does the work no user owns: escalation, feed polls,
// acknowledgement reminders, retention. An instance alone always does;
// among several, ClusterMembership says which one.
class SharedWork {
public:
    bool ours() const { return ours_; }
    void set_ours(bool ours) { ours_ = ours; }

private:
    bool ours_ = true;
};

}  // namespace herald::routing
