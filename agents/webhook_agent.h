#pragma once

#include <boost/asio/io_context.hpp>
#include <string>

#include "net/curl_multi.h"
#include "net/url_policy.h"
#include "routing/ack_callbacks.h"
#include "routing/escalation_agent.h"

namespace herald::agents {

// HMAC-SHA256 of `body` with the user's secret, as the X-Herald-Signature
// header carries it: "sha256=" and lower-case hex.
std::string webhook_signature(const std::string& secret, const std::string& body);

// The JSON a webhook receives for one user's batch.
std::string webhook_body(const storage::EscalationBatch& batch, std::int64_t now_ms);

// Escalation by webhook: an HTTP POST of JSON to the URL the user chose,
// signed with their secret, under the same address policy as feeds (http and
// https only, no private addresses unless allowed, bounded time and size).
// No redirects: a POST is not followed elsewhere. Its own CurlMulti keeps
// its connections to itself: one opened under its policy is never reused by
// the feed poller, nor one of the poller's by it.
class WebhookAgent final : public routing::EscalationAgent, public routing::AckCallbacks {
public:
    WebhookAgent(boost::asio::io_context& io, ingest::UrlPolicy policy);

    using Done = routing::EscalationAgent::Done;

    void send(const storage::EscalationBatch& batch, Done done) override;
    // POSTs `body` (JSON) to `url` signed with `secret`, under the same rules.
    void post_signed(const std::string& url, const std::string& secret, std::string body, Done done) override;

private:
    ingest::CurlMulti curl_;
    ingest::UrlPolicy policy_;
};

}  // namespace herald::agents
