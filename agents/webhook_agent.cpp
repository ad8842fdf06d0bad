#include "agents/webhook_agent.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <chrono>
#include <nlohmann/json.hpp>

#include "text/hex.h"
#include "text/safe_text.h"

namespace herald::agents {

using herald::routing::AgentOutcome;

namespace {

constexpr std::array<const char*, 4> kPriorityNames = {"low", "normal", "high", "urgent"};

std::string priority_text(int priority) {
    return priority >= 0 && priority < static_cast<int>(kPriorityNames.size()) ? kPriorityNames[priority]
                                                                              : std::to_string(priority);
}

// A 2xx answer delivered; 408, 429 and 5xx may pass later; other refusals will not.
AgentOutcome outcome_of(long status, const std::string& failure) {
    if (!failure.empty()) return AgentOutcome::retry("webhook: " + failure);
    if (status >= 200 && status < 300) return AgentOutcome::success();
    const std::string why = "webhook answered HTTP " + std::to_string(status);
    if (status == 408 || status == 429 || status >= 500) return AgentOutcome::retry(why);
    return AgentOutcome::give_up(why);
}

}  // namespace

std::string webhook_signature(const std::string& secret, const std::string& body) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest.data(), &length);
    return "sha256=" + text::hex_lower(digest.data(), length);
}

std::string webhook_body(const storage::EscalationBatch& batch, std::int64_t now_ms) {
    nlohmann::json notifications = nlohmann::json::array();
    for (const auto& item : batch.items)
        notifications.push_back({{"id", text::clean(item.item_id)},
                                 {"node", text::clean(item.node)},
                                 {"title", text::clean(item.title)},
                                 {"body", text::clean(item.body)},
                                 {"link", text::clean(item.link)},
                                 {"priority", priority_text(item.priority)},
                                 {"published_ms", item.published_ms},
                                 {"awaits_acknowledgement", item.awaits_ack()}});
    return nlohmann::json{{"user", batch.user}, {"sent_ms", now_ms}, {"notifications", notifications}}
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

WebhookAgent::WebhookAgent(boost::asio::io_context& io, ingest::UrlPolicy policy)
    : curl_(io), policy_(std::move(policy)) {}

void WebhookAgent::send(const storage::EscalationBatch& batch, Done done) {
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    post_signed(batch.target, batch.webhook_secret.value_or(""), webhook_body(batch, now), std::move(done));
}

void WebhookAgent::post_signed(const std::string& url, const std::string& secret, std::string json, Done done) {
    if (const auto refused = policy_.refuse(url)) {
        done(AgentOutcome::give_up("webhook: " + *refused));
        return;
    }
    auto body = std::make_shared<std::string>(std::move(json));
    ingest::EasyHandle handle;
    policy_.apply(handle, url);
    curl_easy_setopt(handle.get(), CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(handle.get(), CURLOPT_POSTFIELDS, body->c_str());
    curl_easy_setopt(handle.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
    handle.set_request_headers({"Content-Type: application/json", "User-Agent: Herald",
                                "X-Herald-Signature: " + webhook_signature(secret, *body)});
    handle.keep_alive(body);
    curl_.start(std::move(handle), [this, done = std::move(done)](ingest::EasyHandle finished, CURLcode result) {
        done(outcome_of(finished.response_code(), policy_.describe_failure(finished, result)));
    });
}

}  // namespace herald::agents
