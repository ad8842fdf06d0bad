// The mail pipe's pure parts: parse_mail on the fixtures in
// tests/fixtures/mail, the recipient address form, text clean-up, the
// options, and what each API answer means for the MTA.

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "ingest/html_text.h"
#include "ingest/mail_address.h"
#include "ingest/mail_address_command.h"
#include "ingest/mail_ingest.h"
#include "ingest/mail_parser.h"
#include "ingest/mail_text.h"

using namespace herald::ingest;

namespace {

const std::string kToken = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(HERALD_SOURCE_DIR) + "/tests/fixtures/mail/" + name, std::ios::binary);
    EXPECT_TRUE(in) << name;
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

MailNotification parsed(const std::string& text) {
    auto result = parse_mail(text);
    if (const auto* error = std::get_if<MailParseError>(&result)) {
        ADD_FAILURE() << "parse error: " << error->message;
        return {};
    }
    return std::get<MailNotification>(result);
}

std::string parse_error(const std::string& text) {
    auto result = parse_mail(text);
    if (const auto* error = std::get_if<MailParseError>(&result)) return error->message;
    return "";
}

TEST(MailParser, MultipartAlternativeTakesThePlainPartWithoutSignature) {
    const auto mail = parsed(fixture("multipart_alternative.eml"));
    EXPECT_EQ(mail.title, "Backup failed on db1");
    EXPECT_EQ(mail.body, "The nightly backup of db1 failed.\n\nLog: https://ci.example.org/job/42.");
    EXPECT_EQ(mail.link, "https://ci.example.org/job/42");
    EXPECT_EQ(mail.priority, "high");
    EXPECT_EQ(mail.delivered_to, "backups+" + kToken + "@notify-mail.example.org");
}

TEST(MailParser, HtmlOnlyBecomesReadableText) {
    const auto mail = parsed(fixture("html_only.eml"));
    EXPECT_EQ(mail.title, "Disk almost full");
    EXPECT_EQ(mail.body,
              "db1 /var at 91%\nFree some space & check the logs.\nSecond line.\n"
              "var/log: 40 GB\nvar/cache: 12 GB\nmail ops or the dashboard");
    EXPECT_EQ(mail.link, "https://grafana.example.org/d/disk?host=db1&x=1") << "the first http(s) href, not mailto:";
    EXPECT_EQ(mail.body.find("alert"), std::string::npos) << "scripts are not text";
    EXPECT_EQ(mail.body.find("ignored title"), std::string::npos);
    EXPECT_FALSE(mail.priority);
}

TEST(MailParser, IsoLatin1QuotedPrintableBecomesUtf8) {
    const auto mail = parsed(fixture("iso_8859_1_quoted_printable.eml"));
    EXPECT_EQ(mail.title, "Alerte température");
    EXPECT_EQ(mail.body,
              "Température élevée dans la salle serveur : 42 °C.\n"
              "Le capteur « baie 3 » dépasse le seuil depuis 10 minutes, voir "
              "https://monitor.example.org/salle?id=3&zone=b pour le détail.");
    EXPECT_EQ(mail.link, "https://monitor.example.org/salle?id=3&zone=b");
}

TEST(MailParser, Windows1252Base64BecomesUtf8) {
    const auto mail = parsed(fixture("windows_1252_base64.eml"));
    EXPECT_EQ(mail.title, "Invoice 42");
    EXPECT_EQ(mail.body, "Invoice \u201c42\u201d \u2013 total 100 \u20ac, due in 30 days.\nThanks!");
    EXPECT_EQ(mail.link, "");
}

TEST(MailParser, EncodedWordSubjectIsDecoded) {
    const auto mail = parsed(fixture("rfc2047_subject.eml"));
    EXPECT_EQ(mail.title, "Déploiement réussi \u2705 sur prod");
    EXPECT_EQ(mail.body, "Version 1.2 is live.");
}

TEST(MailParser, NoSubjectTitlesWithTheSender) {
    const auto mail = parsed(fixture("no_subject.eml"));
    EXPECT_EQ(mail.title, "Mail from Cron Daemon");
    EXPECT_EQ(mail.body, "backup.sh: exit status 1\n/var/backups is read-only");
}

TEST(MailParser, NoSubjectAndNoSenderTitlesWithTheFirstLine) {
    const auto mail = parsed("Date: Tue, 24 Nov 2026 03:00:00 +0000\n\n\n  first   line here  \nsecond\n");
    EXPECT_EQ(mail.title, "first line here");
}

TEST(MailParser, AttachmentsAreIgnored) {
    const auto mail = parsed(fixture("attachment.eml"));
    EXPECT_EQ(mail.title, "Weekly report");
    EXPECT_EQ(mail.body, "The weekly report is attached.");
}

TEST(MailParser, SubjectOnlyIsEnough) {
    const auto mail = parsed("From: a@example.org\nSubject: ping\n\n");
    EXPECT_EQ(mail.title, "ping");
    EXPECT_EQ(mail.body, "");
}

TEST(MailParser, MislabelledLatin1IsReadAsWindows1252AndBadUtf8IsReplaced) {
    EXPECT_EQ(parsed("Subject: x\nContent-Type: text/plain; charset=iso-8859-1\n\n100 \x80\n").body, "100 \u20ac");
    EXPECT_EQ(parsed("Subject: x\nContent-Type: text/plain; charset=utf-8\n\ncaf\xe9\n").body, "caf\u00e9")
        << "invalid UTF-8 falls back to windows-1252";
    EXPECT_EQ(parsed("Subject: x\nContent-Type: text/plain; charset=x-no-such-charset\n\nok\n").body, "ok");
    EXPECT_EQ(parsed("Subject: raw \xe9t\xe9\n\nbody\n").title, "raw \u00e9t\u00e9") << "8-bit header";
}

TEST(MailParser, ControlCharactersAndCrLfAreCleaned) {
    const auto mail = parsed("Subject: a\r\n\tfolded\x07 subject\r\n\r\nline\x1b[31m red\r\n\r\n\r\n\r\nnext  \r\n");
    EXPECT_EQ(mail.title, "a folded subject");
    EXPECT_EQ(mail.body, "line[31m red\n\nnext");
}

TEST(MailParser, MboxFromLineIsSkipped) {
    const auto mail = parsed("From ci@example.org Tue Nov 24 03:00:00 2026\nFrom: ci@example.org\nSubject: s\n\nbody\n");
    EXPECT_EQ(mail.title, "s");
    EXPECT_EQ(mail.body, "body");
}

TEST(MailParser, PriorityHeaders) {
    EXPECT_EQ(parsed("Subject: x\nX-Priority: 1 (Highest)\n\nb\n").priority, "high");
    EXPECT_EQ(parsed("Subject: x\nX-Priority: 5\n\nb\n").priority, "low");
    EXPECT_EQ(parsed("Subject: x\nImportance: Low\n\nb\n").priority, "low");
    EXPECT_EQ(parsed("Subject: x\nPriority: urgent\n\nb\n").priority, "high");
    EXPECT_FALSE(parsed("Subject: x\nX-Priority: 3\n\nb\n").priority);
}

TEST(MailParser, XOriginalToWhenNoDeliveredTo) {
    EXPECT_EQ(parsed("X-Original-To: n+t@x\nSubject: s\n\n").delivered_to, "n+t@x");
    EXPECT_EQ(parsed("Delivered-To: first+1@x\nDelivered-To: older+2@x\nX-Original-To: o+3@x\nSubject: s\n\n").delivered_to,
              "first+1@x")
        << "the topmost Delivered-To is the last hop's";
}

TEST(MailParser, NotAMailOrNothingToSayIsAnError) {
    EXPECT_NE(parse_error(""), "");
    EXPECT_NE(parse_error("this is not a mail at all\njust text\n"), "");
    EXPECT_NE(parse_error(std::string("\x00\x01\x02\xff\xfe garbage", 12)), "");
    EXPECT_NE(parse_error("X-Custom: 1\n\nbody\n"), "") << "no RFC 5322 header";
    EXPECT_NE(parse_error("From: a@example.org\nSubject:   \n\n \n\n"), "") << "no subject and no text";
    EXPECT_NE(parse_error("From: a@example.org\nContent-Type: image/png\n\n\x89PNG"), "");
}

TEST(MailParser, HostileInputNeverCrashes) {
    std::string nested = "Subject: deep\nContent-Type: multipart/mixed; boundary=b0\n\n";
    for (int i = 1; i < 200; ++i)
        nested += "--b" + std::to_string(i - 1) + "\nContent-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n";
    EXPECT_EQ(parsed(nested).title, "deep");
    std::string html = "Subject: h\nContent-Type: text/html\n\n";
    for (int i = 0; i < 5000; ++i) html += "<div>";
    html += "deep text";
    EXPECT_EQ(parsed(html).title, "h");
    const auto huge_header = "Subject: " + std::string(100000, 'x') + "\n\n";
    EXPECT_LE(parsed(huge_header).title.size(), 300u);
}

TEST(MailText, EmptyTextInAnyCharsetIsEmpty) {
    // Found by the mail parser fuzzer: an empty part with an unknown charset.
    EXPECT_EQ(to_utf8(std::string_view(), "x-unknown"), "");
    EXPECT_EQ(to_utf8(std::string_view(), ""), "");
}

TEST(MailText, FirstWebLink) {
    EXPECT_EQ(first_web_link("see (https://x.org/a?b=1), then"), "https://x.org/a?b=1");
    EXPECT_EQ(first_web_link("<HTTP://X.org/>"), "HTTP://X.org/");
    EXPECT_EQ(first_web_link("ftp://x.org http://"), "");
    EXPECT_EQ(first_web_link("nothing"), "");
}

TEST(MailText, TruncateAtCharacterBoundary) {
    EXPECT_EQ(truncate_utf8("short", 10), "short");
    EXPECT_EQ(truncate_utf8("ééééé", 8), "éé…");
    EXPECT_EQ(truncate_utf8("abc", 2), "");
}

TEST(MailAddress, RoundTripsAnyNodeThroughALocalPart) {
    for (const std::string node : {"backups", "inbox/bob@example.org", "Alerts+Prod", "a=b", ".hidden..x.", "café"}) {
        const auto address = mail_address(node, kToken, "notify-mail.example.org");
        const auto local = address.substr(0, address.rfind('@'));
        EXPECT_EQ(local.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_.=+ABCDEF"), std::string::npos) << address;
        EXPECT_NE(local.front(), '.');
        EXPECT_EQ(local.find(".."), std::string::npos) << address;
        auto parsed = parse_recipient(address);
        ASSERT_TRUE(std::holds_alternative<MailRecipient>(parsed)) << address;
        EXPECT_EQ(std::get<MailRecipient>(parsed).node, node);
        EXPECT_EQ(std::get<MailRecipient>(parsed).token, kToken);
    }
    EXPECT_EQ(encode_node("inbox/bob@example.org"), "inbox=2Fbob=40example.org");
    EXPECT_EQ(encode_node("Backups"), "=42ackups");
}

TEST(MailAddress, SurvivesCaseFoldingAndDecoration) {
    std::string upper = "INBOX=2FBOB=40X+" + kToken + "@NOTIFY";
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto folded = parse_recipient(upper);
    ASSERT_TRUE(std::holds_alternative<MailRecipient>(folded));
    EXPECT_EQ(std::get<MailRecipient>(folded).token, kToken) << "hex digits read in either case";
    auto lowered = parse_recipient("<inbox=2fbob=40x+" + kToken + "@notify>");
    ASSERT_TRUE(std::holds_alternative<MailRecipient>(lowered));
    EXPECT_EQ(std::get<MailRecipient>(lowered).node, "inbox/bob@x");
    auto quoted = parse_recipient("\"backups+" + kToken + "\"@notify");
    ASSERT_TRUE(std::holds_alternative<MailRecipient>(quoted));
    EXPECT_EQ(std::get<MailRecipient>(quoted).node, "backups");
}

TEST(MailAddress, Problems) {
    EXPECT_EQ(std::get<RecipientProblem>(parse_recipient("")), RecipientProblem::no_address);
    EXPECT_EQ(std::get<RecipientProblem>(parse_recipient("@x")), RecipientProblem::no_address);
    EXPECT_EQ(std::get<RecipientProblem>(parse_recipient("backups@x")), RecipientProblem::no_token);
    EXPECT_EQ(std::get<RecipientProblem>(parse_recipient("backups+@x")), RecipientProblem::no_token);
    EXPECT_EQ(std::get<RecipientProblem>(parse_recipient("+abc@x")), RecipientProblem::bad_node);
    EXPECT_EQ(std::get<RecipientProblem>(parse_recipient("a=zz+abc@x")), RecipientProblem::bad_node);
    EXPECT_EQ(std::get<RecipientProblem>(parse_recipient("a=2+abc@x")), RecipientProblem::bad_node);
    EXPECT_EQ(std::get<RecipientProblem>(parse_recipient("a=00+abc@x")), RecipientProblem::bad_node);
    EXPECT_EQ(std::get<RecipientProblem>(parse_recipient("a+abc\r\nX: y@x")), RecipientProblem::bad_token);
    EXPECT_EQ(std::get<RecipientProblem>(parse_recipient("a+not-hex@x")), RecipientProblem::bad_token);
}

TEST(MailAddress, TokenFileHasATokenPerTopic) {
    const auto parsed = parse_topic_tokens("# topic token\n\nops/db1 " + kToken + "\r\nDeploys  \t ABC0\n");
    ASSERT_TRUE(std::holds_alternative<TopicTokens>(parsed));
    const auto& tokens = std::get<TopicTokens>(parsed);
    EXPECT_EQ(tokens.size(), 2u);
    EXPECT_EQ(tokens.at("ops/db1"), kToken);
    EXPECT_EQ(tokens.at("Deploys"), "abc0");
    EXPECT_EQ(std::get<std::size_t>(parse_topic_tokens("a " + kToken + "\n" + kToken + "\n")), 2u) << "no topic";
    EXPECT_EQ(std::get<std::size_t>(parse_topic_tokens("# x\nops not-hex\n")), 2u);
    EXPECT_EQ(tokenless_recipient_node("<ops=2Fdb1@notify>"), "ops/db1");
    EXPECT_EQ(tokenless_recipient_node("ops+@notify"), "ops");
    EXPECT_EQ(tokenless_recipient_node("ops+" + kToken + "@notify"), std::nullopt);
}

TEST(MailAddress, RedactionHidesTheToken) {
    EXPECT_EQ(redacted_recipient("backups+" + kToken + "@notify"), "backups+…@notify");
    EXPECT_EQ(redacted_recipient("backups@notify"), "backups@notify");
}

TEST(MailAddressCommand, PrintsTheAddressWithTheTokenFromStdin) {
    std::istringstream token(kToken + "\n");
    std::ostringstream out, err;
    EXPECT_EQ(run_mail_address({"--topic", "ops/db1", "--domain", "m.example.org"}, token, out, err), 0) << err.str();
    EXPECT_EQ(out.str(), "ops=2Fdb1+" + kToken + "@m.example.org\n");
    std::istringstream empty;
    EXPECT_EQ(run_mail_address({"--topic", "ops/db1", "--domain", "m.example.org"}, empty, out, err), 64);
    std::istringstream bad("not a token\n");
    EXPECT_EQ(run_mail_address({"--topic", "t", "--domain", "d"}, bad, out, err), 65);
    EXPECT_EQ(run_mail_address({"--token", "x"}, token, out, err), 64);
}

TEST(IngestMailOptions, ParsesAndRefuses) {
    auto good = parse_ingest_mail_options({"--config", "/etc/h.yaml", "--recipient=a+b@c", "--max-size", "1000", "--timeout", "5"});
    ASSERT_TRUE(std::holds_alternative<IngestMailOptions>(good));
    const auto& options = std::get<IngestMailOptions>(good);
    EXPECT_EQ(options.config_path, "/etc/h.yaml");
    EXPECT_EQ(options.recipient, "a+b@c");
    EXPECT_EQ(options.max_message_bytes, 1000u);
    EXPECT_EQ(options.timeout, std::chrono::seconds(5));
    EXPECT_TRUE(std::get<IngestMailOptions>(parse_ingest_mail_options({"--help"})).help);
    for (const auto& bad : std::vector<std::vector<std::string>>{
             {}, {"--recipient", "a+b@c"}, {"--config"}, {"--config", "f", "--max-size", "0"},
             {"--config", "f", "--timeout", "x"}, {"--config", "f", "--nope"}})
        EXPECT_TRUE(std::holds_alternative<IngestMailUsageError>(parse_ingest_mail_options(bad)));
}

ApiReply answered(int status, std::string error = {}) {
    ApiReply reply;
    reply.answered = true;
    reply.status = status;
    reply.error = std::move(error);
    return reply;
}

TEST(MailOutcome, EveryAnswerHasItsExitStatus) {
    EXPECT_EQ(outcome_of(answered(202), "n").code, ExitCode::ok);
    ApiReply unreachable;
    unreachable.transport_error = "Connection refused";
    EXPECT_EQ(outcome_of(unreachable, "n").code, ExitCode::temporary_failure);
    const std::vector<std::pair<int, ExitCode>> table = {
        {401, ExitCode::no_permission}, {403, ExitCode::no_permission}, {404, ExitCode::no_user},
        {400, ExitCode::data_error},    {413, ExitCode::data_error},    {415, ExitCode::data_error},
        {429, ExitCode::temporary_failure}, {503, ExitCode::temporary_failure}, {500, ExitCode::temporary_failure},
        {200, ExitCode::temporary_failure}, {405, ExitCode::temporary_failure}};
    for (const auto& [status, code] : table) {
        const auto outcome = outcome_of(answered(status, "x"), "backups");
        EXPECT_EQ(outcome.code, code) << status;
        EXPECT_NE(outcome.message.find(std::to_string(status)), std::string::npos) << outcome.message;
    }
}

TEST(MailOutcome, FitsTheDaemonsLimits) {
    MailNotification mail{"title", std::string(10000, '&'), "https://x.org", std::nullopt, ""};
    fit_notification(mail, 4000);
    EXPECT_LT(mail.body.size() * 5, 4000u - 512);
    EXPECT_GT(mail.body.size(), 100u);
    EXPECT_EQ(mail.body.substr(mail.body.size() - 3), "…");
    MailNotification small{"t", "body", "", std::nullopt, ""};
    fit_notification(small, 4000);
    EXPECT_EQ(small.body, "body");
}

// The command without the network: a Poster that records what it was given.
struct RecordingPoster {
    std::optional<MailRecipient> recipient;
    std::optional<MailNotification> mail;
    ApiReply reply = answered(202);
    ApiReply operator()(const ApiEndpoint&, const MailRecipient& r, const MailNotification& m) {
        recipient = r;
        mail = m;
        return reply;
    }
};

MailOutcome run_ingest(RecordingPoster& poster, const std::string& message, std::optional<std::string> option,
                       std::optional<std::string> environment = std::nullopt, std::size_t max_bytes = 1 << 20,
                       std::optional<TopicTokens> tokens = std::nullopt) {
    const MailIngest ingest({{"http://127.0.0.1:1", std::chrono::seconds(1)}, 64 * 1024, std::move(tokens)},
                            [environment](const char*) { return environment; },
                            [&poster](const ApiEndpoint& e, const MailRecipient& r, const MailNotification& m) {
                                return poster(e, r, m);
                            });
    std::istringstream input(message);
    return ingest.run(input, option, max_bytes);
}

TEST(MailIngestRun, RecipientFromOptionThenEnvironmentThenHeader) {
    RecordingPoster poster;
    const auto mail = fixture("multipart_alternative.eml");
    EXPECT_EQ(run_ingest(poster, mail, "opt+aa@x").code, ExitCode::ok);
    EXPECT_EQ(poster.recipient->node, "opt");
    EXPECT_EQ(poster.mail->title, "Backup failed on db1");
    EXPECT_EQ(run_ingest(poster, mail, std::nullopt, "env+bb@x").code, ExitCode::ok);
    EXPECT_EQ(poster.recipient->node, "env");
    EXPECT_EQ(run_ingest(poster, mail, std::nullopt).code, ExitCode::ok);
    EXPECT_EQ(poster.recipient->node, "backups");
    EXPECT_EQ(poster.recipient->token, kToken);
}

TEST(MailIngestRun, AnAddressWithoutATokenTakesTheTokenFileOne) {
    RecordingPoster poster;
    const auto mail = fixture("multipart_alternative.eml");
    const TopicTokens tokens{{"ops/db1", kToken}};
    EXPECT_EQ(run_ingest(poster, mail, "ops=2Fdb1@x", std::nullopt, 1 << 20, tokens).code, ExitCode::ok);
    EXPECT_EQ(poster.recipient->node, "ops/db1");
    EXPECT_EQ(poster.recipient->token, kToken);
    EXPECT_EQ(run_ingest(poster, mail, "ops=2Fdb1+aa@x", std::nullopt, 1 << 20, tokens).code, ExitCode::ok);
    EXPECT_EQ(poster.recipient->token, "aa") << "a token in the address is the one used";
    EXPECT_EQ(run_ingest(poster, mail, "other@x", std::nullopt, 1 << 20, tokens).code, ExitCode::no_user);
    EXPECT_EQ(run_ingest(poster, mail, "ops=2Fdb1@x").code, ExitCode::no_user) << "no token file";
}

TEST(MailIngestRun, FailuresNeverShowTheToken) {
    RecordingPoster poster;
    const auto mail = fixture("no_subject.eml");
    const auto no_token = run_ingest(poster, mail, "cron@x");
    EXPECT_EQ(no_token.code, ExitCode::no_user);
    const auto bad_token = run_ingest(poster, mail, "cron+zz" + kToken + "@x");
    EXPECT_EQ(bad_token.code, ExitCode::no_permission);
    EXPECT_EQ(bad_token.message.find(kToken), std::string::npos) << bad_token.message;
    poster.reply = answered(401, "unauthorized");
    const auto refused = run_ingest(poster, mail, "cron+" + kToken + "@x");
    EXPECT_EQ(refused.code, ExitCode::no_permission);
    EXPECT_EQ(refused.message.find(kToken), std::string::npos) << refused.message;
    EXPECT_EQ(run_ingest(poster, "From: a\nSubject: s\n\n", std::nullopt).code, ExitCode::usage) << "no recipient at all";
    EXPECT_EQ(run_ingest(poster, "garbage", "cron+aa@x").code, ExitCode::data_error);
    EXPECT_EQ(run_ingest(poster, mail, "cron+aa@x", std::nullopt, 10).code, ExitCode::data_error) << "too large";
}

}  // namespace
