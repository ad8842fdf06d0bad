#pragma once

#include <cstdint>
#include <string>

#include "storage/escalation_repository.h"

namespace herald::agents {

struct MailEnvelope {
    std::string from;
    std::string to;
    std::string message_id;  // without angle brackets
    std::int64_t now_ms = 0;
};

// A readable plain-text mail (RFC 5322, UTF-8, quoted-printable, CRLF line
// ends) for one user's batch: one notification, or a digest of several.
std::string compose_mail(const storage::EscalationBatch& batch, const MailEnvelope& envelope);

// The Subject line's text before encoding.
std::string mail_subject(const storage::EscalationBatch& batch);

// RFC 2045 quoted-printable, soft line breaks within 76 characters.
std::string quoted_printable(const std::string& text);

}  // namespace herald::agents
