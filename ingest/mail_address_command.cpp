#include "ingest/mail_address_command.h"

#include <istream>
#include <ostream>

#include "ingest/mail_address.h"
#include "tools/exit_code.h"

namespace herald::ingest {
namespace {

const char* kUsage = R"(usage: herald mail-address --topic NODE --domain DOMAIN < TOKEN_FILE

Prints TOPIC+TOKEN@DOMAIN for a topic and one of its HTTP tokens (read from
stdin, first line), with the topic encoded as docs/mail.md describes.
)";

}  // namespace

int run_mail_address(const std::vector<std::string>& arguments, std::istream& in, std::ostream& out,
                     std::ostream& err) {
    std::string topic, domain;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        const auto& name = arguments[i];
        if (name == "--help" || name == "-h") {
            out << kUsage;
            return 0;
        }
        std::string* target = name == "--topic" ? &topic : name == "--domain" ? &domain : nullptr;
        if (!target || i + 1 >= arguments.size()) {
            err << "herald mail-address: unexpected '" << name << "'\n" << kUsage;
            return exit_status(ExitCode::usage);
        }
        *target = arguments[++i];
    }
    std::string token;
    std::getline(in, token);
    while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
    if (topic.empty() || domain.empty() || token.empty()) {
        err << "herald mail-address: --topic, --domain and a token on stdin are required\n" << kUsage;
        return exit_status(ExitCode::usage);
    }
    const auto address = mail_address(topic, token, domain);
    if (!std::holds_alternative<MailRecipient>(parse_recipient(address))) {
        err << "herald mail-address: that token cannot be part of an address (hex digits only)\n";
        return exit_status(ExitCode::data_error);
    }
    out << address << "\n";
    return 0;
}

}  // namespace herald::ingest
