#include <gtest/gtest.h>

#include "component/stanza_limits.h"

using herald::component::check_limits;
using herald::component::StanzaLimits;
using herald::component::XmlElement;

namespace {

const StanzaLimits kLimits{1000, 3, 10};

XmlElement command_with_form(int fields, std::size_t value_bytes, int values_per_field = 1) {
    XmlElement iq("iq");
    auto& form = iq.add_child("command", "http://jabber.org/protocol/commands").add_child("x", "jabber:x:data");
    for (int i = 0; i < fields; ++i) {
        auto& field = form.add_child("field");
        field.set_attr("var", "f" + std::to_string(i));
        for (int v = 0; v < values_per_field; ++v) field.add_child("value").set_text(std::string(value_bytes, 'v'));
    }
    return iq;
}

}  // namespace

TEST(StanzaLimits, StanzaOverTheSizeIsAPolicyViolation) {
    const XmlElement message("message");
    EXPECT_FALSE(check_limits(message, 1000, kLimits));
    const auto refusal = check_limits(message, 1001, kLimits);
    ASSERT_TRUE(refusal);
    EXPECT_EQ(refusal->condition, "policy-violation");
    EXPECT_EQ(refusal->type, "modify");
}

TEST(StanzaLimits, FormsAnywhereInTheStanzaAreCountedAndMeasured) {
    EXPECT_FALSE(check_limits(command_with_form(3, 10), 100, kLimits));
    const auto too_many = check_limits(command_with_form(4, 1), 100, kLimits);
    ASSERT_TRUE(too_many);
    EXPECT_EQ(too_many->condition, "not-acceptable");
    const auto too_long = check_limits(command_with_form(1, 11), 100, kLimits);
    ASSERT_TRUE(too_long);
    EXPECT_EQ(too_long->condition, "not-acceptable");
    EXPECT_TRUE(check_limits(command_with_form(1, 6, 2), 100, kLimits)) << "a field's values are counted together";
}

TEST(StanzaLimits, OnlyDataFormsAreForms) {
    XmlElement iq("iq");
    auto& other = iq.add_child("x", "urn:example:not-a-form");
    for (int i = 0; i < 10; ++i) other.add_child("field");
    EXPECT_FALSE(check_limits(iq, 100, kLimits));
}

TEST(StanzaLimits, StanzasNestedTooDeepAreAPolicyViolation) {
    const auto nested = [](int depth) {
        XmlElement iq("iq");
        auto* element = &iq;
        for (int i = 0; i < depth; ++i) element = &element->add_child("a", "urn:example");
        return iq;
    };
    EXPECT_FALSE(check_limits(nested(32), 100, kLimits));
    const auto refusal = check_limits(nested(33), 100, kLimits);
    ASSERT_TRUE(refusal);
    EXPECT_EQ(refusal->condition, "policy-violation");
}
