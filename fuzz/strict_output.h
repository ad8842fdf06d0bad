#pragma once

// What Herald writes out, checked inside a fuzz target as its peer would
// read it: a stanza by a strict XML parser (libxml2, no recovery, no
// network), as ejabberd cuts the whole component stream on one malformed
// stanza; JSON as valid UTF-8 that parses. A failure prints what was wrong
// and traps, so libFuzzer keeps the input.

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include <cstdio>
#include <string>
#include <string_view>

#include "tests/support/text_check.h"

namespace herald::fuzz {

[[noreturn]] inline void malformed_output(const char* what, std::string_view output, const std::string& why) {
    std::fprintf(stderr, "\n== malformed output: %s\n== why: %s\n== output (%zu bytes): %s\n", what, why.c_str(),
                 output.size(), herald::testing::text_excerpt(output, 0, 600).c_str());
    __builtin_trap();
}

// "" when `xml` is one well-formed XML element, namespaces included; else
// libxml2's first error (warnings, such as a namespace name that is not a
// URI, do not count: expat in ejabberd does not check them).
inline std::string xml_error(std::string_view xml) {
    static const bool initialised = (xmlInitParser(), true);
    (void)initialised;
    std::string first_error;
    xmlSetStructuredErrorFunc(&first_error, [](void* found, xmlErrorPtr error) {
        auto& text = *static_cast<std::string*>(found);
        if (!text.empty() || !error || error->level < XML_ERR_ERROR) return;
        if (error->code == XML_WAR_NS_URI || error->code == XML_WAR_NS_URI_RELATIVE) return;
        text = error->message ? error->message : "not well-formed";
        while (!text.empty() && text.back() == '\n') text.pop_back();
        text += " (line " + std::to_string(error->line) + ", column " + std::to_string(error->int2) + ")";
        if (error->domain == XML_FROM_NAMESPACE) text = "namespace error: " + text;
    });
    xmlParserCtxtPtr context = xmlNewParserCtxt();
    xmlDocPtr document =
        context ? xmlCtxtReadMemory(context, xml.data(), static_cast<int>(xml.size()), "herald-output.xml", "UTF-8",
                                    XML_PARSE_NONET)
                : nullptr;
    // Namespace errors come through the handler (nsWellFormed also counts
    // the URI warnings left out above).
    const bool well_formed = document && context->wellFormed;
    xmlFreeDoc(document);
    xmlFreeParserCtxt(context);
    xmlSetStructuredErrorFunc(nullptr, nullptr);
    if (well_formed && first_error.empty()) return {};
    return first_error.empty() ? "not well-formed" : first_error;
}

inline void require_well_formed_xml(std::string_view xml, const char* what) {
    if (auto error = xml_error(xml); !error.empty()) malformed_output(what, xml, error);
}

// Text for a person or a JSON peer: valid UTF-8 (no overlong forms, no
// surrogates).
inline void require_utf8(std::string_view text, const char* what) {
    if (auto fault = herald::testing::utf8_fault(text); !fault.empty()) malformed_output(what, text, fault);
}

}  // namespace herald::fuzz
