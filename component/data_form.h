#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "component/xml_element.h"

namespace herald::component {

struct FormOption {
    std::string value;
    std::string label;  // empty: clients show the value
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
// back when the client submits it. Result forms may also carry a table
// (<reported/> columns and one <item/> per row).
class DataForm {
public:
    using Row = std::vector<std::pair<std::string, std::string>>;  // var -> value

    // `type`: form, submit, result or cancel.
    explicit DataForm(std::string type = "form") : type_(std::move(type)) {}

    // Nullopt unless `x` is a jabber:x:data form.
    static std::optional<DataForm> read(const XmlElement& x);
    XmlElement to_xml() const;

    const std::string& type() const { return type_; }
    DataForm& set_title(std::string title);
    // Shown above the fields; each call adds a paragraph.
    DataForm& add_instructions(std::string text);
    const std::vector<std::string>& instructions() const { return instructions_; }

    FormField& add_field(std::string var, std::string type, std::string label, std::vector<std::string> values = {});
    FormField& add_text(std::string var, std::string label, std::string value = {});
    FormField& add_list(std::string var, std::string label, std::vector<FormOption> options, std::string value = {});
    FormField& add_boolean(std::string var, std::string label, bool value);

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

    // Columns of a result table: var and label.
    void set_columns(const std::vector<std::pair<std::string, std::string>>& columns);
    void add_row(Row row) { rows_.push_back(std::move(row)); }
    const std::vector<Row>& rows() const { return rows_; }

private:
    std::string type_;
    std::string title_;
    std::vector<std::string> instructions_;
    std::vector<FormField> fields_;
    std::vector<FormField> reported_;
    std::vector<Row> rows_;
};

}  // namespace herald::component
