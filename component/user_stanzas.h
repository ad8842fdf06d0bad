#pragma once

#include <string>

#include "component/xml_element.h"

namespace herald::component {

XmlElement presence_stanza(const std::string& from, const std::string& to, const std::string& type = {});
// A chat message to a person.
XmlElement chat_message(const std::string& from, const std::string& to, const std::string& text);

}  // namespace herald::component
