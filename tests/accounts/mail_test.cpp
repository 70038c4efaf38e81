// The SMTP adapter against a tiny fake SMTP server on a loopback thread: what a relay
// receives (envelope, encoded subject, base64 body, a valid Date) and how refusals surface.
#include "accounts/mail.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace pbgdpl::accounts {
namespace {

std::string b64decode(std::string_view in) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = val(c);
    if (v < 0) continue;  // '=', CR, LF
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

/// Accepts one connection and plays a relay; records commands and the DATA block.
class FakeSmtp {
 public:
  explicit FakeSmtp(int rcpt_reply = 250) : rcpt_reply_(rcpt_reply) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(fd_, 1) != 0) throw std::runtime_error("bind");
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeSmtp() {
    if (thread_.joinable()) thread_.join();
    close(fd_);
  }
  int port() const { return port_; }
  /// Waits for the session to end; then commands() and data() are complete.
  void wait() {
    if (thread_.joinable()) thread_.join();
  }
  const std::vector<std::string>& commands() const { return commands_; }
  const std::string& data() const { return data_; }

 private:
  bool read_line(int c, std::string& line) {
    line.clear();
    for (;;) {
      auto nl = buf_.find("\r\n");
      if (nl != std::string::npos) {
        line = buf_.substr(0, nl);
        buf_.erase(0, nl + 2);
        return true;
      }
      pollfd p{c, POLLIN, 0};
      if (poll(&p, 1, 10000) <= 0) return false;
      char tmp[4096];
      ssize_t n = recv(c, tmp, sizeof tmp, 0);
      if (n <= 0) return false;
      buf_.append(tmp, static_cast<size_t>(n));
    }
  }
  void say(int c, const std::string& s) { (void)::send(c, s.data(), s.size(), MSG_NOSIGNAL); }
  void serve() {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 10000) <= 0) return;
    int c = accept(fd_, nullptr, nullptr);
    if (c < 0) return;
    say(c, "220 fake.example ESMTP\r\n");
    std::string line;
    while (read_line(c, line)) {
      commands_.push_back(line);
      if (line.starts_with("EHLO")) {
        say(c, "250-fake.example xin chao\r\n250-8BITMIME\r\n250 SIZE 1000000\r\n");
      } else if (line.starts_with("MAIL FROM:")) {
        say(c, "250 2.1.0 Ok\r\n");
      } else if (line.starts_with("RCPT TO:")) {
        say(c, std::to_string(rcpt_reply_) + (rcpt_reply_ == 250 ? " 2.1.5 Ok\r\n" : " 5.1.1 No such user\r\n"));
      } else if (line == "DATA") {
        say(c, "354 End data with <CR><LF>.<CR><LF>\r\n");
        std::string l;
        while (read_line(c, l) && l != ".") data_ += l + "\r\n";
        say(c, "250 2.0.0 Ok: queued\r\n");
      } else if (line == "QUIT") {
        say(c, "221 2.0.0 Bye\r\n");
        break;
      } else {
        say(c, "502 5.5.2 Error: command not recognized\r\n");
      }
    }
    close(c);
  }

  int fd_ = -1;
  int port_ = 0;
  int rcpt_reply_;
  std::thread thread_;
  std::string buf_;
  std::vector<std::string> commands_;
  std::string data_;
};

TEST(SmtpSender, DeliversAnEncodedVietnameseMessage) {
  FakeSmtp relay;
  auto sender = make_smtp_sender("127.0.0.1", relay.port(), "pbgdpl@anhoa.gov.vn");
  Mail m{"nguoi.dan@example.vn", "Đặt lại mật khẩu tài khoản PBGDPL",
         "Xin chào Nguyễn Văn Dân,\n\nMở liên kết: https://pbgdpl.anhoa.gov.vn/dat-lai-mat-khau?token=abc_DEF-123\n" +
             std::string(200, '.')};
  auto st = sender->send(m);
  relay.wait();
  ASSERT_TRUE(st.ok()) << st.error().message;

  const auto& cmds = relay.commands();
  ASSERT_GE(cmds.size(), 5u);
  EXPECT_TRUE(cmds[0].starts_with("EHLO "));
  EXPECT_EQ(cmds[1], "MAIL FROM:<pbgdpl@anhoa.gov.vn>");
  EXPECT_EQ(cmds[2], "RCPT TO:<nguoi.dan@example.vn>");
  EXPECT_EQ(cmds[3], "DATA");
  EXPECT_EQ(cmds.back(), "QUIT");

  const std::string& data = relay.data();
  auto split = data.find("\r\n\r\n");
  ASSERT_NE(split, std::string::npos) << data;
  std::string head = data.substr(0, split), body = data.substr(split + 4);
  // Subject as an RFC 2047 encoded word that decodes to the original text.
  std::smatch sm;
  ASSERT_TRUE(std::regex_search(head, sm, std::regex(R"(Subject: =\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=)"))) << head;
  EXPECT_EQ(b64decode(sm[1].str()), m.subject);
  EXPECT_NE(head.find("To: nguoi.dan@example.vn"), std::string::npos);
  EXPECT_NE(head.find("Content-Type: text/plain; charset=UTF-8"), std::string::npos);
  EXPECT_NE(head.find("Content-Transfer-Encoding: base64"), std::string::npos);
  // RFC 5322 date, e.g. "Date: Tue, 03 Jun 2025 08:15:00 +0000".
  EXPECT_TRUE(std::regex_search(
      head, std::regex(R"(Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}(\r\n|$))")))
      << head;
  // Body: base64 lines of at most 76 characters that decode to the UTF-8 text.
  size_t pos = 0;
  while (pos < body.size()) {
    auto nl = body.find("\r\n", pos);
    ASSERT_NE(nl, std::string::npos);
    EXPECT_LE(nl - pos, 76u);
    pos = nl + 2;
  }
  EXPECT_EQ(body.find("Nguy"), std::string::npos) << "body must be encoded";
  EXPECT_EQ(b64decode(body), m.body);
}

TEST(SmtpSender, RefusalsAndUnreachableRelaysAreErrors) {
  {
    FakeSmtp relay(550);
    auto sender = make_smtp_sender("127.0.0.1", relay.port(), "pbgdpl@anhoa.gov.vn");
    auto st = sender->send({"khong-co@example.vn", "Chủ đề", "Nội dung"});
    relay.wait();
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, core::ErrorCode::Unavailable);
    EXPECT_NE(st.error().message.find("550"), std::string::npos) << st.error().message;
    EXPECT_TRUE(relay.data().empty());
  }
  // A port nobody listens on: bind one, then close it.
  int closed_port;
  {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    closed_port = ntohs(a.sin_port);
    close(fd);
  }
  auto sender = make_smtp_sender("127.0.0.1", closed_port, "pbgdpl@anhoa.gov.vn");
  auto st = sender->send({"x@example.vn", "Chủ đề", "Nội dung"});
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("Không kết nối được máy chủ thư"), std::string::npos) << st.error().message;
}

TEST(SmtpSender, HeaderInjectionInTheRecipientIsRefused) {
  auto sender = make_smtp_sender("127.0.0.1", 1, "pbgdpl@anhoa.gov.vn");
  auto st = sender->send({"a@example.vn\r\nBcc: victim@example.vn", "x", "y"});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, core::ErrorCode::Validation);
}

TEST(MailSenders, ConfigChoosesTheSender) {
  core::Config c;
  auto log = make_sender(c);
  ASSERT_TRUE(log);
  EXPECT_TRUE(log->send({"a@example.vn", "Chủ đề", "Nội dung"}).ok());
  FakeSmtp relay;
  c.mail_sender = "smtp";
  c.smtp_host = "127.0.0.1";
  c.smtp_port = relay.port();
  c.mail_from = "noreply@anhoa.gov.vn";
  auto smtp = make_sender(c);
  EXPECT_TRUE(smtp->send({"a@example.vn", "Chủ đề", "Nội dung"}).ok());
  relay.wait();
  ASSERT_GE(relay.commands().size(), 2u);
  EXPECT_EQ(relay.commands()[1], "MAIL FROM:<noreply@anhoa.gov.vn>");
}

}  // namespace
}  // namespace pbgdpl::accounts
