#include <gtest/gtest.h>

#include "agents/mail_message.h"
#include "agents/webhook_agent.h"

using namespace herald;

namespace {

storage::Item item(const std::string& id, const std::string& title, const std::string& body = {},
                   const std::string& link = {}) {
    storage::Item item;
    item.item_id = id;
    item.node = "backups";
    item.title = title;
    item.body = body;
    item.link = link;
    item.priority = 2;
    item.published_ms = 1'790'000'000'000;
    return item;
}

storage::EscalationBatch batch_of(std::vector<storage::Item> items) {
    storage::EscalationBatch batch;
    batch.user = "bob@localhost";
    batch.channel = "mail";
    batch.target = "bob@example.org";
    batch.items = std::move(items);
    return batch;
}

}  // namespace

TEST(MailMessage, OneNotificationIsReadableWithHeadersAndCrlf) {
    const auto mail = agents::compose_mail(batch_of({item("i1", "Backup failed", "db1 nightly", "https://ci/42")}),
                                           {"herald@notify.example.org", "bob@example.org", "m1@notify", 0});
    EXPECT_NE(mail.find("Subject: [backups] Backup failed\r\n"), std::string::npos) << mail;
    EXPECT_NE(mail.find("To: <bob@example.org>\r\n"), std::string::npos);
    EXPECT_NE(mail.find("Message-ID: <m1@notify>\r\n"), std::string::npos);
    EXPECT_NE(mail.find("Content-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
    EXPECT_NE(mail.find("\r\n\r\n[backups] Backup failed\r\ndb1 nightly\r\nhttps://ci/42\r\n"), std::string::npos)
        << mail;
    for (std::size_t at = mail.find('\n'); at != std::string::npos; at = mail.find('\n', at + 1))
        EXPECT_EQ(mail[at - 1], '\r') << "bare LF at " << at;
}

TEST(MailMessage, AnItemWaitingForAcknowledgementSaysHow) {
    auto page = item("abc123", "db1 down");
    page.ack_required = true;
    auto mail = agents::compose_mail(batch_of({page}), {"h@x", "b@y", "m@x", 0});
    EXPECT_NE(mail.find("send \"ack abc123\" to the service"), std::string::npos) << mail;
    EXPECT_NE(agents::webhook_body(batch_of({page}), 5).find("\"awaits_acknowledgement\":true"), std::string::npos);
    page.acknowledged_by = "alice@x";
    mail = agents::compose_mail(batch_of({page}), {"h@x", "b@y", "m@x", 0});
    EXPECT_EQ(mail.find("acknowledged"), std::string::npos) << mail;
}

TEST(MailMessage, SeveralNotificationsMakeOneDigest) {
    const auto batch = batch_of({item("i1", "First"), item("i2", "Second"), item("i3", "Third")});
    EXPECT_EQ(agents::mail_subject(batch), "3 notifications while you were away");
    const auto mail = agents::compose_mail(batch, {"h@x", "b@y", "m@x", 0});
    const auto first = mail.find("First"), second = mail.find("Second"), third = mail.find("Third");
    ASSERT_NE(third, std::string::npos);
    EXPECT_LT(first, second);
    EXPECT_LT(second, third);
}

TEST(MailMessage, NonAsciiSubjectIsEncodedAndBodyIsQuotedPrintable) {
    const auto mail = agents::compose_mail(batch_of({item("i1", "Sauvegarde échouée", "réessayer = bientôt")}),
                                           {"h@x", "b@y", "m@x", 0});
    EXPECT_NE(mail.find("Subject: =?UTF-8?B?"), std::string::npos);
    EXPECT_EQ(mail.find("échouée"), std::string::npos) << "no raw 8-bit text in the mail";
    EXPECT_NE(mail.find("r=C3=A9essayer =3D bient=C3=B4t"), std::string::npos) << mail;
}

TEST(MailMessage, QuotedPrintableKeepsLinesShortAndEncodesTrailingSpace) {
    const auto encoded = agents::quoted_printable(std::string(200, 'a') + " \nnext");
    std::size_t start = 0;
    while (start < encoded.size()) {
        const auto end = encoded.find("\r\n", start);
        const auto line = encoded.substr(start, end == std::string::npos ? std::string::npos : end - start);
        EXPECT_LE(line.size(), 76u) << line;
        if (end == std::string::npos) break;
        start = end + 2;
    }
    EXPECT_NE(encoded.find("=20\r\nnext"), std::string::npos) << encoded;
}

TEST(Webhook, SignatureIsHmacSha256OfTheBody) {
    // RFC 4231, test case 2.
    EXPECT_EQ(agents::webhook_signature("Jefe", "what do ya want for nothing?"),
              "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Webhook, BodyListsEveryNotification) {
    const auto body = agents::webhook_body(batch_of({item("i1", "First", "", "https://x/1"), item("i2", "Second")}), 5);
    EXPECT_NE(body.find("\"user\":\"bob@localhost\""), std::string::npos) << body;
    EXPECT_NE(body.find("\"id\":\"i2\""), std::string::npos);
    EXPECT_NE(body.find("\"priority\":\"high\""), std::string::npos);
    EXPECT_NE(body.find("\"link\":\"https://x/1\""), std::string::npos);
}
