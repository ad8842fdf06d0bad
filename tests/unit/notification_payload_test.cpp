#include <gtest/gtest.h>

#include "component/notification_payload.h"
#include "routing/pubsub_service.h"

using namespace herald::component;
using namespace herald::routing;

namespace {

XmlElement item_with(XmlElement payload, const std::string& id = {}) {
    XmlElement item("item", "http://jabber.org/protocol/pubsub");
    if (!id.empty()) item.set_attr("id", id);
    item.add(std::move(payload));
    return item;
}

XmlElement herald_notification(const std::string& title, const std::string& body = {}) {
    XmlElement payload("notification", "urn:herald:0");
    payload.add_child("title", "urn:herald:0").set_text(title);
    if (!body.empty()) payload.add_child("body", "urn:herald:0").set_text(body);
    return payload;
}

std::string refusal(const XmlElement& item, const PubsubSettings& config = {}, const XmlElement* options = nullptr) {
    try {
        read_published_item("n", item, options, config, 1000);
    } catch (const PubsubError& error) {
        return std::string(stanza_error_of(error.reason).condition) + "/" + error.pubsub_condition;
    }
    return "accepted";
}

}  // namespace

TEST(NotificationPayload, ReadsAtomEntry) {
    XmlElement entry("entry", "http://www.w3.org/2005/Atom");
    entry.add_child("title", "http://www.w3.org/2005/Atom").set_text("Backup failed");
    entry.add_child("content", "http://www.w3.org/2005/Atom").set_text("db1");
    entry.add_child("link", "http://www.w3.org/2005/Atom").set_attr("rel", "self").set_attr("href", "https://x/self");
    entry.add_child("link", "http://www.w3.org/2005/Atom").set_attr("rel", "alternate").set_attr("href", "https://x/42");
    const auto item = read_published_item("backups", item_with(entry, "id-1"), nullptr, PubsubSettings{}, 5000);
    EXPECT_EQ(item.item_id, "id-1");
    EXPECT_EQ(item.title, "Backup failed");
    EXPECT_EQ(item.body, "db1");
    EXPECT_EQ(item.link, "https://x/42");
    EXPECT_EQ(item.priority, 1);
    ASSERT_TRUE(item.expires_ms);
    EXPECT_EQ(*item.expires_ms, 5000 + PubsubSettings{}.default_ttl_seconds * 1000);
    EXPECT_EQ(notification_text(item), "[backups] Backup failed: db1 https://x/42");
    EXPECT_NE(item.payload.find("<entry xmlns='http://www.w3.org/2005/Atom'>"), std::string::npos);
}

TEST(NotificationPayload, HeraldNotificationWithAttributesAndGeneratedId) {
    auto payload = herald_notification("Disk", "full");
    payload.set_attr("priority", "urgent").set_attr("ttl", "60");
    const auto item = read_published_item("n", item_with(payload), nullptr, PubsubSettings{}, 1000);
    EXPECT_EQ(item.priority, 3);
    EXPECT_EQ(*item.expires_ms, 61000);
    EXPECT_EQ(item.item_id.size(), 16u);
}

TEST(NotificationPayload, PublishOptionsOverrideThePayload) {
    auto payload = herald_notification("Disk");
    payload.set_attr("priority", "low");
    XmlElement options("publish-options");
    auto& form = options.add_child("x", "jabber:x:data");
    form.add_child("field", "jabber:x:data").set_attr("var", "herald#priority").add_child("value", "jabber:x:data").set_text("high");
    form.add_child("field", "jabber:x:data").set_attr("var", "herald#ttl").add_child("value", "jabber:x:data").set_text("10");
    const auto item = read_published_item("n", item_with(payload), &options, PubsubSettings{}, 0);
    EXPECT_EQ(item.priority, 2);
    EXPECT_EQ(*item.expires_ms, 10000);
}

TEST(NotificationPayload, NoDefaultTtlMeansNoExpiry) {
    PubsubSettings config;
    config.default_ttl_seconds = 0;
    EXPECT_FALSE(read_published_item("n", item_with(herald_notification("t")), nullptr, config, 0).expires_ms);
}

TEST(NotificationPayload, RefusesWhatIsNotANotification) {
    EXPECT_EQ(refusal(item_with(XmlElement("foo", "urn:other"))), "bad-request/invalid-payload");
    EXPECT_EQ(refusal(XmlElement("item")), "bad-request/invalid-payload");
    EXPECT_EQ(refusal(item_with(XmlElement("notification", "urn:herald:0"))), "bad-request/invalid-payload");
    auto bad_priority = herald_notification("t");
    bad_priority.set_attr("priority", "loud");
    EXPECT_EQ(refusal(item_with(bad_priority)), "bad-request/invalid-payload");
    auto bad_ttl = herald_notification("t");
    bad_ttl.set_attr("ttl", "-5");
    EXPECT_EQ(refusal(item_with(bad_ttl)), "bad-request/invalid-payload");
    PubsubSettings small;
    small.max_payload_bytes = 100;
    EXPECT_EQ(refusal(item_with(herald_notification("t", std::string(200, 'x'))), small),
              "not-acceptable/payload-too-big");
}

TEST(NotificationPayload, TextLeavesOutWhatIsMissing) {
    herald::storage::Item item;
    item.node = "n";
    item.body = "only body";
    EXPECT_EQ(notification_text(item), "[n] only body");
}

// 9223372036854775 s in milliseconds overflowed the expiry: a ttl past the
// configured bound is refused, with a text saying the bound.
TEST(NotificationPayload, RefusesATtlAboveTheBound) {
    auto huge = herald_notification("t");
    huge.set_attr("ttl", "9223372036854775");
    EXPECT_EQ(refusal(item_with(huge)), "bad-request/invalid-payload");
    PubsubSettings config;
    config.max_ttl_seconds = 3600;
    auto above = herald_notification("t");
    above.set_attr("ttl", "3601");
    EXPECT_EQ(refusal(item_with(above), config), "bad-request/invalid-payload");
    try {
        read_published_item("n", item_with(above), nullptr, config, 1000);
    } catch (const PubsubError& error) {
        EXPECT_NE(error.text.find("3600"), std::string::npos) << error.text;
    }
    auto at_bound = herald_notification("t");
    at_bound.set_attr("ttl", "3600");
    EXPECT_EQ(refusal(item_with(at_bound), config), "accepted");
}
