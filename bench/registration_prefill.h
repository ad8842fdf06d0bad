#pragma once

// Registers many users straight into herald's SQLite file through herald's
// own storage library (the rows XEP-0077 registration writes: the user, the
// personal inbox node and its subscription), optionally subscribing them to
// a topic. Herald must not be running. Far faster than registering each user
// over XMPP, and the rows are the same.

#include <filesystem>
#include <string>
#include <vector>

namespace herald::bench {

struct PrefillPlan {
    std::string user_prefix;   // users PREFIX1 .. PREFIX<count>@domain
    std::string domain;
    int count = 0;
    std::string topic;         // subscribe the first `subscribed` users here
    std::string topic_owner;   // bare JID owning the topic (created if missing)
    int subscribed = 0;
    std::vector<std::string> extra_subscribers;  // registered already; subscribed to the topic too
};

void prefill_registrations(const std::filesystem::path& database, const PrefillPlan& plan);

}  // namespace herald::bench
