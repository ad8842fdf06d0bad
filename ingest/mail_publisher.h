#pragma once

#include <chrono>
#include <string>

#include "ingest/mail_address.h"
#include "ingest/mail_parser.h"

namespace herald::ingest {

// What the HTTP publish API said, or why it could not be asked.
struct ApiReply {
    bool answered = false;        // false: no HTTP response (refused, timeout...)
    std::string transport_error;  // libcurl's reason when not answered
    int status = 0;
    std::string error;    // the JSON error code, e.g. "unauthorized"
    std::string message;  // the JSON message, for people
    std::string item_id;  // with 202
};

struct ApiEndpoint {
    std::string base_url;  // "http://127.0.0.1:8480"
    std::chrono::seconds timeout{30};
};

// "http://" + host + ":" + port, with IPv6 addresses in brackets and the
// wildcard addresses replaced by loopback.
std::string api_base_url(const std::string& address, int port);

// The publish body: {"title","body","link","priority"}, empty fields left out.
std::string publish_json(const MailNotification& mail);

// POST BASE/v1/nodes/NODE with the token as bearer (libcurl easy, no proxy,
// no redirects). The token goes nowhere else.
ApiReply post_mail(const ApiEndpoint& endpoint, const MailRecipient& recipient, const MailNotification& mail);

}  // namespace herald::ingest
