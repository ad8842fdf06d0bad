// Hostile text through every way into Herald (issue 14): C0 controls, ANSI
// escape sequences, invalid and overlong UTF-8, surrogates, U+FFFE/U+FFFF,
// NUL, emoji, right-to-left marks and 64 KB of combining marks, published
// over XMPP, HTTP, mail and feeds, typed as chat commands and form values,
// and escalated by webhook and mail. Whatever comes in, the publisher gets an
// answer, the subscriber a readable message (or the item is refused up
// front), the component stream is never reset and herald never exits.
//
// A client's own stream cannot carry raw control bytes (ejabberd would cut
// the client), so XMPP carries what ejabberd accepts; HTTP, mail and feeds
// carry the raw bytes.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cctype>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <regex>

#include "tests/e2e/herald_e2e_fixture.h"
#include "tests/support/http_test_server.h"
#include "tests/support/process.h"
#include "tests/support/smtp_sink.h"
#include "tests/support/text_check.h"

using namespace herald::testing;
using namespace std::chrono_literals;

namespace {

const std::string kCommands = "http://jabber.org/protocol/commands";
constexpr const char* kMailDomain = "notify-mail.example.org";

// Characters spelled out as UTF-8 bytes (a "\x.." followed by a hex digit
// would run on, hence the separate literals).
const std::string kFire = "\xf0\x9f\x94\xa5";        // U+1F525, four bytes
const std::string kRlm = "\xe2\x80\x8f";             // right-to-left mark
const std::string kRlo = "\xe2\x80\xae";             // right-to-left override
const std::string kPdf = "\xe2\x80\xac";             // pop directional formatting
const std::string kAcute = "\xcc\x81";               // combining acute accent
const std::string kNonchars = "\xef\xbf\xbe \xef\xbf\xbf";  // U+FFFE U+FFFF

std::string repeat(const std::string& piece, std::size_t times) {
    std::string out;
    out.reserve(piece.size() * times);
    for (std::size_t i = 0; i < times; ++i) out += piece;
    return out;
}

// 64 KB of combining marks on one letter.
const std::string kZalgo = "a" + repeat(kAcute, 32 * 1024);

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A string literal with every byte, NULs included.
template <std::size_t N>
std::string bytes(const char (&literal)[N]) {
    return std::string(literal, N - 1);
}

std::string base64(const std::string& bytes) {
    static constexpr char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        std::uint32_t chunk = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) chunk |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        if (i + 2 < bytes.size()) chunk |= static_cast<unsigned char>(bytes[i + 2]);
        out += kDigits[(chunk >> 18) & 63];
        out += kDigits[(chunk >> 12) & 63];
        out += i + 1 < bytes.size() ? kDigits[(chunk >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? kDigits[chunk & 63] : '=';
    }
    return out;
}

std::string quoted_printable_decoded(const std::string& encoded) {
    std::string out;
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        if (encoded[i] != '=') {
            out += encoded[i];
        } else if (i + 2 < encoded.size() && encoded[i + 1] == '\r' && encoded[i + 2] == '\n') {
            i += 2;  // soft line break
        } else if (i + 1 < encoded.size() && encoded[i + 1] == '\n') {
            i += 1;  // soft line break, as the sink's maildir stores it (LF)
        } else if (i + 2 < encoded.size() && std::isxdigit(static_cast<unsigned char>(encoded[i + 1])) &&
                   std::isxdigit(static_cast<unsigned char>(encoded[i + 2]))) {
            out += static_cast<char>(std::stoi(encoded.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += '=';
        }
    }
    return out;
}

// One piece of hostile text: `bytes` as sent, and the words a reader must
// still find in what is delivered (the first one marks the item).
struct Hostile {
    std::string name;
    std::string bytes;
    std::vector<std::string> words;
    const std::string& marker() const { return words.front(); }
};

// Every text in a received stanza, attributes included, must be readable:
// valid UTF-8, only characters XML allows, no ESC.
::testing::AssertionResult all_text_readable(const ReceivedStanza& element) {
    auto check = [&](const std::string& where, const std::string& text) -> ::testing::AssertionResult {
        const auto fault = xml_text_fault(text);
        if (!fault.empty()) return ::testing::AssertionFailure() << where << ": " << fault;
        if (contains(text, "\x1b")) return ::testing::AssertionFailure() << where << ": an ESC byte";
        return ::testing::AssertionSuccess();
    };
    if (auto ok = check("text of <" + element.name() + ">", element.text()); !ok) return ok;
    for (const auto& attribute : element.attributes())
        if (auto ok = check("attribute " + attribute.name + " of <" + element.name() + ">", attribute.value); !ok)
            return ok;
    for (const auto& child : element.children())
        if (auto ok = all_text_readable(child); !ok) return ok;
    return ::testing::AssertionSuccess();
}

class HostileInputE2E : public HeraldE2E {
protected:
    std::string extra_config() const override {
        return "http:\n  enabled: true\n  port: 0\n  max_body_bytes: 262144\n  publishes_per_second: 1000\n"
               "pubsub:\n  max_payload_bytes: 262144\n"
               "limits:\n  max_stanza_bytes: 524288\n  requests_per_second: 1000\n"
               "feeds:\n  enabled: true\n  min_interval_seconds: 1\n  default_interval_seconds: 1\n"
               "  allow_private_addresses: true\n  timeout_seconds: 2\n  max_response_bytes: 262144\n" +
               more_config();
    }
    virtual std::string more_config() const { return {}; }

    void SetUp() override {
        HeraldE2E::SetUp();
        const int port = http_api_port();
        ASSERT_GT(port, 0) << herald_->log().tail();
        base_ = "http://127.0.0.1:" + std::to_string(port);
    }

    // --- the component stream and the daemon ---------------------------------

    int handshakes() const {
        const auto log = herald_->log().contents();
        int count = 0;
        for (auto at = log.find("handshake accepted"); at != std::string::npos;
             at = log.find("handshake accepted", at + 1))
            ++count;
        return count;
    }

    // Why herald lost its stream, as its log says (the first time).
    std::string first_loss() const {
        const auto log = herald_->log().contents();
        const auto at = log.find("lost connection to");
        if (at == std::string::npos) return "(no 'lost connection' line in herald's log)";
        return log.substr(at, log.find('\n', at) - at);
    }

    ::testing::AssertionResult stream_kept() const {
        const int count = handshakes();
        if (count == 1) return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << "the component stream was reset: herald's handshake was accepted "
                                             << count << " times; " << first_loss();
    }

    // herald still runs and answers, over XMPP and over HTTP, on its first stream.
    void expect_alive(XmppTestClient& client) {
        EXPECT_TRUE(stream_kept());
        auto pong = iq(client, "get", "<ping xmlns='urn:xmpp:ping'/>");
        EXPECT_TRUE(pong && pong->type() == "result")
            << "herald no longer answers a ping: " << (pong ? pong->xml() : "no reply") << "\n"
            << herald_->log().tail(15);
        const auto health = run_command({"curl", "-sS", "--max-time", "5", base_ + "/healthz"}, 15s);
        EXPECT_EQ(health.output, "ok\n") << "herald's HTTP API no longer answers (did herald exit?)";
    }

    // SIGTERM at the end: herald was still running and stops cleanly.
    void expect_orderly_stop() {
        const auto status = herald_->stop();
        EXPECT_EQ(status, std::optional<int>(0))
            << "herald's exit status after SIGTERM (another status: it had died before, or crashed on the way out)\n"
            << herald_->log().tail(15);
    }

    // --- what a subscriber receives -------------------------------------------

    // The message from herald whose body holds `marker`; gives up early when
    // the component stream was reset meanwhile (the item broke it).
    std::optional<ReceivedStanza> delivered(XmppTestClient& client, const std::string& marker,
                                            std::chrono::milliseconds deadline = kWait) {
        const auto give_up_at = std::chrono::steady_clock::now() + deadline;
        for (;;) {
            auto found = client.wait_for(
                [&](const ReceivedStanza& s) {
                    return s.name() == "message" && s.type() != "error" && from_herald(s, component()) &&
                           contains(s.text("body"), marker);
                },
                250ms);
            if (found || handshakes() > 1 || std::chrono::steady_clock::now() >= give_up_at) return found;
        }
    }

    // The subscriber gets `item` as a readable notification.
    void expect_readable(XmppTestClient& client, const Hostile& item, const std::string& way) {
        auto message = delivered(client, item.marker());
        ASSERT_TRUE(message) << way << ", " << item.name << ": the subscriber got no message holding '"
                             << item.marker() << "'; " << (stream_kept() ? "stream kept" : stream_kept().message());
        const auto body = message->text("body");
        EXPECT_TRUE(all_text_readable(*message)) << way << ", " << item.name;
        for (const auto& word : item.words)
            EXPECT_TRUE(contains(body, word)) << way << ", " << item.name << ": '" << word << "' missing from "
                                              << text_excerpt(body, 0, 200);
    }

    // --- chat -----------------------------------------------------------------

    // herald's chat answer to `body`: the next message from the component
    // that is not a notification.
    std::optional<ReceivedStanza> chat_answer(XmppTestClient& client, const std::string& body) {
        client.send(chat(component(), body));
        const auto give_up_at = std::chrono::steady_clock::now() + kWait;
        for (;;) {
            auto found = client.wait_for(
                [&](const ReceivedStanza& s) {
                    return s.name() == "message" && s.from() == component() && s.type() != "error" &&
                           s.has("body") && !s.has("event") && !s.has("notification");
                },
                250ms);
            if (found || handshakes() > 1 || std::chrono::steady_clock::now() >= give_up_at) return found;
        }
    }

    // --- ad-hoc ---------------------------------------------------------------

    // Executes `node` and completes its form with `values`: the final reply.
    std::optional<ReceivedStanza> adhoc(XmppTestClient& client, const std::string& node,
                                        const std::map<std::string, std::vector<std::string>>& values) {
        auto form = iq(client, "set", "<command xmlns='" + kCommands + "' node='" + node + "' action='execute'/>");
        EXPECT_TRUE(form && form->has("command/x")) << node << ": " << (form ? form->xml() : "no reply");
        if (!form || !form->has("command/x")) return form;
        std::string fields;
        for (const auto& [var, typed] : values) {
            fields += "<field var='" + var + "'>";
            for (const auto& value : typed) fields += "<value>" + xml_escape(value) + "</value>";
            fields += "</field>";
        }
        return iq(client, "set",
                  "<command xmlns='" + kCommands + "' node='" + node + "' action='complete' sessionid='" +
                      xml_escape(form->find("command")->attr("sessionid")) +
                      "'><x xmlns='jabber:x:data' type='submit'>" + fields + "</x></command>");
    }

    // --- HTTP -----------------------------------------------------------------

    struct HttpReply {
        int status = 0;
        std::string body;
    };

    // POSTs `bytes` (any bytes, NUL included: they go through a file) to the
    // node with the topic's token.
    HttpReply post(const std::string& token, const std::string& node, const std::string& content_type,
                   const std::string& bytes) {
        const auto file = ejabberd_.dir() / ("body-" + std::to_string(++posted_));
        std::ofstream(file, std::ios::binary) << bytes;
        const auto result = run_command({"curl", "-sS", "-w", "\n%{http_code}", "-H", "Authorization: Bearer " + token,
                                         "-H", "Content-Type: " + content_type, "--data-binary", "@" + file.string(),
                                         base_ + "/v1/nodes/" + node},
                                        30s);
        EXPECT_EQ(result.exit_code, 0) << result.output;
        const auto split = result.output.rfind('\n');
        if (split == std::string::npos) return {};
        return {std::stoi(result.output.substr(split + 1)), result.output.substr(0, split)};
    }

    // The publisher's answer is 202 (true: to be delivered) or a refusal up
    // front with a JSON error that says why (false).
    static bool accepted(const HttpReply& reply, const std::string& what) {
        if (reply.status == 202) return true;
        EXPECT_TRUE(reply.status >= 400 && reply.status < 500)
            << what << ": neither 202 nor a refusal: HTTP " << reply.status << " " << reply.body;
        const auto json = nlohmann::json::parse(reply.body, nullptr, false);
        EXPECT_TRUE(json.is_object() && json.contains("message") && json["message"].is_string() &&
                    !json["message"].get<std::string>().empty())
            << what << ": a refusal (HTTP " << reply.status << ") must say why: " << reply.body;
        return false;
    }

    // Each item of `corpus` POSTed in turn to a topic bob follows, each
    // answered and (when accepted) read by bob before the next.
    void publish_over_http(const std::string& content_type, const std::vector<Hostile>& corpus) {
        with_open_topic();
        const auto token = make_token(*alice_, "backups", content_type);
        for (const auto& item : corpus) {
            const auto reply = post(token, "backups", content_type, item.bytes);
            if (accepted(reply, content_type + " " + item.name)) expect_readable(*bob_, item, "HTTP " + content_type);
            ASSERT_TRUE(stream_kept()) << "after " << content_type << " " << item.name;
        }
        expect_alive(*bob_);
        expect_orderly_stop();
    }

    // alice owns `node` ("open": any registered user may publish); bob is
    // online and subscribed to it.
    void with_open_topic(const std::string& node = "backups") {
        alice_ = online_user("alice");
        create_node(*alice_, node, "open");
        bob_ = online_user("bob");
        subscribe(*bob_, node);
    }

    std::string base_;
    int posted_ = 0;
};

// The issue's own reproduction: a CI job's coloured build result over HTTP.
TEST_F(HostileInputE2E, AnsiColouredBuildResultOverHttpReachesTheSubscriberAndTheStreamStays) {
    with_open_topic("ci");
    const auto token = make_token(*alice_, "ci", "ci-job");
    ASSERT_EQ(token.size(), 64u);

    const auto reply = post(token, "ci", "text/plain", "build \x1b[31mFAILED\x1b[0m");
    ASSERT_EQ(reply.status, 202) << reply.body;
    auto message = delivered(*bob_, "build");
    ASSERT_TRUE(message) << "the subscriber never read the build result; " << stream_kept().message();
    const auto body = message->text("body");
    EXPECT_FALSE(contains(body, "\x1b")) << text_excerpt(body, 0, 80);
    EXPECT_TRUE(contains(body, "build FAILED") || (contains(body, "build") && contains(body, "FAILED")))
        << text_excerpt(body, 0, 80);
    EXPECT_TRUE(all_text_readable(*message));
    expect_alive(*bob_);
    expect_orderly_stop();
}

// text/plain bodies: every raw byte sequence that is not text.
TEST_F(HostileInputE2E, RawBytesInHttpTextBodies) {
    const std::vector<Hostile> corpus = {
        {"C0 controls", "t01 bell\x07" "form\x0c" "feed\x01" "soh\x7f" "del end", {"t01", "bell", "soh", "del end"}},
        {"ANSI colours", "t02 build \x1b[31mFAILED\x1b[0m end", {"t02 build", "FAILED", "end"}},
        {"OSC title sequence", "t03 \x1b]0;owned\x07" "after end", {"t03", "after end"}},
        {"invalid UTF-8", "t04 \xff\xfe bytes end", {"t04", "bytes end"}},
        {"overlong UTF-8", "t05 \xc0\xaf \xe0\x80\xaf \xf0\x80\x80\xaf end", {"t05", "end"}},
        {"truncated UTF-8", "t06 \xe2\x82 mid \xf0\x9f\x98 end \xe2", {"t06", "mid", "end"}},
        {"UTF-8-encoded surrogates", "t07 \xed\xa0\x80 \xed\xbf\xbf end", {"t07", "end"}},
        {"U+FFFE and U+FFFF", "t08 " + kNonchars + " end", {"t08", "end"}},
        {"NUL", bytes("t09 nul\0byte end"), {"t09", "byte end"}},
        {"C1 controls", "t10 \xc2\x80\xc2\x9b" "31m end", {"t10", "end"}},
        {"emoji and right-to-left", "t11 " + kFire + " fire " + kRlm + kRlo + "desrever" + kPdf + " end",
         {"t11", kFire + " fire", "desrever", "end"}},
        {"64 KB of combining marks", "t12 zalgo " + kZalgo + " end", {"t12 zalgo"}},
    };
    publish_over_http("text/plain", corpus);
}

// JSON bodies: escapes that decode to what XML forbids, lone surrogates, and
// raw bytes that are not UTF-8.
TEST_F(HostileInputE2E, HostileStringsInHttpJsonBodies) {
    const std::vector<Hostile> corpus = {
        {"\\u0001 and \\u001b colours", R"({"title":"j01 soh\u0001 esc\u001b[31mred\u001b[0m ff\u000c end"})",
         {"j01", "red", "end"}},
        {"lone high surrogate", R"({"title":"j02 lone \ud800 end"})", {"j02", "end"}},
        {"lone low surrogate", R"({"title":"j03 lone \udc00 end","body":"\udbff"})", {"j03", "end"}},
        {"\\u0000", R"({"title":"j04 nul \u0000 end","body":"b\u0000c"})", {"j04"}},
        {"\\ufffe \\uffff", R"({"title":"j05 nonchars \ufffe \uffff end"})", {"j05", "end"}},
        {"emoji as a surrogate pair", R"({"title":"j06 emoji \ud83d\udd25 end"})", {"j06", kFire, "end"}},
        {"raw invalid UTF-8", "{\"title\":\"j07 raw \xff\xfe end\"}", {"j07", "end"}},
        {"raw overlong UTF-8", "{\"title\":\"j08 overlong \xc0\xaf end\"}", {"j08", "end"}},
        {"controls in the link", R"({"title":"j09 link","link":"https://ci.example.org/\u0001\u001b[0m/x","body":"\u202e end"})",
         {"j09", "end"}},
        {"NUL in the priority", R"({"title":"j10 priority","priority":"high\u0000"})", {"j10"}},
        {"64 KB of combining marks", "{\"title\":\"j11 zalgo\",\"body\":\"" + kZalgo + "\"}", {"j11 zalgo"}},
    };
    publish_over_http("application/json", corpus);
}

// XMPP publishes (Atom and Herald's notification) carry what ejabberd lets a
// client send: emoji, bidi controls, combining marks, character references,
// markup-like text. U+FFFE/U+FFFF are tried from a client of their own, which
// ejabberd may cut.
TEST_F(HostileInputE2E, IqPublishesOfAtomAndNotificationPayloads) {
    with_open_topic();
    const auto atom = [](const std::string& title, const std::string& summary, const std::string& href) {
        return "<entry xmlns='http://www.w3.org/2005/Atom'><title>" + title + "</title><summary>" + summary +
               "</summary><link rel='alternate' href='" + href + "'/></entry>";
    };
    const std::vector<std::pair<Hostile, std::string>> corpus = {
        {{"Atom: emoji, RTL override, markup-like text", "", {"x01", kFire, "desrever", "</body><b>", "]]>", "end"}},
         atom("x01 " + kFire + " " + kRlm + kRlo + "desrever" + kPdf,
              "&lt;/body&gt;&lt;b&gt; ]]&gt; &amp;amp; end", "https://ci.example.org/" + kRlo + "/42")},
        {{"Atom: 64 KB of combining marks", "", {"x02 zalgo"}}, atom("x02 zalgo", kZalgo, "https://ci/x02")},
        {{"notification: character references", "", {"x03", kFire, "end"}},
         "<notification xmlns='urn:herald:0'><title>x03 &#x1F525; &#x202E;rev&#x202C; &#xFEFF; &#x85; end</title>"
         "<body>&#x10FFFF; &#xFFFD; &#xE000;</body></notification>"},
        {{"notification: 64 KB of combining marks", "", {"x04 zalgo"}}, notification("x04 zalgo", kZalgo)},
        {{"notification: markup in the text", "", {"x05", "<script>", "]]>", "end"}},
         notification("x05 <script>alert(1)</script> & ]]> end", "<![CDATA[x]]> &amp;")},
    };
    for (const auto& [item, payload] : corpus) {
        auto reply = publish(*alice_, "backups", payload);
        ASSERT_TRUE(reply) << item.name << ": no answer to the publish; " << stream_kept().message();
        if (reply->type() == "result") {
            expect_readable(*bob_, item, "IQ publish");
        } else {
            EXPECT_EQ(reply->type(), "error") << reply->xml();
            EXPECT_FALSE(error_condition(*reply).empty()) << item.name << ": " << reply->xml();
        }
        ASSERT_TRUE(stream_kept()) << "after " << item.name;
    }

    // Refusals up front: a node name and a priority with bidi controls.
    auto odd_node = publish(*alice_, "backups" + kRlo, notification("x06"));
    ASSERT_TRUE(odd_node);
    EXPECT_EQ(odd_node->type(), "error") << odd_node->xml();
    auto odd_priority = publish(*alice_, "backups", notification("x07 odd priority", "", " priority='high" + kRlo + "'"));
    ASSERT_TRUE(odd_priority);
    EXPECT_TRUE(odd_priority->type() == "error" || odd_priority->type() == "result") << odd_priority->xml();
    if (odd_priority->type() == "result") expect_readable(*bob_, {"odd priority", "", {"x07"}}, "IQ publish");

    // U+FFFE and U+FFFF, raw, from mallory's own stream.
    auto mallory = online_user("mallory");
    const std::string id = mallory->next_id();
    mallory->send("<iq type='set' id='" + id + "' to='" + component() +
                  "'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='backups'><item>"
                  "<notification xmlns='urn:herald:0'><title>x08 " + kNonchars + " end</title></notification>"
                  "</item></publish></pubsub></iq>");
    auto answer = mallory->wait_for([&](const ReceivedStanza& s) { return s.name() == "iq" && s.id() == id; }, kWait);
    if (answer && answer->type() == "result") {
        expect_readable(*bob_, {"U+FFFE U+FFFF over XMPP", "", {"x08", "end"}}, "IQ publish");
    } else if (answer) {
        EXPECT_EQ(answer->type(), "error") << answer->xml();
    } else {
        EXPECT_TRUE(mallory->disconnected()) << "neither an answer nor a stream error for U+FFFE over XMPP";
        const auto why = mallory->last_error();
        std::cout << "[ note ] ejabberd cut the client that sent U+FFFE: " << why.substr(0, why.find('\n')) << "\n";
    }
    expect_alive(*bob_);
    expect_orderly_stop();
}

// Mail piped into `herald ingest-mail`: raw 8-bit headers and bodies, and
// RFC 2047 / transfer encodings that decode to what XML forbids.
TEST_F(HostileInputE2E, MailWithRawAndEncodedHostileText) {
    with_open_topic();
    const auto token = make_token(*alice_, "backups", "mail");
    const auto config = ejabberd_.dir() / "mail-pipe.yaml";
    std::ofstream(config) << "component:\n  jid: " << component() << "\n  secret_file: /nonexistent/secret\n"
                          << "http:\n  enabled: true\n  port: " << base_.substr(base_.rfind(':') + 1) << "\n";
    const auto head = [](const std::string& subject, const std::string& type, const std::string& encoding) {
        return "From: CI <ci@example.org>\r\nTo: backups@example.org\r\nSubject: " + subject +
               "\r\nMIME-Version: 1.0\r\nContent-Type: " + type + "\r\nContent-Transfer-Encoding: " + encoding +
               "\r\n\r\n";
    };
    const std::vector<Hostile> corpus = {
        {"raw 8-bit header and body",
         head("m01 build \x1b[31mFAILED\x1b[0m \x01 \xff\xfe \xc0\xaf " + kNonchars + " end", "text/plain; charset=utf-8",
              "8bit") +
             bytes("m01 body \x1b[1mbold\x1b[0m \x0c \xed\xa0\x80 \0 trunc \xe2\x82 end\r\n"),
         {"m01 build", "FAILED"}},
        {"RFC 2047 words decoding to controls",
         head("=?UTF-8?B?" + base64("m02 enc \x1b[31mred\x1b[0m \x01 " + kNonchars + " \xff end") +
                  "?= =?UTF-8?Q?m02q_=01=FF=C0=AF=00_qend?=",
              "text/plain; charset=utf-8", "base64") +
             base64(bytes("m02 body \0\x01\x1b[31m \xc0\xaf emoji ") + kFire + " end") + "\r\n",
         {"m02 enc", "red"}},
        {"ISO-8859-1 with ESC and NUL",
         head("=?ISO-8859-1?Q?m03_caf=E9_=1B[31mred_end?=", "text/plain; charset=iso-8859-1", "quoted-printable") +
             "m03 body =1B[0m =00 =E9t=E9 end\r\n",
         {"m03 caf\xc3\xa9", "red"}},
        {"HTML entities decoding to controls",
         head("m04 html", "text/html; charset=utf-8", "8bit") +
             "<p>m04 body &#1; &#x1b;[31mred &#xFFFE; &#0; &#xD800; &#x1F525; end</p>\r\n",
         {"m04 html"}},
        {"64 KB of combining marks", head("m05 zalgo", "text/plain; charset=utf-8", "8bit") + kZalgo + "\r\n",
         {"m05 zalgo"}},
    };
    for (const auto& item : corpus) {
        const auto file = ejabberd_.dir() / (item.marker().substr(0, 3) + ".eml");
        std::ofstream(file, std::ios::binary) << item.bytes;
        const auto result = run_command({"/bin/sh", "-c", "exec \"$0\" \"$@\" < \"$MAIL_INPUT\"", HERALD_BINARY,
                                         "ingest-mail", "--config", config.string(), "--timeout", "10", "--recipient",
                                         "backups+" + token + "@" + kMailDomain},
                                        30s, {{"MAIL_INPUT", file.string()}});
        ASSERT_FALSE(result.timed_out) << item.name;
        if (result.exit_code == 0) {
            expect_readable(*bob_, item, "ingest-mail");
        } else {
            // Refused up front: an exit status the MTA understands, one line why.
            EXPECT_EQ(result.exit_code, 65)
                << item.name << ": exit " << result.exit_code << ": " << result.output;
            EXPECT_EQ(std::count(result.output.begin(), result.output.end(), '\n'), 1) << result.output;
        }
        ASSERT_TRUE(stream_kept()) << "after mail " << item.name;
    }
    expect_alive(*bob_);
    expect_orderly_stop();
}

// A feed whose items hold hostile text: well-formed RSS whose HTML escapes
// decode to controls, and RSS with raw bytes that no XML allows (herald may
// refuse that whole document; it must not pass the bytes on).
TEST_F(HostileInputE2E, FeedItemsWithHostileText) {
    HttpTestServer server;
    std::mutex mutex;
    std::map<std::string, std::string> documents;
    const auto serve = [&](const std::string& path) {
        server.handle(path, [&, path](const HttpTestRequest&) {
            std::lock_guard lock(mutex);
            return HttpTestResponse{200, {{"Content-Type", "application/rss+xml"}}, documents[path]};
        });
    };
    const auto set = [&](const std::string& path, const std::string& items) {
        std::lock_guard lock(mutex);
        documents[path] = "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><title>Hostile</title>"
                          "<item><guid>seed</guid><title>seed</title><link>https://example.org/seed</link></item>" +
                          items + "</channel></rss>";
    };
    serve("/escaped.xml");
    serve("/raw.xml");
    set("/escaped.xml", "");
    set("/raw.xml", "");
    bob_ = online_user("bob");
    for (const auto* path : {"/escaped.xml", "/raw.xml"}) {
        auto answer = chat_answer(*bob_, "feed add " + server.url(path) + " 1");
        ASSERT_TRUE(answer) << "no answer to feed add";
        ASSERT_TRUE(contains(answer->text("body"), "following")) << answer->xml();
        ASSERT_TRUE(server.wait_for_requests(path, 1, kWait));
    }
    // Both first polls are recorded (what a feed holds when added is not news).
    for (const auto* path : {"/escaped.xml", "/raw.xml"})
        ASSERT_TRUE(server.wait_for_requests(path, server.request_count(path) + 1, kWait));

    const auto escaped_items =
        "<item><guid>f01</guid><title>f01 " + kFire + " " + kRlm + "desrever end</title>"
        "<description>&lt;p&gt;f01 &amp;#1; &amp;#x1b;[31mred &amp;#xFFFE; &amp;#0; &amp;#xD800; &amp;#x1F525; "
        "end&lt;/p&gt;</description><link>https://example.org/f01?&amp;#1;</link></item>"
        "<item><guid>f02</guid><title>f02 cdata</title><description><![CDATA[<p>f02 &#x1b;[0m &#xfffe; "
        "<b>bold</b> end</p>]]></description></item>"
        "<item><guid>f03</guid><title>f03 zalgo</title><description>" + kZalgo + "</description></item>";
    const auto raw_items =
        std::string("<item><guid>r01</guid><title><![CDATA[r01 \x01 \x1b[31mred\x1b[0m \xff\xfe \xc0\xaf ") +
        kNonchars + " end]]></title><description>r01 \x0c \xed\xa0\x80 end</description></item>";
    set("/escaped.xml", escaped_items);
    set("/raw.xml", raw_items);
    for (const auto& item : std::vector<Hostile>{{"HTML escapes of controls", "", {"f01", kFire, "desrever"}},
                                                 {"CDATA HTML with escapes", "", {"f02 cdata", "bold"}},
                                                 {"64 KB of combining marks", "", {"f03 zalgo"}}}) {
        expect_readable(*bob_, item, "feed");
        ASSERT_TRUE(stream_kept()) << "after feed item " << item.name;
    }
    // Two more polls of the raw feed: anything it gave was sent by then.
    ASSERT_TRUE(server.wait_for_requests("/raw.xml", server.request_count("/raw.xml") + 2, kWait));
    if (auto raw = delivered(*bob_, "r01", 1s)) {
        EXPECT_TRUE(all_text_readable(*raw)) << "raw feed item";
    } else {
        std::cout << "[ note ] the feed with raw control bytes was refused\n";
    }
    expect_alive(*bob_);
    expect_orderly_stop();
}

// Chat commands quoted back, and ad-hoc form values that end up in topics,
// token labels and broadcasts.
TEST_F(HostileInputE2E, ChatCommandsAndFormValues) {
    with_open_topic();
    const std::vector<std::pair<std::string, std::string>> commands = {
        {"a word cut inside a 2-byte character", "a" + repeat("\xc3\xa9", 20)},
        {"a word cut inside a 3-byte character", "aa" + repeat("\xe2\x82\xac", 13)},
        {"a word cut inside a 4-byte character", "aaa" + repeat(kFire, 10)},
        {"a word cut inside a combining mark", "e" + repeat(kAcute, 21)},
        {"emoji and RTL in a topic name", "sub backups" + kRlo + kFire},
        {"combining marks past the body limit", "sub " + repeat(kAcute, 4000)},
        {"a feed URL with RTL and emoji", "feed add http://127.0.0.1:1/" + kRlo + kFire + " 1"},
        {"an escalation address with RTL", "prefs escalation mail " + kRlo + "bob@example.org 0"},
        {"history of an emoji", "history " + kFire},
    };
    for (const auto& [name, text] : commands) {
        auto answer = chat_answer(*bob_, text);
        ASSERT_TRUE(answer) << name << ": no answer; " << stream_kept().message();
        EXPECT_TRUE(all_text_readable(*answer)) << name;
        ASSERT_TRUE(stream_kept()) << "after the chat command: " << name;
    }

    const auto topic = "t" + kRlo + "opic-" + kFire + repeat(kAcute, 10);
    auto created = adhoc(*alice_, "create-topic", {{"topic", {topic}}, {"publish_model", {"open"}}});
    ASSERT_TRUE(created) << "create-topic: no answer; " << stream_kept().message();
    EXPECT_TRUE(all_text_readable(*created)) << "create-topic";
    ASSERT_TRUE(stream_kept()) << "after create-topic";

    const auto label = "label " + kFire + " " + kRlo + repeat(kAcute, 3000);
    auto token = token_command(*alice_, "backups", "create", label);
    ASSERT_TRUE(token) << "http-tokens: no answer; " << stream_kept().message();
    EXPECT_TRUE(all_text_readable(*token)) << "http-tokens";
    auto tokens_form = iq(*alice_, "set", "<command xmlns='" + kCommands + "' node='http-tokens' action='execute'/>");
    ASSERT_TRUE(tokens_form) << "http-tokens listing the labels: no answer; " << stream_kept().message();
    EXPECT_TRUE(all_text_readable(*tokens_form));

    auto admin = login("admin");
    auto sent = adhoc(*admin, "broadcast",
                      {{"title", {"b01 " + kFire + " " + kRlo + "desrever" + kPdf + repeat(kAcute, 100)}},
                       {"text", {"b01 line ]]> <b>", repeat(kAcute, 1000)}}});
    ASSERT_TRUE(sent) << "broadcast: no answer; " << stream_kept().message();
    EXPECT_TRUE(all_text_readable(*sent));
    if (sent->find("command") && sent->find("command")->attr("status") == "completed")
        expect_readable(*bob_, {"broadcast", "", {"b01", kFire, "desrever"}}, "ad-hoc broadcast");
    expect_alive(*bob_);
    expect_orderly_stop();
}

// Escalation of hostile items: a webhook (JSON) for bob, a mail for carol.
class HostileEscalationE2E : public HostileInputE2E {
protected:
    void SetUp() override {
        smtp_ = std::make_unique<SmtpSink>(ejabberd_.dir() / "smtp");
        HostileInputE2E::SetUp();
    }
    std::string more_config() const override {
        return mail_escalation_config(smtp_->port(), 1);
    }

    void goes_offline(std::unique_ptr<XmppTestClient>& client) {
        const auto jid = client->bare_jid();
        client->disconnect();
        ASSERT_TRUE(herald_->wait_log("user " + jid + " is now offline"));
    }

    std::unique_ptr<SmtpSink> smtp_;
    HttpTestServer webhook_;
};

TEST_F(HostileEscalationE2E, WebhookAndMailOfHostileItems) {
    webhook_.handle("/hook", [](const HttpTestRequest&) { return HttpTestResponse{204, {}, "", 0ms}; });
    with_open_topic();
    auto carol = online_user("carol");
    subscribe(*carol, "backups");
    auto webhook = chat_answer(*bob_, "prefs escalation webhook " + webhook_.url("/hook") + " 0");
    ASSERT_TRUE(webhook && contains(webhook->text("body"), "your webhook signing secret")) << (webhook ? webhook->xml() : "no answer");
    auto mail = chat_answer(*carol, "prefs escalation mail carol@example.org 0");
    ASSERT_TRUE(mail && contains(mail->text("body"), "saved")) << (mail ? mail->xml() : "no answer");
    const auto token = make_token(*alice_, "backups", "escalation");
    goes_offline(bob_);
    goes_offline(carol);

    ASSERT_EQ(post(token, "backups", "text/plain",
                   "e01 build \x1b[31mFAILED\x1b[0m \x01 \xff\xfe \xc0\xaf " + kNonchars + " \xed\xa0\x80 end")
                  .status,
              202);
    const auto json = post(token, "backups", "application/json",
                           R"({"title":"e02 \u0001 \u0000 \ufffe","body":"\u001b[0m end","link":"https://x/\u0001"})");
    EXPECT_TRUE(json.status == 202 || json.status == 400) << json.body;
    EXPECT_EQ(publish(*alice_, "backups", notification("e03 " + kFire + " " + kRlo + "desrever", kZalgo))->type(),
              "result");

    // The webhook: valid UTF-8 JSON whose strings are readable text.
    std::string hooked;
    for (std::size_t seen = 0; !(contains(hooked, "e01 build") && contains(hooked, "e03"));) {
        ASSERT_TRUE(webhook_.wait_for_requests("/hook", seen + 1, kWait))
            << "no webhook request with e01 and e03; " << stream_kept().message() << "\n" << herald_->log().tail(10);
        const auto requests = webhook_.requests("/hook");
        for (; seen < requests.size(); ++seen) {
            const auto& body = requests[seen].body;
            EXPECT_EQ(utf8_fault(body), "") << "webhook body";
            const auto document = nlohmann::json::parse(body, nullptr, false);
            ASSERT_TRUE(document.is_object()) << "webhook body is not JSON: " << text_excerpt(body, 0, 200);
            for (const auto& notification : document["notifications"]) {
                for (const auto& [key, value] : notification.items()) {
                    if (!value.is_string()) continue;
                    EXPECT_EQ(xml_text_fault(value.get<std::string>()), "") << "webhook notification " << key;
                    hooked += value.get<std::string>() + "\n";
                }
            }
        }
    }
    EXPECT_TRUE(contains(hooked, "FAILED")) << text_excerpt(hooked, 0, 300);

    // The mail: 7-bit headers without control characters or injected lines,
    // a readable body.
    std::string mailed;
    for (std::size_t seen = 0; !(contains(mailed, "e01 build") && contains(mailed, "e03"));) {
        ASSERT_TRUE(smtp_->wait_for_messages(seen + 1, kWait))
            << "no mail with e01 and e03; " << stream_kept().message() << "\n" << herald_->log().tail(10);
        const auto messages = smtp_->messages();
        for (; seen < messages.size(); ++seen) {
            const auto& message = messages[seen];
            auto end_of_headers = message.find("\r\n\r\n");
            if (end_of_headers == std::string::npos) end_of_headers = message.find("\n\n");
            ASSERT_NE(end_of_headers, std::string::npos) << text_excerpt(message, 0, 300);
            const auto headers = message.substr(0, end_of_headers);
            for (std::size_t i = 0; i < headers.size(); ++i) {
                const auto c = static_cast<unsigned char>(headers[i]);
                const bool line_end = c == '\n' || (c == '\r' && i + 1 < headers.size() && headers[i + 1] == '\n');
                EXPECT_TRUE(line_end || c == '\t' || (c >= 0x20 && c < 0x7f))
                    << "mail header byte " << static_cast<int>(c) << ": " << text_excerpt(headers, i);
                if (c != '\n' || i + 1 >= headers.size()) continue;
                // Every line starts a header or folds one: nothing injected.
                const auto next = headers.substr(i + 1, headers.find('\n', i + 1) - i - 1);
                EXPECT_TRUE(!next.empty() && (next[0] == ' ' || next[0] == '\t' ||
                                              std::regex_search(next, std::regex("^[A-Za-z-]+:"))))
                    << "mail header line: " << text_excerpt(next, 0);
            }
            const auto body = message.substr(end_of_headers);
            mailed += contains(headers, "quoted-printable") ? quoted_printable_decoded(body) : body;
        }
    }
    EXPECT_EQ(xml_text_fault(mailed), "") << "mail body";
    EXPECT_TRUE(contains(mailed, "FAILED")) << text_excerpt(mailed, 0, 300);

    expect_alive(*alice_);
    expect_orderly_stop();
}

}  // namespace
