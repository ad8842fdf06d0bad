#include "ingest/mail_publisher.h"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <memory>

#include "text/hex.h"

namespace herald::ingest {
namespace {

struct EasyDeleter {
    void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct HeaderListDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

constexpr std::size_t kMaxResponseBytes = 64 * 1024;

std::size_t append_response(char* data, std::size_t size, std::size_t count, void* target) {
    auto& response = *static_cast<std::string*>(target);
    const auto bytes = size * count;
    if (response.size() + bytes > kMaxResponseBytes) return 0;
    response.append(data, bytes);
    return bytes;
}

std::string percent_encoded(const std::string& text) {
    std::string encoded;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
            encoded += c;
            continue;
        }
        encoded += text::escaped_byte('%', byte);
    }
    return encoded;
}

void read_reply_body(const std::string& body, ApiReply& reply) {
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (!json.is_object()) return;
    for (auto [key, target] : {std::pair{"error", &reply.error}, {"message", &reply.message}, {"id", &reply.item_id}})
        if (const auto field = json.find(key); field != json.end() && field->is_string()) *target = field->get<std::string>();
}

}  // namespace

std::string api_base_url(const std::string& address, int port) {
    std::string host = address;
    if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
    else if (host == "::") host = "::1";
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    return "http://" + host + ":" + std::to_string(port);
}

std::string publish_json(const MailNotification& mail) {
    nlohmann::json json = nlohmann::json::object();
    for (auto [key, value] : {std::pair{"title", &mail.title}, {"body", &mail.body}, {"link", &mail.link}})
        if (!value->empty()) json[key] = *value;
    if (mail.priority) json["priority"] = *mail.priority;
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

ApiReply post_mail(const ApiEndpoint& endpoint, const MailRecipient& recipient, const MailNotification& mail) {
    ApiReply reply;
    std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
    if (!easy) {
        reply.transport_error = "libcurl could not start";
        return reply;
    }
    const auto url = endpoint.base_url + "/v1/nodes/" + percent_encoded(recipient.node);
    const auto body = publish_json(mail);
    std::unique_ptr<curl_slist, HeaderListDeleter> headers(curl_slist_append(nullptr, "Content-Type: application/json"));
    const auto authorization = "Authorization: Bearer " + recipient.token;
    headers.reset(curl_slist_append(headers.release(), authorization.c_str()));
    std::string response;
    char error_text[CURL_ERROR_SIZE] = {};

    curl_easy_setopt(easy.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy.get(), CURLOPT_NOPROXY, "*");
    curl_easy_setopt(easy.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy.get(), CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(endpoint.timeout.count() * 1000));
    curl_easy_setopt(easy.get(), CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(easy.get(), CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(easy.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, append_response);
    curl_easy_setopt(easy.get(), CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(easy.get(), CURLOPT_ERRORBUFFER, error_text);

    const CURLcode result = curl_easy_perform(easy.get());
    if (result != CURLE_OK) {
        reply.transport_error = *error_text ? error_text : curl_easy_strerror(result);
        return reply;
    }
    long status = 0;
    curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &status);
    reply.answered = true;
    reply.status = static_cast<int>(status);
    read_reply_body(response, reply);
    return reply;
}

}  // namespace herald::ingest
