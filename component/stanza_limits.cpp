#include "component/stanza_limits.h"

#include "component/namespaces.h"

namespace herald::component {
namespace {

// Herald's own stanzas nest about six deep, an Atom entry with XHTML content
// a few more. Deeper ones are refused: every walk over a stanza is recursive.
constexpr int kMaxDepth = 32;

bool deeper_than(const XmlElement& element, int depth) {
    if (depth < 0) return true;
    for (const auto& child : element.children())
        if (deeper_than(child, depth - 1)) return true;
    return false;
}

std::optional<LimitRefusal> check_form(const XmlElement& form, const StanzaLimits& limits) {
    std::size_t fields = 0;
    for (const auto& field : form.children()) {
        if (field.name() != "field") continue;
        if (++fields > limits.max_form_fields)
            return LimitRefusal{"modify", "not-acceptable",
                                "a form with more than " + std::to_string(limits.max_form_fields) + " fields"};
        std::size_t value_bytes = 0;
        for (const auto& value : field.children()) value_bytes += value.text().size();
        if (value_bytes > limits.max_form_value_bytes)
            return LimitRefusal{"modify", "not-acceptable",
                                "form field '" + field.attr("var").substr(0, 64) + "' over " +
                                    std::to_string(limits.max_form_value_bytes) + " bytes"};
    }
    return std::nullopt;
}

std::optional<LimitRefusal> check_forms(const XmlElement& element, const StanzaLimits& limits) {
    if (element.name() == "x" && element.xmlns() == ns::kDataForms) return check_form(element, limits);
    for (const auto& child : element.children())
        if (auto refusal = check_forms(child, limits)) return refusal;
    return std::nullopt;
}

}  // namespace

std::optional<LimitRefusal> check_limits(const XmlElement& stanza, std::size_t serialized_bytes,
                                         const StanzaLimits& limits) {
    if (serialized_bytes > limits.max_stanza_bytes)
        return LimitRefusal{"modify", "policy-violation",
                            std::to_string(serialized_bytes) + " bytes, over the limit of " +
                                std::to_string(limits.max_stanza_bytes)};
    if (deeper_than(stanza, kMaxDepth))
        return LimitRefusal{"modify", "policy-violation", "elements nested over " + std::to_string(kMaxDepth) + " deep"};
    return check_forms(stanza, limits);
}

}  // namespace herald::component
