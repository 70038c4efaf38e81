#include "http/message.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/utf8.h"

namespace pbgdpl::http {

using core::Error;
using core::ErrorCode;

std::string Form::get(std::string_view name) const { return find(name).value_or(""); }

std::optional<std::string> Form::find(std::string_view name) const {
  for (const auto& [k, v] : fields)
    if (k == name) return v;
  return std::nullopt;
}

std::vector<std::string> Form::all(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields)
    if (k == name) out.push_back(v);
  return out;
}

bool Principal::has_role(std::string_view r) const {
  return std::find(roles.begin(), roles.end(), r) != roles.end();
}

std::string_view Request::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return v;
  return {};
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k != "cookie") continue;
    std::string_view s = v;
    while (!s.empty()) {
      auto semi = s.find(';');
      auto part = core::trim(s.substr(0, semi));
      auto eq = part.find('=');
      if (eq != std::string_view::npos && core::trim(part.substr(0, eq)) == name)
        return std::string(core::trim(part.substr(eq + 1)));
      if (semi == std::string_view::npos) break;
      s.remove_prefix(semi + 1);
    }
  }
  return std::nullopt;
}

std::string Request::param(std::string_view name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

int64_t Request::param_int(std::string_view name) const {
  auto s = param(name);
  int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

bool Request::wants_json() const {
  if (path.rfind("/api/", 0) == 0) return true;
  auto accept = header("accept");
  return accept.find("application/json") != std::string_view::npos &&
         accept.find("text/html") == std::string_view::npos;
}

core::Result<Form> Request::form() const {
  auto ct = header("content-type");
  if (!ct.empty() && ct.find("application/x-www-form-urlencoded") == std::string_view::npos)
    return Error::of(ErrorCode::UnsupportedMediaType,
                     "Biểu mẫu phải được gửi dưới dạng application/x-www-form-urlencoded.");
  return parse_urlencoded(body);
}

core::Result<nlohmann::json> Request::json() const {
  auto ct = header("content-type");
  if (ct.find("application/json") == std::string_view::npos)
    return Error::of(ErrorCode::UnsupportedMediaType, "Dữ liệu phải ở dạng JSON (Content-Type: application/json).");
  if (!core::utf8_valid(body)) return Error::of(ErrorCode::InvalidUtf8);
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) return Error::of(ErrorCode::BadRequest, "Dữ liệu JSON không đúng cú pháp.");
  return j;
}

void Response::set_header(std::string name, std::string value) {
  for (auto& [k, v] : headers)
    if (k == name) {
      v = std::move(value);
      return;
    }
  headers.emplace_back(std::move(name), std::move(value));
}

std::string_view Response::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return v;
  return {};
}

Response Response::html(std::string body, int status) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response Response::text(std::string body, int status) {
  Response r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

Response Response::json(const nlohmann::json& j, int status) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response Response::redirect(std::string location, int status) {
  Response r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.set_header("location", std::move(location));
  return r;
}

Response Response::json_error(const core::Error& e) {
  nlohmann::json err = {{"code", core::error_wire(e.code)}, {"message", e.message}};
  if (!e.field.empty()) err["field"] = e.field;
  return json({{"error", err}}, core::error_status(e.code));
}

std::string make_cookie(std::string_view name, std::string_view value, bool secure, int64_t max_age_s,
                        bool http_only) {
  std::string c;
  c.append(name).append("=").append(value).append("; Path=/; SameSite=Lax");
  if (http_only) c += "; HttpOnly";
  if (secure) c += "; Secure";
  if (max_age_s >= 0) c += "; Max-Age=" + std::to_string(max_age_s);
  return c;
}

namespace {
int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
      if (h < 0 || l < 0) return std::nullopt;
      out += static_cast<char>(h * 16 + l);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string percent_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

core::Result<Form> parse_urlencoded(std::string_view s, size_t max_fields) {
  Form f;
  while (!s.empty()) {
    auto amp = s.find('&');
    auto part = s.substr(0, amp);
    if (!part.empty()) {
      if (f.fields.size() >= max_fields)
        return Error::of(ErrorCode::PayloadTooLarge, "Biểu mẫu có quá nhiều trường.");
      auto eq = part.find('=');
      auto k = percent_decode(part.substr(0, eq), true);
      auto v = eq == std::string_view::npos ? std::optional<std::string>("")
                                            : percent_decode(part.substr(eq + 1), true);
      if (!k || !v) return Error::of(ErrorCode::BadRequest, "Dữ liệu biểu mẫu có mã hóa phần trăm (%) không hợp lệ.");
      if (!core::utf8_valid(*k) || !core::utf8_valid(*v)) return Error::of(ErrorCode::InvalidUtf8);
      f.fields.emplace_back(std::move(*k), std::move(*v));
    }
    if (amp == std::string_view::npos) break;
    s.remove_prefix(amp + 1);
  }
  return f;
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace pbgdpl::http
