#pragma once

#include "component/xml_element.h"

namespace herald::component {

// Where outgoing stanzas go. The sender fills in nothing: callers set from/to.
class StanzaSender {
public:
    virtual ~StanzaSender() = default;
    virtual void send(const XmlElement& stanza) = 0;
    // More is waiting to be written than the outbox should hold: readers of
    // the queues wait (nothing is dropped) until told it drained.
    virtual bool backed_up() const { return false; }
};

// What the link reports upwards.
class LinkObserver {
public:
    virtual ~LinkObserver() = default;
    virtual void on_stanza(const XmlElement& stanza) = 0;
    virtual void on_connected() = 0;
    virtual void on_disconnected() = 0;
};

}  // namespace herald::component
