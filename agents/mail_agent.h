#pragma once

#include <cstdint>
#include <string>

#include "net/curl_multi.h"
#include "routing/escalation_agent.h"
#include "routing/settings.h"

namespace herald::agents {

// Escalation by mail: one SMTP submission per batch through libcurl, on the
// io_context (CurlMulti). Host, port, TLS and credentials come from the
// `smtp` config section; without a host, every attempt gives up at once.
class MailAgent final : public routing::EscalationAgent {
public:
    MailAgent(ingest::CurlMulti& curl, const routing::SmtpSettings& settings, std::string domain);

    void send(const storage::EscalationBatch& batch, Done done) override;

private:
    ingest::EasyHandle submission(const storage::EscalationBatch& batch) const;

    ingest::CurlMulti& curl_;
    const routing::SmtpSettings& settings_;
    std::string domain_;  // for Message-IDs
    mutable std::uint64_t sent_ = 0;
};

}  // namespace herald::agents
