#include "agents/mail_agent.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <random>

#include "agents/mail_message.h"

namespace herald::agents {

using herald::routing::AgentOutcome;

namespace {

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The message as libcurl reads it for upload.
struct Upload {
    std::string text;
    std::size_t offset = 0;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
    auto& upload = *static_cast<Upload*>(user);
    const size_t length = std::min(size * count, upload.text.size() - upload.offset);
    upload.text.copy(buffer, length, upload.offset);
    upload.offset += length;
    return length;
}

struct Recipients {
    curl_slist* list = nullptr;
    ~Recipients() { curl_slist_free_all(list); }
};

}  // namespace

MailAgent::MailAgent(ingest::CurlMulti& curl, const routing::SmtpSettings& settings, std::string domain)
    : curl_(curl), settings_(settings), domain_(std::move(domain)) {}

ingest::EasyHandle MailAgent::submission(const storage::EscalationBatch& batch) const {
    ingest::EasyHandle handle;
    CURL* easy = handle.get();
    const bool implicit_tls = settings_.security == "tls";
    handle.set_url((implicit_tls ? "smtps://" : "smtp://") + settings_.host + ":" + std::to_string(settings_.port));
    if (settings_.security == "starttls") curl_easy_setopt(easy, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    if (!settings_.username.empty()) {
        curl_easy_setopt(easy, CURLOPT_USERNAME, settings_.username.c_str());
        curl_easy_setopt(easy, CURLOPT_PASSWORD, settings_.password.c_str());
    }
    curl_easy_setopt(easy, CURLOPT_MAIL_FROM, ("<" + settings_.from + ">").c_str());
    auto recipients = std::make_shared<Recipients>();
    recipients->list = curl_slist_append(nullptr, ("<" + batch.target + ">").c_str());
    curl_easy_setopt(easy, CURLOPT_MAIL_RCPT, recipients->list);
    handle.keep_alive(recipients);

    const auto now = wall_ms();
    auto upload = std::make_shared<Upload>();
    upload->text = compose_mail(batch, {settings_.from, batch.target,
                                        "herald." + std::to_string(now) + "." + std::to_string(++sent_) + "." +
                                            std::to_string(std::random_device{}()) + "@" + domain_,
                                        now});
    curl_easy_setopt(easy, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(easy, CURLOPT_READDATA, upload.get());
    curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(upload->text.size()));
    handle.keep_alive(upload);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT, static_cast<long>(settings_.timeout_seconds));
    return handle;
}

void MailAgent::send(const storage::EscalationBatch& batch, Done done) {
    if (settings_.host.empty()) {
        done(AgentOutcome::give_up("mail escalation is not configured on this service (smtp.host)"));
        return;
    }
    const bool plain_ascii = std::all_of(batch.target.begin(), batch.target.end(), [](char c) {
        return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7F;
    });
    if (batch.target.find('@') == std::string::npos || batch.target.find_first_of("<>") != std::string::npos ||
        !plain_ascii || batch.target.size() > 254) {
        done(AgentOutcome::give_up("'" + batch.target + "' is not a mail address Herald can send to (plain ASCII)"));
        return;
    }
    curl_.start(submission(batch), [done = std::move(done)](ingest::EasyHandle handle, CURLcode result) {
        if (result == CURLE_OK) {
            done(AgentOutcome::success());
            return;
        }
        long reply = 0;
        curl_easy_getinfo(handle.get(), CURLINFO_RESPONSE_CODE, &reply);
        std::string why = std::string("SMTP: ") + curl_easy_strerror(result);
        if (reply) why += " (server said " + std::to_string(reply) + ")";
        // 5xx replies are the server refusing for good (unknown recipient...).
        done(reply >= 500 ? AgentOutcome::give_up(why) : AgentOutcome::retry(why));
    });
}

}  // namespace herald::agents
