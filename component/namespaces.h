#pragma once

namespace herald::component::ns {

inline constexpr const char* kDiscoInfo = "http://jabber.org/protocol/disco#info";
inline constexpr const char* kDiscoItems = "http://jabber.org/protocol/disco#items";
inline constexpr const char* kRegister = "jabber:iq:register";
inline constexpr const char* kPing = "urn:xmpp:ping";
inline constexpr const char* kCommands = "http://jabber.org/protocol/commands";
inline constexpr const char* kPubsub = "http://jabber.org/protocol/pubsub";
inline constexpr const char* kPubsubOwner = "http://jabber.org/protocol/pubsub#owner";
inline constexpr const char* kPubsubEvent = "http://jabber.org/protocol/pubsub#event";
inline constexpr const char* kPubsubErrors = "http://jabber.org/protocol/pubsub#errors";
inline constexpr const char* kPublishOptions = "http://jabber.org/protocol/pubsub#publish-options";
inline constexpr const char* kDataForms = "jabber:x:data";
inline constexpr const char* kAtom = "http://www.w3.org/2005/Atom";
inline constexpr const char* kHerald = "urn:herald:0";
inline constexpr const char* kReceipts = "urn:xmpp:receipts";
inline constexpr const char* kDelay = "urn:xmpp:delay";
inline constexpr const char* kStanzaId = "urn:xmpp:sid:0";
inline constexpr const char* kHints = "urn:xmpp:hints";
inline constexpr const char* kReactions = "urn:xmpp:reactions:0";
inline constexpr const char* kReply = "urn:xmpp:reply:0";

}  // namespace herald::component::ns
