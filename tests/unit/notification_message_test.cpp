#include <gtest/gtest.h>

#include <set>
#include <string>

#include "agents/xmpp_notification_message.h"
#include "component/notification_payload.h"
#include "received_stanza.h"
#include "routing/delivery.h"

using namespace herald::agents;
using herald::routing::message_format;
using herald::testing::ReceivedStanza;

namespace storage = herald::storage;

namespace {

constexpr std::int64_t kPublished = 1'764'532'800'000;  // 2025-11-30 20:00:00 UTC

storage::Item item_with_payload(std::string payload, int priority = 1) {
    storage::Item item;
    item.item_id = "item-1";
    item.node = "backups";
    item.title = "Backup failed";
    item.body = "db1 nightly";
    item.link = "https://ci.example.org/42";
    item.priority = priority;
    item.published_ms = kPublished;
    item.payload = std::move(payload);
    return item;
}

// Every kind of payload a stored item can hold.
std::vector<storage::Item> every_payload_kind() {
    return {
        item_with_payload("<entry xmlns='http://www.w3.org/2005/Atom'><title>Backup failed</title>"
                          "<summary>db1 nightly</summary><link href='https://ci.example.org/42'/></entry>"),
        item_with_payload("<notification xmlns='urn:herald:0' priority='high'><title>Backup failed</title>"
                          "<body>db1 nightly</body></notification>", 2),
        item_with_payload(""),  // a row whose payload was not well-formed: rebuilt from the fields
        // A publisher nesting what would hide the message if it were a child of it.
        item_with_payload("<entry xmlns='http://www.w3.org/2005/Atom'><title>t</title>"
                          "<x xmlns='jabber:x:data' type='form'/><x xmlns='jabber:x:conference' jid='r@m'/>"
                          "<event xmlns='http://jabber.org/protocol/pubsub#event'/></entry>"),
    };
}

ReceivedStanza rendered(const storage::Item& item, MessageFormat format, bool waited = false) {
    return ReceivedStanza::parse(
        notification_message(item, {"notify.example.org", "alice@example.org/phone", "herald-n-7", format, waited})
            .to_xml(),
        "jabber:component:accept");
}

}  // namespace

TEST(NotificationMessage, ChatMessagesCarryNothingThatHidesThemInAClient) {
    const std::set<std::string> hiding = {"http://jabber.org/protocol/pubsub#event", "jabber:x:data",
                                          "jabber:x:conference", "http://jabber.org/protocol/muc#user"};
    for (const auto format : {MessageFormat::chat, MessageFormat::headline})
        for (const auto& item : every_payload_kind()) {
            const auto message = rendered(item, format);
            for (const auto& child : message.children())
                EXPECT_EQ(hiding.count(child.ns()), 0u) << child.ns() << " in " << message.xml();
            EXPECT_FALSE(message.text("body").empty()) << message.xml();
        }
}

TEST(NotificationMessage, ChatShapeFollowsTheProtocol) {
    for (const auto& item : every_payload_kind()) {
        const auto message = rendered(item, MessageFormat::chat);
        EXPECT_EQ(message.type(), "chat");
        EXPECT_EQ(message.from(), "notify.example.org");
        EXPECT_EQ(message.to(), "alice@example.org/phone");
        EXPECT_EQ(message.id(), "herald-n-7");
        EXPECT_EQ(message.find("origin-id[@xmlns='urn:xmpp:sid:0']")->attr("id"), message.id());
        EXPECT_TRUE(message.has("request[@xmlns='urn:xmpp:receipts']"));
        EXPECT_TRUE(message.has("store[@xmlns='urn:xmpp:hints']"));
        EXPECT_FALSE(message.has("delay")) << "delivered at once";
        const auto notification = message.find("notification[@xmlns='urn:herald:0']");
        ASSERT_TRUE(notification) << message.xml();
        EXPECT_EQ(notification->attr("node"), "backups");
        EXPECT_EQ(notification->attr("item"), "item-1");
        EXPECT_EQ(notification->children().size(), 1u) << "the published payload, or one rebuilt: " << message.xml();
    }
}

TEST(NotificationMessage, RebuildsAMissingPayloadFromTheFields) {
    const auto message = rendered(item_with_payload(""), MessageFormat::chat);
    EXPECT_EQ(message.text("notification/notification/title"), "Backup failed");
    EXPECT_EQ(message.text("notification/notification/body"), "db1 nightly");
    EXPECT_EQ(message.text("notification/notification/link"), "https://ci.example.org/42");
}

TEST(NotificationMessage, BodyTellsPriorityAndPublishingTimeToPeople) {
    EXPECT_EQ(rendered(item_with_payload("", 1), MessageFormat::chat).text("body"),
              "[backups] Backup failed: db1 nightly https://ci.example.org/42");
    EXPECT_EQ(rendered(item_with_payload("", 3), MessageFormat::chat).text("body"),
              "[backups] (urgent) Backup failed: db1 nightly https://ci.example.org/42");
    EXPECT_EQ(rendered(item_with_payload("", 2), MessageFormat::chat).text("body").rfind("[backups] (high) ", 0), 0u);
    EXPECT_EQ(rendered(item_with_payload("", 0), MessageFormat::chat).text("body").rfind("[backups] Backup", 0), 0u);

    const auto late = rendered(item_with_payload(""), MessageFormat::chat, true);
    EXPECT_NE(late.text("body").find("\n(published 2025-11-30 20:00 UTC)"), std::string::npos) << late.xml();
    EXPECT_EQ(late.find("delay[@xmlns='urn:xmpp:delay']")->attr("stamp"), "2025-11-30T20:00:00.000Z");
}

TEST(NotificationMessage, PubsubFormatIsTheXep0060Event) {
    const auto message = rendered(every_payload_kind()[0], MessageFormat::pubsub);
    EXPECT_EQ(message.type(), "headline");
    EXPECT_FALSE(message.has("body"));
    const auto items = message.find("event[@xmlns='http://jabber.org/protocol/pubsub#event']/items");
    ASSERT_TRUE(items) << message.xml();
    EXPECT_EQ(items->attr("node"), "backups");
    EXPECT_EQ(items->find("item")->attr("id"), "item-1");
    EXPECT_EQ(items->text("item/entry/title"), "Backup failed");
}

TEST(NotificationMessage, StoredBytesCannotBreakTheStanza) {
    auto item = item_with_payload("<entry xmlns='http://www.w3.org/2005/Atom'><title>a\x1B[31mb\xFF</title></entry>");
    item.title = "build \x1B[31mFAILED\x1B[0m \xFF\xFE";
    item.body = std::string("nul\0 and \x01", 10);
    item.node = "ci\x0C";
    const auto message = rendered(item, MessageFormat::chat);  // throws when not well-formed
    EXPECT_EQ(message.text("body").rfind("[ci] build FAILED \xEF\xBF\xBD\xEF\xBF\xBD: nul and ", 0), 0u)
        << message.text("body");
}

TEST(NotificationMessage, FormatNames) {
    EXPECT_EQ(message_format("chat"), MessageFormat::chat);
    EXPECT_EQ(message_format("headline"), MessageFormat::headline);
    EXPECT_EQ(message_format("pubsub"), MessageFormat::pubsub);
    EXPECT_EQ(message_format("other"), MessageFormat::chat);
}
