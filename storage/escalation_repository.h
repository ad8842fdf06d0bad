#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "storage/pubsub_records.h"

namespace herald::storage {

// A queued item whose escalation delay has passed while its user was away.
struct EscalationCandidate {
    std::string user;
    std::int64_t seq = 0;
    int priority = 1;
    std::string channel;
    std::optional<std::string> quiet_start, quiet_end, quiet_zone;
};

// What one user's agent must send now: every pending item, in one message.
struct EscalationBatch {
    std::string user;
    std::string channel;  // mail, webhook
    std::string target;   // address or URL
    std::optional<std::string> webhook_secret;
    int attempts = 0;     // failed attempts so far (the largest of the items)
    std::vector<std::int64_t> seqs;
    std::vector<Item> items;
};

// Who is away since when, and which queued items went to another channel.
// An item is escalated at most once per user: claimed (pending), then sent
// or failed; a pending claim is dropped when the item is confirmed first.
class EscalationRepository {
public:
    virtual ~EscalationRepository() = default;

    // Away, xa, dnd or offline since `since_ms`; kept if already away.
    virtual void mark_away(std::string_view user, std::int64_t since_ms) = 0;
    virtual void mark_present(std::string_view user) = 0;
    // After (re)connecting nobody's presence is known: users not already away
    // count as away from now until their presence says otherwise.
    virtual void mark_unknown_away(std::int64_t now_ms) = 0;

    // Queued, unclaimed items whose delay (`unit_ms` per preference minute)
    // has passed, for users away and not paused; at most `limit`.
    virtual std::vector<EscalationCandidate> due(std::int64_t now_ms, std::int64_t unit_ms, int limit) = 0;
    virtual void claim(const EscalationCandidate& candidate, std::int64_t now_ms) = 0;
    // Drops pending claims of items confirmed since, of users back, or of users
    // who turned escalation off. Returns how many.
    virtual std::int64_t cancel_stale() = 0;
    // Pending claims ready to (re)try, one batch per user, users in `busy` left out.
    virtual std::vector<EscalationBatch> ready(std::int64_t now_ms, const std::set<std::string>& busy,
                                               int max_items_per_batch) = 0;
    virtual void sent(std::string_view user, const std::vector<std::int64_t>& seqs, std::int64_t now_ms) = 0;
    // One more failed attempt: pending again at `retry_at_ms`, or failed for good when empty.
    virtual void failed(std::string_view user, const std::vector<std::int64_t>& seqs, std::int64_t now_ms,
                        std::optional<std::int64_t> retry_at_ms) = 0;

    // The user's secret for signing webhook requests, made with `make` the first time.
    virtual std::string webhook_secret(std::string_view user, const std::string& made_if_absent) = 0;

    // Added by issue 15 part A (removing a user): every escalation row of the user.
    virtual void remove_user(std::string_view user) = 0;
};

}  // namespace herald::storage
