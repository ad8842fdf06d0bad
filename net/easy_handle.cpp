#include "net/easy_handle.h"

#include <stdexcept>

namespace herald::ingest {
namespace {

struct EasyDeleter {
    void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

struct BodySink {
    std::string bytes;
    std::size_t max_bytes = 0;
    std::string* abort_reason = nullptr;
};

size_t write_body(char* data, size_t size, size_t count, void* user) {
    auto& sink = *static_cast<BodySink*>(user);
    const size_t length = size * count;
    if (sink.bytes.size() + length > sink.max_bytes) {
        *sink.abort_reason = "the response is larger than " + std::to_string(sink.max_bytes) + " bytes";
        return CURL_WRITEFUNC_ERROR;
    }
    sink.bytes.append(data, length);
    return length;
}

}  // namespace

struct EasyHandle::State {
    std::unique_ptr<CURL, EasyDeleter> easy;
    std::unique_ptr<curl_slist, SlistDeleter> headers;
    BodySink body;
    std::string abort_reason;
    std::vector<std::shared_ptr<const void>> kept;
};

EasyHandle::EasyHandle() : state_(std::make_unique<State>()) {
    state_->easy.reset(curl_easy_init());
    if (!state_->easy) throw std::runtime_error("libcurl could not create an easy handle");
    curl_easy_setopt(get(), CURLOPT_NOSIGNAL, 1L);
}

EasyHandle::~EasyHandle() = default;
EasyHandle::EasyHandle(EasyHandle&&) noexcept = default;
EasyHandle& EasyHandle::operator=(EasyHandle&&) noexcept = default;

CURL* EasyHandle::get() const { return state_->easy.get(); }

void EasyHandle::set_url(const std::string& url) { curl_easy_setopt(get(), CURLOPT_URL, url.c_str()); }

void EasyHandle::set_request_headers(const std::vector<std::string>& headers) {
    std::unique_ptr<curl_slist, SlistDeleter> list;
    for (const auto& header : headers) {
        curl_slist* grown = curl_slist_append(list.get(), header.c_str());
        if (!grown) throw std::runtime_error("out of memory building request headers");
        (void)list.release();
        list.reset(grown);
    }
    curl_easy_setopt(get(), CURLOPT_HTTPHEADER, list.get());
    state_->headers = std::move(list);
}

void EasyHandle::collect_body(std::size_t max_bytes) {
    state_->body.max_bytes = max_bytes;
    state_->body.abort_reason = &state_->abort_reason;
    curl_easy_setopt(get(), CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(get(), CURLOPT_WRITEDATA, &state_->body);
}

const std::string& EasyHandle::body() const { return state_->body.bytes; }
std::string& EasyHandle::abort_reason() { return state_->abort_reason; }
const std::string& EasyHandle::abort_reason() const { return state_->abort_reason; }

long EasyHandle::response_code() const {
    long code = 0;
    curl_easy_getinfo(get(), CURLINFO_RESPONSE_CODE, &code);
    return code;
}

std::optional<std::string> EasyHandle::response_header(const char* name) const {
    curl_header* header = nullptr;
    if (curl_easy_header(get(), name, 0, CURLH_HEADER, -1, &header) != CURLHE_OK || !header) return std::nullopt;
    return std::string(header->value);
}

void EasyHandle::keep_alive(std::shared_ptr<const void> state) { state_->kept.push_back(std::move(state)); }

}  // namespace herald::ingest
