#pragma once

// IQ requests sent through the fleet and the replies they wait for, by id.

#include <chrono>
#include <cstdint>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace herald::bench {

class ClientFleet;

struct IqReply {
    std::string type;  // "result" or "error"
    std::string xml;
};

class RequestTracker {
public:
    // Gives the iq (which must have no id attribute) an id and sends it.
    std::future<IqReply> send(ClientFleet& fleet, std::size_t session, const std::string& iq_xml);
    // True when the id was one of ours (then the future gets the reply).
    bool resolve(const std::string& id, IqReply reply);

private:
    std::mutex mutex_;
    std::uint64_t next_ = 0;
    std::map<std::string, std::promise<IqReply>> pending_;
};

// Waits for a reply; nullopt at the deadline.
std::optional<IqReply> await(std::future<IqReply>& reply, std::chrono::milliseconds deadline);

}  // namespace herald::bench
