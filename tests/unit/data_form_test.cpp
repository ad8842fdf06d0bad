#include <gtest/gtest.h>

#include "component/data_form.h"

using herald::component::DataForm;
using herald::component::XmlElement;

namespace {

XmlElement submitted_field(const std::string& var, std::vector<std::string> values) {
    XmlElement field("field", "jabber:x:data");
    field.set_attr("var", var);
    for (auto& value : values) field.add_child("value", "jabber:x:data").set_text(std::move(value));
    return field;
}

}  // namespace

TEST(DataForm, WritesAFormToFillIn) {
    DataForm form;
    form.set_title("Create a topic").set_instructions("You will own it.");
    form.add_text("topic", "Name").required = true;
    form.add_list("model", "Who may publish", {{"publishers", "Publishers"}, {"open", ""}}, "publishers");
    form.add_boolean("paused", "Paused", true);
    EXPECT_EQ(form.to_xml().to_xml(),
              "<x xmlns='jabber:x:data' type='form'><title>Create a topic</title>"
              "<instructions>You will own it.</instructions>"
              "<field var='topic' type='text-single' label='Name'><required/><value/></field>"
              "<field var='model' type='list-single' label='Who may publish'><value>publishers</value>"
              "<option label='Publishers'><value>publishers</value></option>"
              "<option label='open'><value>open</value></option></field>"
              "<field var='paused' type='boolean' label='Paused'><value>1</value></field></x>");
}

TEST(DataForm, WritesResultsAsFieldsEveryClientShows) {
    DataForm result("result");
    result.add_fixed("Topics", "none yet");
    result.add_lines("topics", "Topics", {"backups", "alerts & co"});
    EXPECT_EQ(result.to_xml().to_xml(),
              "<x xmlns='jabber:x:data' type='result'>"
              "<field type='fixed' label='Topics'><value>none yet</value></field>"
              "<field var='topics' type='text-multi' label='Topics'><value>backups</value>"
              "<value>alerts &amp; co</value></field></x>");
}

TEST(DataForm, HasOneInstructionsElement) {
    DataForm form;
    form.set_instructions("first").set_instructions("second");
    const auto x = form.to_xml();
    int count = 0;
    for (const auto& child : x.children()) count += child.name() == "instructions";
    EXPECT_EQ(count, 1);
    EXPECT_EQ(form.instructions(), "second");
}

TEST(DataForm, ListSingleAlwaysHasADefaultAndMoreThanOneChoice) {
    DataForm form;
    form.add_list("topic", "Topic", {{"a", "A"}, {"b", "B"}});
    EXPECT_EQ(form.value("topic"), "a") << "no default shows no choice in some clients";
    form.add_list("only", "Only topic", {{"inbox/x", "Your inbox"}});
    ASSERT_NE(form.field("only"), nullptr);
    EXPECT_EQ(form.field("only")->type, "text-single") << "a list of one renders as no choice";
    EXPECT_EQ(form.value("only"), "inbox/x");
    form.add_list("kept", "Kept", {{"a", "A"}, {"b", "B"}}, "b");
    EXPECT_EQ(form.value("kept"), "b");
}

TEST(DataForm, ProblemGoesAboveEveryField) {
    DataForm form;
    form.set_instructions("Fill this in.");
    form.add_text("quiet_start", "Start", "25:00");
    form.show_problem("'25:00' is not a time of day.");
    ASSERT_EQ(form.fields().size(), 2u);
    EXPECT_EQ(form.fields()[0].type, "fixed");
    EXPECT_FALSE(form.fields()[0].label.empty());
    EXPECT_EQ(form.fields()[0].values, (std::vector<std::string>{"'25:00' is not a time of day."}));
    EXPECT_EQ(form.instructions(), "Fill this in.") << "no second instructions";
}

TEST(DataForm, ReadsSubmittedValues) {
    XmlElement x("x", "jabber:x:data");
    x.set_attr("type", "submit");
    x.add(submitted_field("topic", {"backups"}));
    x.add(submitted_field("topics", {"a", "b"}));
    x.add(submitted_field("yes", {"true"}));
    x.add(submitted_field("no", {"0"}));
    x.add(submitted_field("odd", {"maybe"}));
    const auto form = DataForm::read(x);
    ASSERT_TRUE(form);
    EXPECT_EQ(form->type(), "submit");
    EXPECT_EQ(form->value("topic"), "backups");
    EXPECT_EQ(form->values("topics"), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(form->value("absent"), "");
    EXPECT_TRUE(form->values("absent").empty());
    EXPECT_EQ(form->boolean("yes"), true);
    EXPECT_EQ(form->boolean("no"), false);
    EXPECT_EQ(form->boolean("odd"), std::nullopt);
    EXPECT_EQ(form->boolean("absent"), std::nullopt);
}

TEST(DataForm, RefusesWhatIsNotADataForm) {
    EXPECT_FALSE(DataForm::read(XmlElement("x", "jabber:x:oob")));
    EXPECT_FALSE(DataForm::read(XmlElement("form", "jabber:x:data")));
}

TEST(DataForm, ReadsBackWhatItWrites) {
    DataForm form;
    form.add_list("topic", "Topic", {{"a", "A"}, {"b", ""}}, "b").required = true;
    form.add_field("", "fixed", "", {"just text"});
    const auto read = DataForm::read(form.to_xml());
    ASSERT_TRUE(read);
    ASSERT_NE(read->field("topic"), nullptr);
    EXPECT_TRUE(read->field("topic")->required);
    EXPECT_EQ(read->field("topic")->options.size(), 2u);
    EXPECT_EQ(read->field("topic")->options[0].label, "A");
    EXPECT_EQ(read->value("topic"), "b");
}

TEST(DataForm, ShownAgainKeepsWhatWasTyped) {
    DataForm form;
    form.add_text("quiet_zone", "Time zone", "UTC");
    form.add_text("quiet_start", "Start", "");
    form.add_field("", "fixed", "", {"a note"});
    XmlElement x("x", "jabber:x:data");
    x.set_attr("type", "submit");
    x.add(submitted_field("quiet_zone", {"Mars/Olympus"}));
    x.add(submitted_field("extra", {"ignored"}));
    form.keep_values_of(*DataForm::read(x));
    EXPECT_EQ(form.value("quiet_zone"), "Mars/Olympus");
    EXPECT_EQ(form.value("quiet_start"), "") << "a field not submitted keeps its value";
    EXPECT_EQ(form.field("extra"), nullptr) << "fields we did not ask for are not added";
    EXPECT_EQ(form.fields()[2].values, (std::vector<std::string>{"a note"}));
}
