#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "storage/pubsub_records.h"

namespace herald::storage {

// A user away, with escalation on and not paused: they may have items due.
struct EscalatingUser {
    std::string jid;
    std::optional<std::string> quiet_start, quiet_end, quiet_zone;
};

// A queued item whose escalation delay has passed while its user was away.
struct EscalationCandidate {
    std::string user;
    std::int64_t seq = 0;
    int priority = 1;
    std::string channel;
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
// An item is escalated at most once per user: claimed (pending), then
// sending (recorded before the agent is called), then sent, pending again
// for a retry, or failed. What is left sending (herald stopped, or the
// outcome could not be recorded) is never sent again. A pending claim is
// dropped when the item is confirmed first.
class EscalationRepository {
public:
    virtual ~EscalationRepository() = default;

    // Away, xa, dnd or offline since `since_ms`; kept if already away.
    virtual void mark_away(std::string_view user, std::int64_t since_ms) = 0;
    virtual void mark_present(std::string_view user) = 0;
    // After (re)connecting nobody's presence is known: users not already away
    // count as away from now until their presence says otherwise.
    virtual void mark_unknown_away(std::int64_t now_ms) = 0;

    // Users away with escalation on and not paused, in JID order strictly
    // after `after`, at most `limit`: claiming goes round them, a few items
    // each, so nobody's backlog starves the others.
    virtual std::vector<EscalatingUser> escalating_users(std::string_view after, int limit) = 0;
    // The user's queued, unclaimed items at or above `min_priority` (and their
    // own threshold) whose delay (`unit_ms` per preference minute) has
    // passed while away; oldest first, at most `limit`.
    virtual std::vector<EscalationCandidate> due(std::string_view user, std::int64_t now_ms, std::int64_t unit_ms,
                                                 int min_priority, int limit) = 0;
    virtual void claim(const EscalationCandidate& candidate, std::int64_t now_ms) = 0;
    // Drops pending claims of items confirmed since, of users back, or of users
    // who turned escalation off. Returns how many.
    virtual std::int64_t cancel_stale() = 0;
    // Pending claims ready to (re)try, one batch per user of at most
    // `max_items_per_batch`, users in `busy` left out.
    virtual std::vector<EscalationBatch> ready(std::int64_t now_ms, const std::set<std::string>& busy,
                                               int max_items_per_batch) = 0;
    // The batch goes to its agent now: recorded first, so that a crash or a
    // lost outcome never sends it twice. Only claims still pending move; the
    // seqs that did are returned, in the order given (a claim another writer
    // moved first is not sent twice).
    virtual std::vector<std::int64_t> sending(std::string_view user, const std::vector<std::int64_t>& seqs,
                                              std::int64_t now_ms) = 0;
    virtual void sent(std::string_view user, const std::vector<std::int64_t>& seqs, std::int64_t now_ms) = 0;
    // One more failed attempt: pending again at `retry_at_ms`, or failed for good when empty.
    virtual void failed(std::string_view user, const std::vector<std::int64_t>& seqs, std::int64_t now_ms,
                        std::optional<std::int64_t> retry_at_ms) = 0;

    // Retention: at most `max_rows` escalations no longer pending (sent,
    // failed, or sending with the outcome lost) since before `before_ms`.
    // Returns how many went.
    virtual std::int64_t prune_settled(std::int64_t before_ms, int max_rows) = 0;

    // The user's secret for signing webhook requests, made with `make` the first time.
    virtual std::string webhook_secret(std::string_view user, const std::string& made_if_absent) = 0;
    // A new secret in place of the old one, which stops signing at once; false,
    // and nothing replaced, unless the user escalates by webhook.
    virtual bool replace_webhook_secret(std::string_view user, const std::string& secret) = 0;

    // Added by issue 15 part A (removing a user): every escalation row of the user.
    virtual void remove_user(std::string_view user) = 0;
};

}  // namespace herald::storage
