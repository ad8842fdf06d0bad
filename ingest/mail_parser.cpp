#include "ingest/mail_parser.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <mutex>

#include "ingest/html_text.h"
#include "ingest/mail_text.h"

namespace herald::ingest {
namespace {

constexpr std::size_t kMaxTitleBytes = 300;
constexpr std::size_t kFallbackTitleBytes = 100;
// Nesting of multiparts looked into; real mail stays far below.
constexpr int kMaxDepth = 32;

struct ObjectDeleter {
    void operator()(gpointer object) const { g_object_unref(object); }
};
template <class T>
using GObjectPtr = std::unique_ptr<T, ObjectDeleter>;

struct ParserOptionsDeleter {
    void operator()(GMimeParserOptions* options) const { g_mime_parser_options_free(options); }
};

void initialise_gmime() {
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
}

std::string lower(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return result;
}

std::string header(GMimeObject* object, const char* name) {
    const char* value = g_mime_object_get_header(object, name);
    return value ? to_utf8(value, "") : std::string();
}

// Something a mail has and other text does not.
bool has_mail_header(GMimeObject* message) {
    static constexpr std::array kNames = {"From", "Sender", "Subject", "Date", "Message-ID", "To"};
    return std::any_of(kNames.begin(), kNames.end(),
                       [&](const char* name) { return g_mime_object_get_header(message, name) != nullptr; });
}

struct TextParts {
    GMimePart* plain = nullptr;
    GMimePart* html = nullptr;
};

// Depth first, the first inline text/plain and text/html; attachments and
// attached messages are left alone.
void find_text_parts(GMimeObject* object, TextParts& found, int depth) {
    if (!object || depth > kMaxDepth) return;
    if (GMIME_IS_MULTIPART(object)) {
        auto* multipart = GMIME_MULTIPART(object);
        for (int i = 0; i < g_mime_multipart_get_count(multipart); ++i)
            find_text_parts(g_mime_multipart_get_part(multipart, i), found, depth + 1);
        return;
    }
    if (!GMIME_IS_PART(object) || g_mime_part_is_attachment(GMIME_PART(object))) return;
    auto* type = g_mime_object_get_content_type(object);
    if (!type) return;
    if (!found.plain && g_mime_content_type_is_type(type, "text", "plain")) found.plain = GMIME_PART(object);
    if (!found.html && g_mime_content_type_is_type(type, "text", "html")) found.html = GMIME_PART(object);
}

// The part's content, transfer encoding undone, as UTF-8.
std::string decoded_text(GMimePart* part) {
    auto* content = g_mime_part_get_content(part);
    if (!content) return {};
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new());
    if (g_mime_data_wrapper_write_to_stream(content, stream.get()) < 0) return {};
    const GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.get()));
    const char* charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
    return to_utf8(std::string_view(reinterpret_cast<const char*>(bytes->data), bytes->len), charset ? charset : "");
}

std::string sender_name(GMimeMessage* message) {
    InternetAddressList* from = g_mime_message_get_from(message);
    if (!from || internet_address_list_length(from) == 0) return {};
    InternetAddress* address = internet_address_list_get_address(from, 0);
    if (const char* name = internet_address_get_name(address); name && *name) return single_line(to_utf8(name, ""));
    if (INTERNET_ADDRESS_IS_MAILBOX(address))
        if (const char* mailbox = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address)))
            return single_line(to_utf8(mailbox, ""));
    return {};
}

// Importance: high|low, X-Priority: 1..5, Priority: urgent|non-urgent.
std::optional<std::string> mail_priority(GMimeObject* message) {
    const auto importance = lower(single_line(header(message, "Importance")));
    const auto x_priority = single_line(header(message, "X-Priority"));
    const auto priority = lower(single_line(header(message, "Priority")));
    const char first = x_priority.empty() ? '3' : x_priority.front();
    if (importance == "high" || priority == "urgent" || first == '1' || first == '2') return "high";
    if (importance == "low" || priority == "non-urgent" || first == '4' || first == '5') return "low";
    return std::nullopt;
}

std::string first_line(std::string_view text) { return single_line(text.substr(0, text.find('\n'))); }

void fill_body(GMimeMessage* message, MailNotification& mail) {
    TextParts parts;
    find_text_parts(g_mime_message_get_mime_part(message), parts, 0);
    if (parts.plain) {
        mail.body = readable_body(decoded_text(parts.plain));
        mail.link = first_web_link(mail.body);
    } else if (parts.html) {
        const auto html = decoded_text(parts.html);
        mail.body = html_to_text(html);
        mail.link = first_web_href(html);
        if (mail.link.empty()) mail.link = first_web_link(mail.body);
    }
}

std::string fallback_title(GMimeMessage* message, const std::string& body) {
    if (const auto sender = sender_name(message); !sender.empty())
        return truncate_utf8("Mail from " + sender, kMaxTitleBytes);
    return truncate_utf8(first_line(body), kFallbackTitleBytes);
}

// An mbox "From sender date" envelope line (Exim's pipe message_prefix,
// Postfix pipe's F flag) is not a header: it is skipped.
std::string_view without_envelope_line(std::string_view text) {
    if (text.rfind("From ", 0) != 0) return text;
    const auto end = text.find('\n');
    return end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
}

std::string envelope_recipient(GMimeObject* message) {
    for (const char* name : {"Delivered-To", "X-Original-To"})
        if (auto value = single_line(header(message, name)); !value.empty()) return value;
    return {};
}

}  // namespace

MailParseResult parse_mail(std::string_view input) {
    initialise_gmime();
    const auto text = without_envelope_line(input);
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(text.data(), text.size()));
    GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
    std::unique_ptr<GMimeParserOptions, ParserOptionsDeleter> options(g_mime_parser_options_new());
    const char* fallback_charsets[] = {"UTF-8", "windows-1252", nullptr};
    g_mime_parser_options_set_fallback_charsets(options.get(), fallback_charsets);
    GObjectPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options.get()));
    if (!message || !has_mail_header(GMIME_OBJECT(message.get())))
        return MailParseError{"the input is not a mail message (no From, Subject or Date header)"};

    MailNotification mail;
    if (const char* subject = g_mime_message_get_subject(message.get()))
        mail.title = truncate_utf8(single_line(to_utf8(subject, "")), kMaxTitleBytes);
    fill_body(message.get(), mail);
    if (mail.title.empty() && mail.body.empty())
        return MailParseError{"the mail has no subject and no text to publish"};
    if (mail.title.empty()) mail.title = fallback_title(message.get(), mail.body);
    mail.priority = mail_priority(GMIME_OBJECT(message.get()));
    mail.delivered_to = envelope_recipient(GMIME_OBJECT(message.get()));
    return mail;
}

}  // namespace herald::ingest
