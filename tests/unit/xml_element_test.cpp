#include <gtest/gtest.h>

#include "component/xml_element.h"
#include "text/jid.h"

using herald::component::XmlElement;
using herald::text::bare_jid;
using herald::text::resource_of;
using herald::text::is_user_jid;

TEST(XmlElement, SerializesWithEscapingAndInheritedNamespaces) {
    XmlElement iq("iq");
    iq.set_attr("to", "a&b@x").set_attr("type", "result");
    auto& query = iq.add_child("query", "jabber:iq:register");
    query.add_child("email", "jabber:iq:register").set_text("<me>'s \"mail\"");
    query.add_child("x", "jabber:x:data");
    EXPECT_EQ(iq.to_xml(),
              "<iq to='a&amp;b@x' type='result'><query xmlns='jabber:iq:register'>"
              "<email>&lt;me&gt;&apos;s &quot;mail&quot;</email><x xmlns='jabber:x:data'/></query></iq>");
}

TEST(XmlElement, FindsChildrenByNameAndNamespace) {
    XmlElement presence("presence");
    presence.add_child("show").set_text("dnd");
    presence.add_child("c", "http://jabber.org/protocol/caps");
    ASSERT_NE(presence.child("show"), nullptr);
    EXPECT_EQ(presence.child("show")->text(), "dnd");
    EXPECT_NE(presence.child("c", "http://jabber.org/protocol/caps"), nullptr);
    EXPECT_EQ(presence.child("c", "other"), nullptr);
    EXPECT_EQ(presence.attr("missing"), "");
    EXPECT_FALSE(presence.has_attr("missing"));
}

TEST(Jid, SplitsAndNormalises) {
    using namespace herald::component;
    EXPECT_EQ(bare_jid("Alice@LocalHost/Phone"), "alice@localhost");
    EXPECT_EQ(resource_of("alice@localhost/Phone/x"), "Phone/x");
    EXPECT_EQ(resource_of("alice@localhost"), "");
    EXPECT_TRUE(is_user_jid("alice@localhost/r"));
    EXPECT_FALSE(is_user_jid("localhost"));
    EXPECT_FALSE(is_user_jid("@localhost"));
}
