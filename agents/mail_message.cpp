#include "agents/mail_message.h"

#include <openssl/evp.h>

#include <algorithm>
#include <sstream>
#include <string_view>

#include "text/clock.h"
#include "text/hex.h"
#include "text/safe_text.h"

namespace herald::agents {
namespace {

constexpr std::size_t kMaxEncodedLine = 75;  // plus '=' for a soft break
constexpr std::size_t kMaxAddressLength = 254;

bool is_ascii(std::string_view text) {
    for (const unsigned char c : text)
        if (c >= 0x80 || c == '\r' || c == '\n') return false;
    return true;
}

std::string base64(std::string_view data) {
    std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
    const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                       reinterpret_cast<const unsigned char*>(data.data()),
                                       static_cast<int>(data.size()));
    out.resize(static_cast<std::size_t>(length));
    return out;
}

// RFC 2047 for a header value that is not plain ASCII: encoded words of whole
// UTF-8 characters, each within the 75-character limit, folded.
std::string header_text(const std::string& text) {
    if (is_ascii(text)) return text;
    constexpr std::size_t kBytesPerWord = 45;  // 60 characters of base64
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = std::min(text.size(), start + kBytesPerWord);
        while (end < text.size() && end > start + 1 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + base64(std::string_view(text).substr(start, end - start)) + "?=";
        start = end;
    }
    return out;
}

// Clean text on one line: what goes into a header.
std::string one_line(std::string_view raw) {
    auto text = text::clean(raw);
    for (auto& c : text)
        if (c == '\r' || c == '\n') c = ' ';
    return text;
}

// An address in a header is plain ASCII (no SMTPUTF8): any other byte
// becomes '?', so a stored address can never put 8-bit text in a header,
// and it is cut at the 254 characters an address can have (RFC 5321), so
// the header line stays within SMTP's 998.
std::string ascii_address(std::string_view raw) {
    auto text = one_line(raw);
    for (auto& c : text)
        if (static_cast<unsigned char>(c) >= 0x80 || static_cast<unsigned char>(c) < 0x20) c = '?';
    text.resize(std::min(text.size(), kMaxAddressLength));
    return text;
}

std::string plain_body(const storage::EscalationBatch& batch) {
    std::ostringstream body;
    if (batch.items.size() > 1)
        body << batch.items.size() << " notifications reached you while you were away from XMPP.\n\n";
    for (const auto& item : batch.items) {
        body << "[" << one_line(item.node) << "] " << (item.title.empty() ? "(no title)" : one_line(item.title))
             << "\n";
        if (!item.body.empty()) body << text::clean(item.body) << "\n";
        if (!item.link.empty()) body << one_line(item.link) << "\n";
        body << "Published " << text::utc_minute(item.published_ms) << " UTC" << "\n";
        if (item.awaits_ack())
            body << "Nobody has acknowledged it yet: send \"ack " << one_line(item.item_id)
                 << "\" to the service in your XMPP client.\n";
        body << "\n";
    }
    body << "-- \nSent by Herald because you stayed away. Your XMPP client will still\n"
            "receive these when you are back. Change this with the 'preferences'\n"
            "command or 'prefs escalation none' in a chat with the service.\n";
    return body.str();
}

}  // namespace

std::string quoted_printable(const std::string& text) {
    std::string out;
    std::size_t line = 0;
    auto put = [&](const std::string& piece) {
        if (line + piece.size() > kMaxEncodedLine) {
            out += "=\r\n";
            line = 0;
        }
        out += piece;
        line += piece.size();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = text[i];
        if (c == '\n') {
            // Trailing white space before a line end must be encoded.
            if (!out.empty() && (out.back() == ' ' || out.back() == '\t')) {
                const char last = out.back();
                out.pop_back();
                --line;
                put(last == ' ' ? "=20" : "=09");
            }
            out += "\r\n";
            line = 0;
        } else if (c == '\r') {
            continue;
        } else if ((c >= 33 && c <= 126 && c != '=') || c == ' ' || c == '\t') {
            put(std::string(1, static_cast<char>(c)));
        } else {
            put(text::escaped_byte('=', c));
        }
    }
    return out;
}

std::string mail_subject(const storage::EscalationBatch& batch) {
    if (batch.items.size() == 1) {
        const auto& item = batch.items.front();
        const auto body = text::clean(item.body);
        const auto title = item.title.empty() ? std::string(text::truncated(body, 60)) : item.title;
        return one_line("[" + item.node + "] " + title);
    }
    return std::to_string(batch.items.size()) + " notifications while you were away";
}

std::string compose_mail(const storage::EscalationBatch& batch, const MailEnvelope& envelope) {
    std::string mail;
    mail += "Date: " + text::formatted_utc(envelope.now_ms, "%a, %d %b %Y %H:%M:%S +0000") + "\r\n";
    mail += "From: Herald <" + ascii_address(envelope.from) + ">\r\n";
    mail += "To: <" + ascii_address(envelope.to) + ">\r\n";
    mail += "Message-ID: <" + ascii_address(envelope.message_id) + ">\r\n";
    mail += "Subject: " + header_text(mail_subject(batch)) + "\r\n";
    mail += "Auto-Submitted: auto-generated\r\n";
    mail += "MIME-Version: 1.0\r\n";
    mail += "Content-Type: text/plain; charset=UTF-8\r\n";
    mail += "Content-Transfer-Encoding: quoted-printable\r\n";
    mail += "\r\n";
    mail += quoted_printable(plain_body(batch));
    return mail;
}

}  // namespace herald::agents
