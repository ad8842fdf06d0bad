#include <gtest/gtest.h>

#include "agents/xmpp_notification_message.h"
#include "component/ack_message.h"
#include "ingest/http_publish_api.h"
#include "routing/acknowledgements.h"
#include "routing/delivery.h"
#include "storage/storage_worker.h"
#include "tests/unit/backend_fixture.h"

using namespace herald;
using routing::AckRequest;
using component::XmlElement;
using Target = routing::AckRequest::Target;

namespace {

constexpr std::int64_t kMinute = 60'000;

XmlElement chat(const std::string& body) {
    XmlElement message("message");
    message.set_attr("type", "chat").set_attr("from", "a@x/phone");
    message.add_child("body").set_text(body);
    return message;
}

std::optional<AckRequest> read(const std::string& body) { return component::read_ack_request(chat(body)); }

// On every backend (tests/unit/backend_fixture.h).
struct AckFixture : storage::fixtures::QueueContract {
    storage::Repositories& repos() { return backend->repositories(); }

    std::int64_t publish(const std::string& id, bool ack, std::optional<std::int64_t> renotify = std::nullopt,
                         std::int64_t at_ms = 0) {
        auto item = storage::fixtures::make_item(id, 1, std::nullopt, at_ms);
        item.ack_required = ack;
        item.renotify_seconds = renotify;
        return queue.publish(item).seq;
    }

    std::vector<std::string> waiting_ids(const std::string& user) {
        std::vector<std::string> ids;
        for (const auto& queued : acks.waiting(user, 10)) ids.push_back(queued.item.item_id);
        return ids;
    }

    void escalate_by_mail(const std::string& user) {
        storage::Preferences mail;
        mail.escalation_channel = "mail";
        mail.escalation_target = "someone@example.org";
        mail.escalation_minutes = 5;
        users.save_preferences(user, mail);
    }

    std::vector<std::int64_t> due(const std::string& user, std::int64_t now) {
        std::vector<std::int64_t> seqs;
        for (const auto& candidate : escalations.due(user, now, kMinute, 0, 100)) seqs.push_back(candidate.seq);
        return seqs;
    }
};

}  // namespace

TEST(ReadAckRequest, AckWordsAcknowledgeTheLatest) {
    for (const std::string word : {"ack", "OK!", "Ack.", "acknowledged", "\xF0\x9F\x91\x8D",
                                   "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", "\xE2\x9C\x85", " ok \n"}) {
        const auto request = read(word);
        ASSERT_TRUE(request) << word;
        EXPECT_EQ(request->target, Target::latest) << word;
    }
}

TEST(ReadAckRequest, AnIdPrefixNamesTheItem) {
    const auto request = read("ack 3f2a");
    ASSERT_TRUE(request);
    EXPECT_EQ(request->target, Target::id_prefix);
    EXPECT_EQ(request->argument, "3f2a");
    EXPECT_FALSE(read("ok 3f2a")) << "only ack takes an id";
    EXPECT_FALSE(read("ack 3f2a now"));
}

TEST(ReadAckRequest, OtherTextIsNoAcknowledgement) {
    for (const std::string body : {"hello", "history 5", "okay then", "", "> [backups] quoted only"})
        EXPECT_FALSE(read(body)) << body;
    auto groupchat = chat("ack");
    groupchat.set_attr("type", "groupchat");
    EXPECT_FALSE(component::read_ack_request(groupchat));
}

TEST(ReadAckRequest, AQuoteNamesTheItemByItsFirstLine) {
    const auto request = read("> [backups] (urgent) Backup failed: db1\n> Reply \"ack\" to acknowledge.\nack");
    ASSERT_TRUE(request);
    EXPECT_EQ(request->target, Target::quote);
    EXPECT_EQ(request->argument, "[backups] (urgent) Backup failed: db1");
}

TEST(ReadAckRequest, ARepliedOrReactedMessageNamesTheItem) {
    auto reply = chat("> [backups] Backup failed\nack");
    reply.add_child("reply", "urn:xmpp:reply:0").set_attr("id", "herald-n42-7").set_attr("to", "notify.x");
    auto request = component::read_ack_request(reply);
    ASSERT_TRUE(request);
    EXPECT_EQ(request->target, Target::message);
    EXPECT_EQ(request->argument, "herald-n42-7");

    XmlElement reaction("message");
    reaction.set_attr("type", "chat");
    auto& reactions = reaction.add_child("reactions", "urn:xmpp:reactions:0");
    reactions.set_attr("id", "herald-n42-7");
    reactions.add_child("reaction").set_text("\xE2\x9C\x85");
    request = component::read_ack_request(reaction);
    ASSERT_TRUE(request);
    EXPECT_EQ(request->target, Target::message);
    EXPECT_TRUE(request->reaction);

    XmlElement heart("message");
    heart.add_child("reactions", "urn:xmpp:reactions:0").set_attr("id", "herald-n42-7")
        .add_child("reaction").set_text("\xE2\x9D\xA4");
    EXPECT_FALSE(component::read_ack_request(heart)) << "a heart acknowledges nothing";
}

TEST(DeliveryMessageId, NamesTheItem) {
    EXPECT_EQ(routing::seq_of_message_id(routing::delivery_message_id(42, 7)), 42);
    for (const std::string id : {"herald-n", "herald-n-1", "herald-nx-1", "herald-n42", "other-42-1", "herald-p-3"})
        EXPECT_FALSE(routing::seq_of_message_id(id)) << id;
}

TEST(ItemFromTarget, SplitsNodeAndItem) {
    const auto found = ingest::item_from_target("/v1/nodes/inbox%2Fbob%40x/items/a%2Bb");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->first, "inbox/bob@x");
    EXPECT_EQ(found->second, "a+b");
    EXPECT_FALSE(ingest::item_from_target("/v1/nodes/backups"));
    EXPECT_FALSE(ingest::item_from_target("/v1/nodes/backups/items/"));
}

TEST_P(AckFixture, TheFirstAcknowledgementWinsAndSettlesEveryone) {
    const auto plain = publish("plain", false);
    const auto page = publish("page-1", true);
    EXPECT_EQ(waiting_ids("a@x"), std::vector<std::string>{"page-1"}) << "only items that ask for it wait";
    queue.confirm("b@x", page, 10);

    const auto first = acks.acknowledge(page, "a@x", 20);
    EXPECT_TRUE(first.first);
    EXPECT_EQ(first.item.acknowledged_by, "a@x");
    EXPECT_EQ(first.to_tell, std::vector<std::string>{"b@x"}) << "b@x had received it; a@x acknowledged it";
    EXPECT_TRUE(waiting_ids("a@x").empty());
    EXPECT_TRUE(waiting_ids("b@x").empty());
    EXPECT_EQ(queue.next("a@x", 0, 0, 30, 10).size(), 1u) << "the item left a@x's queue, the plain one stays";
    EXPECT_EQ(queue.next("a@x", 0, 0, 30, 10).front().seq, plain);

    const auto second = acks.acknowledge(page, "b@x", 40);
    EXPECT_FALSE(second.first);
    EXPECT_EQ(second.item.acknowledged_by, "a@x");
    EXPECT_EQ(second.item.acknowledged_ms, 20);
    EXPECT_FALSE(acks.acknowledge(plain, "a@x", 50).first) << "an item that needs none cannot be acknowledged";

    const auto history = queue.history("b@x", 10);
    ASSERT_FALSE(history.empty());
    EXPECT_EQ(history.front().outcome, "acknowledged by a@x");
    EXPECT_EQ(queue.history("a@x", 10).front().outcome, "acknowledged by you");
}

TEST_P(AckFixture, ReceivedItemsComeFirstAndPrefixesMatchOnlyTheUsers) {
    const auto older = publish("abcd-older", true);
    publish("abcd-newer", true);
    queue.confirm("a@x", older, 10);
    EXPECT_EQ(waiting_ids("a@x"), (std::vector<std::string>{"abcd-older", "abcd-newer"}))
        << "what a@x has received comes before what still waits in the queue";
    EXPECT_EQ(acks.waiting_with_prefix("a@x", "abcd", 5).size(), 2u);
    EXPECT_EQ(acks.waiting_with_prefix("a@x", "abcd-n", 5).size(), 1u);
    EXPECT_TRUE(acks.waiting_with_prefix("a@x", "%", 5).empty()) << "a prefix is no pattern";
    EXPECT_TRUE(acks.waiting_with_prefix("c@x", "abcd", 5).empty());
}

TEST_P(AckFixture, RemindersComeAfterEachDeliveryUntilAcknowledged) {
    const auto page = publish("page", true, 60);
    queue.confirm("a@x", page, 1000);
    EXPECT_TRUE(acks.queue_reminders(60'999, 10).empty());
    EXPECT_EQ(acks.queue_reminders(61'000, 10), std::vector<std::string>{"a@x"});
    EXPECT_EQ(queue.next("a@x", 0, 0, 61'000, 10).size(), 1u) << "queued again";
    EXPECT_TRUE(acks.queue_reminders(200'000, 10).empty()) << "the next one is due once this one is received";
    queue.confirm("a@x", page, 200'000);
    acks.acknowledge(page, "b@x", 200'001);
    EXPECT_TRUE(acks.queue_reminders(400'000, 10).empty());
}

TEST_P(AckFixture, UnacknowledgedItemsEscalateThoughReceivedAndPresent) {
    escalate_by_mail("a@x");
    const auto page = publish("page", true, std::nullopt, 0);
    const auto plain = publish("plain", false, std::nullopt, 0);
    queue.confirm("a@x", page, 1000);
    EXPECT_TRUE(due("a@x", 4 * kMinute).empty()) << "before the delay";
    EXPECT_EQ(due("a@x", 5 * kMinute), std::vector<std::int64_t>{page})
        << "received and a@x is not away: only the item waiting for acknowledgement is due";
    ASSERT_EQ(escalations.escalating_users("", 10).size(), 1u);

    escalations.claim({"a@x", page, 1, "mail"}, 5 * kMinute);
    EXPECT_EQ(escalations.cancel_stale(), 0) << "a claim stays while the item waits for acknowledgement";
    acks.acknowledge(page, "a@x", 6 * kMinute);
    EXPECT_TRUE(escalations.ready(7 * kMinute, {}, 10).empty()) << "acknowledging ends the pending claim";
    EXPECT_TRUE(due("a@x", 60 * kMinute).empty());
    (void)plain;
}

TEST(AckRequestInMessage, SaysHowToAcknowledgeOnlyWhileItWaits) {
    auto item = storage::fixtures::make_item("0123456789abcdef", 1);
    item.ack_required = true;
    const herald::agents::DeliveryEnvelope envelope{"notify.x", "a@x/phone", "herald-n1-1"};
    auto message = herald::agents::notification_message(item, envelope);
    const auto* request = message.child("ack-request", "urn:herald:0");
    ASSERT_TRUE(request);
    EXPECT_EQ(request->attr("item"), "0123456789abcdef");
    const auto body = message.child("body")->text();
    EXPECT_TRUE(body.ends_with("\nReply \"ack\" to acknowledge (or \"ack 01234567\").")) << body;

    item.acknowledged_by = "b@x";
    message = herald::agents::notification_message(item, envelope);
    EXPECT_FALSE(message.child("ack-request", "urn:herald:0"));
    EXPECT_EQ(message.child("body")->text().find("ack"), std::string::npos);
}

TEST_P(AckFixture, AReactionToAnotherMessageAcknowledgesNothing) {
    const auto page = publish("page", true);
    AckRequest reaction{Target::message, "some-other-message", true};
    auto result = routing::acknowledge_in_storage(repos(), "a@x", reaction);
    EXPECT_EQ(result.kind, routing::AckResult::Kind::nothing_waiting);
    EXPECT_EQ(routing::ack_answer(result, reaction, "a@x"), "") << "a reaction gets no answer";
    AckRequest reply{Target::message, "some-other-message"};
    result = routing::acknowledge_in_storage(repos(), "a@x", reply);
    EXPECT_EQ(result.kind, routing::AckResult::Kind::unresolved) << "a reply to something else is asked which";
    EXPECT_TRUE(routing::ack_answer(result, reply, "a@x").starts_with("Which notification?"));
    EXPECT_EQ(waiting_ids("a@x"), std::vector<std::string>{"page"});
    (void)page;
}

TEST_P(AckFixture, AckAloneTakesTheOneReceivedLastEvenWhenSomeoneAcknowledgedItFirst) {
    const auto first = publish("first", true);
    const auto second = publish("second", true);
    queue.confirm("a@x", second, 10);
    queue.confirm("a@x", first, 20);  // a reminder of the older one, received last
    queue.confirm("b@x", first, 20);
    const AckRequest ack{};
    auto result = routing::acknowledge_in_storage(repos(), "a@x", ack);
    EXPECT_EQ(result.kind, routing::AckResult::Kind::acknowledged);
    EXPECT_EQ(result.ack.seq, first) << "the one a@x saw last";

    result = routing::acknowledge_in_storage(repos(), "b@x", ack);
    EXPECT_EQ(result.kind, routing::AckResult::Kind::already)
        << "b@x saw 'first' last: told a@x was first, not taken for 'second'";
    EXPECT_EQ(waiting_ids("b@x"), std::vector<std::string>{"second"});
}

TEST_P(AckFixture, RemovingAUserRemovesWhatTheyWereToAcknowledge) {
    publish("page", true);
    nodes.remove_user("a@x");
    EXPECT_TRUE(waiting_ids("a@x").empty());
    EXPECT_TRUE(acks.queue_reminders(1'000'000, 10).empty());
}

TEST_P(AckFixture, AReceiptAfterSomeoneElseAcknowledgedStillCountsTheDelivery) {
    const auto page = publish("page", true);
    acks.acknowledge(page, "a@x", 10);
    queue.confirm("b@x", page, 20);  // b@x's client had it on its way
    const auto status = acks.status("topic", "page");
    ASSERT_TRUE(status);
    EXPECT_EQ(status->delivered, 1);
    queue.confirm("b@x", page, 30);
    EXPECT_EQ(acks.status("topic", "page")->delivered, 1) << "a duplicate receipt counts once";
}

TEST_P(AckFixture, AFormNamingAnotherUsersItemAcknowledgesNothing) {
    const auto page = publish("page", true);
    nodes.unsubscribe("topic", "b@x");
    auto other = storage::fixtures::make_item("other", 1);
    other.ack_required = true;
    nodes.create({"private", "p@x", "publishers", false, 0});
    other.node = "private";
    nodes.subscribe("private", "b@x", 0);
    const auto theirs = queue.publish(other).seq;
    const AckRequest forged{Target::item, std::to_string(theirs)};
    const auto result = routing::acknowledge_in_storage(repos(), "a@x", forged);
    EXPECT_EQ(result.kind, routing::AckResult::Kind::not_theirs);
    EXPECT_EQ(waiting_ids("a@x"), std::vector<std::string>{"page"}) << "a@x's own item still waits";
    (void)page;
}

INSTANTIATE_TEST_SUITE_P(Backends, AckFixture, storage::fixtures::kBackends, storage::fixtures::backend_name);
