#include "component/data_form.h"

#include "component/namespaces.h"

namespace herald::component {
namespace {

FormField read_field(const XmlElement& element) {
    FormField field;
    field.var = element.attr("var");
    field.type = element.attr("type");
    field.label = element.attr("label");
    for (const auto& child : element.children()) {
        if (child.name() == "value") field.values.push_back(child.text());
        else if (child.name() == "required") field.required = true;
        else if (child.name() == "option") {
            const auto* value = child.child("value");
            field.options.push_back({value ? value->text() : std::string(), child.attr("label")});
        }
    }
    return field;
}

XmlElement field_element(const FormField& field) {
    XmlElement element("field");
    if (!field.var.empty()) element.set_attr("var", field.var);
    if (!field.type.empty()) element.set_attr("type", field.type);
    if (!field.label.empty()) element.set_attr("label", field.label);
    if (field.required) element.add_child("required");
    for (const auto& value : field.values) element.add_child("value").set_text(value);
    for (const auto& option : field.options) {
        auto& choice = element.add_child("option");
        choice.set_attr("label", option.label.empty() ? option.value : option.label);
        choice.add_child("value").set_text(option.value);
    }
    return element;
}

}  // namespace

std::optional<DataForm> DataForm::read(const XmlElement& x) {
    if (x.name() != "x" || x.xmlns() != ns::kDataForms) return std::nullopt;
    DataForm form(x.attr("type"));
    for (const auto& child : x.children()) {
        if (child.name() == "title") form.title_ = child.text();
        else if (child.name() == "instructions") form.instructions_ = child.text();
        else if (child.name() == "field") form.fields_.push_back(read_field(child));
    }
    return form;
}

XmlElement DataForm::to_xml() const {
    XmlElement x("x", ns::kDataForms);
    x.set_attr("type", type_);
    if (!title_.empty()) x.add_child("title").set_text(title_);
    if (!instructions_.empty()) x.add_child("instructions").set_text(instructions_);
    for (const auto& field : fields_) x.add(field_element(field));
    return x;
}

DataForm& DataForm::set_title(std::string title) {
    title_ = std::move(title);
    return *this;
}

DataForm& DataForm::set_instructions(std::string text) {
    instructions_ = std::move(text);
    return *this;
}

FormField& DataForm::add_field(std::string var, std::string type, std::string label,
                               std::vector<std::string> values) {
    auto& field = fields_.emplace_back();
    field.var = std::move(var);
    field.type = std::move(type);
    field.label = std::move(label);
    field.values = std::move(values);
    return field;
}

FormField& DataForm::add_text(std::string var, std::string label, std::string value) {
    return add_field(std::move(var), "text-single", std::move(label), {std::move(value)});
}

FormField& DataForm::add_list(std::string var, std::string label, std::vector<FormOption> options,
                              std::string value) {
    if (value.empty() && !options.empty()) value = options.front().value;
    if (options.size() == 1) return add_text(std::move(var), std::move(label), std::move(value));
    auto& field = add_field(std::move(var), "list-single", std::move(label), {std::move(value)});
    field.options = std::move(options);
    return field;
}

FormField& DataForm::add_boolean(std::string var, std::string label, bool value) {
    return add_field(std::move(var), "boolean", std::move(label), {value ? "1" : "0"});
}

FormField& DataForm::add_fixed(std::string label, std::string text) {
    return add_field({}, "fixed", std::move(label), {std::move(text)});
}

FormField& DataForm::add_lines(std::string var, std::string label, std::vector<std::string> lines) {
    return add_field(std::move(var), "text-multi", std::move(label), std::move(lines));
}

void DataForm::show_problem(std::string text) {
    FormField problem;
    problem.type = "fixed";
    problem.label = "Please fix";
    problem.values = {std::move(text)};
    fields_.insert(fields_.begin(), std::move(problem));
}

const FormField* DataForm::field(std::string_view var) const {
    for (const auto& field : fields_)
        if (field.var == var) return &field;
    return nullptr;
}

std::string DataForm::value(std::string_view var) const {
    const auto* found = field(var);
    return found && !found->values.empty() ? found->values.front() : std::string();
}

std::vector<std::string> DataForm::values(std::string_view var) const {
    const auto* found = field(var);
    return found ? found->values : std::vector<std::string>{};
}

std::optional<bool> DataForm::boolean(std::string_view var) const {
    const auto text = value(var);
    if (text == "1" || text == "true") return true;
    if (text == "0" || text == "false") return false;
    return std::nullopt;
}

void DataForm::keep_values_of(const DataForm& submitted) {
    for (auto& field : fields_) {
        if (field.var.empty()) continue;
        if (const auto* typed = submitted.field(field.var)) field.values = typed->values;
    }
}

}  // namespace herald::component
