#pragma once

namespace herald::component::ns {

inline constexpr const char* kDiscoInfo = "http://jabber.org/protocol/disco#info";
inline constexpr const char* kDiscoItems = "http://jabber.org/protocol/disco#items";
inline constexpr const char* kRegister = "jabber:iq:register";
inline constexpr const char* kPing = "urn:xmpp:ping";
inline constexpr const char* kCommands = "http://jabber.org/protocol/commands";

}  // namespace herald::component::ns
