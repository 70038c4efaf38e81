#pragma once
// Outgoing mail for password resets and notices. Pluggable: the log sender (default) writes
// the message to the log; the SMTP sender speaks plain SMTP (RFC 5321) to a relay such as a
// local Postfix, which handles TLS and delivery. Mail is sent from a job, never inline.
#include <memory>
#include <string>

#include "core/config.h"
#include "core/result.h"

namespace pbgdpl::accounts {

struct Mail {
  std::string to;
  std::string subject;
  std::string body;  ///< plain text, UTF-8
};

class MailSender {
 public:
  virtual ~MailSender() = default;
  virtual core::Status send(const Mail& m) = 0;
};

std::unique_ptr<MailSender> make_log_sender();
std::unique_ptr<MailSender> make_smtp_sender(std::string host, int port, std::string from);
/// The sender the config asks for (mail_sender = log | smtp).
std::unique_ptr<MailSender> make_sender(const core::Config& c);

}  // namespace pbgdpl::accounts
