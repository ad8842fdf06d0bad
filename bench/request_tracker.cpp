#include "bench/request_tracker.h"

#include <stdexcept>

#include "bench/client_fleet.h"

namespace herald::bench {

std::future<IqReply> RequestTracker::send(ClientFleet& fleet, std::size_t session, const std::string& iq_xml) {
    if (iq_xml.rfind("<iq ", 0) != 0) throw std::invalid_argument("not an <iq/>: " + iq_xml);
    std::string id;
    std::future<IqReply> reply;
    {
        std::lock_guard lock(mutex_);
        id = "rq" + std::to_string(next_++);
        reply = pending_[id].get_future();
    }
    fleet.send(session, "<iq id='" + id + "' " + iq_xml.substr(4));
    return reply;
}

bool RequestTracker::resolve(const std::string& id, IqReply reply) {
    std::lock_guard lock(mutex_);
    auto found = pending_.find(id);
    if (found == pending_.end()) return false;
    found->second.set_value(std::move(reply));
    pending_.erase(found);
    return true;
}

std::optional<IqReply> await(std::future<IqReply>& reply, std::chrono::milliseconds deadline) {
    if (reply.wait_for(deadline) != std::future_status::ready) return std::nullopt;
    return reply.get();
}

}  // namespace herald::bench
