#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "component/xml_element.h"

namespace herald::component {

struct FormOption {
    std::string value;
    std::string label;  // empty: written with the value as its label
};

struct FormField {
    std::string var;
    std::string type;  // text-single, text-multi, list-single, list-multi, boolean, jid-single, fixed, hidden
    std::string label;
    std::vector<std::string> values;
    std::vector<FormOption> options;
    bool required = false;
};

// A XEP-0004 data form: built for a client to fill in or to read, and read
// back when the client submits it. Written the way every client with ad-hoc
// commands renders it (Gajim, Psi, Profanity, poezio, Movim): one
// instructions element, every option labelled, a list-single always with a
// default and more than one choice, results as fixed or text-multi fields
// (no <reported/> table, which most clients do not draw).
class DataForm {
public:
    // `type`: form, submit, result or cancel.
    explicit DataForm(std::string type = "form") : type_(std::move(type)) {}

    // Nullopt unless `x` is a jabber:x:data form.
    static std::optional<DataForm> read(const XmlElement& x);
    XmlElement to_xml() const;

    const std::string& type() const { return type_; }
    DataForm& set_title(std::string title);
    // Shown above the fields; a form has one.
    DataForm& set_instructions(std::string text);
    const std::string& instructions() const { return instructions_; }

    FormField& add_field(std::string var, std::string type, std::string label, std::vector<std::string> values = {});
    FormField& add_text(std::string var, std::string label, std::string value = {});
    // Defaults to the first option when `value` is empty; a single option
    // becomes a text-single holding it (a list of one renders as no choice).
    FormField& add_list(std::string var, std::string label, std::vector<FormOption> options, std::string value = {});
    FormField& add_boolean(std::string var, std::string label, bool value);
    // Text to read: one value per line.
    FormField& add_fixed(std::string label, std::string text);
    FormField& add_lines(std::string var, std::string label, std::vector<std::string> lines);
    // What to fix before submitting again: a fixed field above all others,
    // the one place every client shows while a command goes on.
    void show_problem(std::string text);

    const std::vector<FormField>& fields() const { return fields_; }
    const FormField* field(std::string_view var) const;
    // The field's first value; empty when absent.
    std::string value(std::string_view var) const;
    std::vector<std::string> values(std::string_view var) const;
    // XEP-0004 booleans: 1/true, 0/false; nullopt when absent or neither.
    std::optional<bool> boolean(std::string_view var) const;

    // For each of our fields the other form also has, take its values: a
    // form shown again keeps what the person typed.
    void keep_values_of(const DataForm& submitted);

private:
    std::string type_;
    std::string title_;
    std::string instructions_;
    std::vector<FormField> fields_;
};

}  // namespace herald::component
