#include "accounts/mail.h"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstring>
#include <ctime>

#include "core/log.h"
#include "core/time.h"

namespace pbgdpl::accounts {

using core::Error;
using core::ErrorCode;

namespace {

class LogSender final : public MailSender {
 public:
  core::Status send(const Mail& m) override {
    core::log_info("mail (log sender) to={} subject=\"{}\" body=\"{}\"", m.to, m.subject, m.body);
    return {};
  }
};

std::string base64(std::string_view in) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out += t[v >> 18];
    out += t[(v >> 12) & 63];
    out += t[(v >> 6) & 63];
    out += t[v & 63];
  }
  if (i < in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    if (i + 1 < in.size()) v |= uint8_t(in[i + 1]) << 8;
    out += t[v >> 18];
    out += t[(v >> 12) & 63];
    out += i + 1 < in.size() ? t[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// RFC 5322 section 3.3 date ("Tue, 03 Jun 2025 08:15:00 +0000"); relays and spam filters
// penalize anything else. Formatted by hand: strftime's %a/%b follow the C locale only by luck.
std::string rfc5322_date(int64_t ms) {
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
                months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

class SmtpSender final : public MailSender {
 public:
  SmtpSender(std::string host, int port, std::string from) : host_(std::move(host)), port_(port), from_(std::move(from)) {}

  core::Status send(const Mail& m) override {
    if (m.to.find_first_of("\r\n<>") != std::string::npos || m.to.find('@') == std::string::npos)
      return Error::of(ErrorCode::Validation, "Địa chỉ thư điện tử người nhận không hợp lệ.");
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (getaddrinfo(host_.c_str(), std::to_string(port_).c_str(), &hints, &res) != 0 || !res)
      return Error::of(ErrorCode::Unavailable, "Không tìm thấy máy chủ thư " + host_);
    int fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    if (fd < 0) {
      freeaddrinfo(res);
      return Error::of(ErrorCode::Unavailable, "Không tạo được kết nối tới máy chủ thư " + host_);
    }
    timeval tv{10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int rc = connect(fd, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    if (rc != 0) {
      close(fd);
      return Error::of(ErrorCode::Unavailable, "Không kết nối được máy chủ thư " + host_);
    }
    auto st = dialog(fd, m);
    close(fd);
    return st;
  }

 private:
  // Reads one (possibly multi-line) reply; returns its 3-digit code or -1.
  int reply(int fd) {
    std::string line;
    for (;;) {
      char ch;
      ssize_t n = recv(fd, &ch, 1, 0);
      if (n <= 0) return -1;
      line += ch;
      if (ch == '\n') {
        if (line.size() >= 4 && line[3] == '-') {
          line.clear();
          continue;
        }
        return line.size() >= 3 ? std::atoi(line.substr(0, 3).c_str()) : -1;
      }
      if (line.size() > 4096) return -1;
    }
  }
  bool put(int fd, const std::string& s) {
    size_t off = 0;
    while (off < s.size()) {
      ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    return true;
  }
  core::Status step(int fd, const std::string& cmd, int want) {
    if (!cmd.empty() && !put(fd, cmd + "\r\n")) return Error::of(ErrorCode::Unavailable, "Mất kết nối máy chủ thư.");
    int code = reply(fd);
    if (code / 100 != want / 100)
      return Error::of(ErrorCode::Unavailable, "Máy chủ thư từ chối (" + std::to_string(code) + ") tại: " + cmd);
    return {};
  }
  core::Status dialog(int fd, const Mail& m) {
    PBGDPL_TRY(step(fd, "", 220));
    PBGDPL_TRY(step(fd, "EHLO pbgdpl", 250));
    PBGDPL_TRY(step(fd, "MAIL FROM:<" + from_ + ">", 250));
    PBGDPL_TRY(step(fd, "RCPT TO:<" + m.to + ">", 250));
    PBGDPL_TRY(step(fd, "DATA", 354));
    std::string msg = "From: " + from_ + "\r\nTo: " + m.to + "\r\nSubject: =?UTF-8?B?" + base64(m.subject) +
                      "?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                      "Content-Transfer-Encoding: base64\r\nDate: " +
                      rfc5322_date(core::now_ms()) + "\r\n\r\n";
    auto b = base64(m.body);
    for (size_t i = 0; i < b.size(); i += 76) msg += b.substr(i, 76) + "\r\n";
    msg += ".";
    PBGDPL_TRY(step(fd, msg, 250));
    (void)step(fd, "QUIT", 221);
    return {};
  }

  std::string host_;
  int port_;
  std::string from_;
};

}  // namespace

std::unique_ptr<MailSender> make_log_sender() { return std::make_unique<LogSender>(); }
std::unique_ptr<MailSender> make_smtp_sender(std::string host, int port, std::string from) {
  return std::make_unique<SmtpSender>(std::move(host), port, std::move(from));
}
std::unique_ptr<MailSender> make_sender(const core::Config& c) {
  if (c.mail_sender == "smtp") return make_smtp_sender(c.smtp_host, c.smtp_port, c.mail_from);
  return make_log_sender();
}

}  // namespace pbgdpl::accounts
