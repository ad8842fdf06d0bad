#include "bench/bench_stanzas.h"

#include <chrono>
#include <charconv>

namespace herald::bench {

namespace {

constexpr std::string_view kStampMark = "t=";
constexpr std::string_view kFiller = "db1 nightly backup failed, see the job log for details";

std::string stamp(std::int64_t sent_ns) { return std::string(kStampMark) + std::to_string(sent_ns); }

}  // namespace

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::string notification_payload(std::int64_t sent_ns) {
    return "<notification xmlns='urn:herald:0'><title>" + stamp(sent_ns) + "</title><body>" +
           std::string(kFiller) + "</body></notification>";
}

std::string publish_iq(std::string_view to, std::string_view node, std::string_view payload,
                       std::string_view id) {
    std::string xml;
    xml.reserve(payload.size() + 200);
    xml.append("<iq type='set' to='").append(to).append("' id='").append(id);
    xml.append("'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='").append(node);
    xml.append("'><item>").append(payload).append("</item></publish></pubsub></iq>");
    return xml;
}

std::string notification_message(std::string_view from, std::string_view to, std::string_view node,
                                  std::string_view item_id, std::int64_t sent_ns) {
    std::string xml;
    xml.reserve(700);
    xml.append("<message type='chat' from='").append(from).append("' to='").append(to);
    xml.append("' id='").append(item_id).append("'><body>[").append(node).append("] ");
    xml.append(stamp(sent_ns)).append(": ").append(kFiller).append("</body>");
    xml.append("<notification xmlns='urn:herald:0' node='").append(node).append("' item='").append(item_id);
    xml.append("' priority='normal'>").append(notification_payload(sent_ns)).append("</notification>");
    xml.append("<origin-id xmlns='urn:xmpp:sid:0' id='").append(item_id).append("'/>");
    xml.append("<request xmlns='urn:xmpp:receipts'/><store xmlns='urn:xmpp:hints'/></message>");
    return xml;
}

std::string receipt(std::string_view to, std::string_view id) {
    std::string xml;
    xml.append("<message to='").append(to).append("'><received xmlns='urn:xmpp:receipts' id='");
    xml.append(id).append("'/></message>");
    return xml;
}

std::optional<std::int64_t> sent_stamp(std::string_view body) {
    const auto at = body.find(kStampMark);
    if (at == std::string_view::npos) return std::nullopt;
    const char* first = body.data() + at + kStampMark.size();
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(first, body.data() + body.size(), value);
    if (error != std::errc() || end == first) return std::nullopt;
    return value;
}

}  // namespace herald::bench
