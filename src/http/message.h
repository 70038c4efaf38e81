#pragma once
// Request and Response values seen by middleware and handlers. Beast stays inside
// server.cpp, so module code compiles without Boost headers.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace pbgdpl::http {

using Headers = std::vector<std::pair<std::string, std::string>>;  // names lower-case

/// Decoded application/x-www-form-urlencoded data or a query string.
class Form {
 public:
  std::vector<std::pair<std::string, std::string>> fields;
  /// First value of a field, or "" when absent.
  std::string get(std::string_view name) const;
  std::optional<std::string> find(std::string_view name) const;
  std::vector<std::string> all(std::string_view name) const;
  bool has(std::string_view name) const { return find(name).has_value(); }
};

/// A role held over an organization subtree (org_path like "/1/7/"; empty = everywhere).
struct Grant {
  std::string role;
  int64_t org_id = 0;
  std::string org_path;
};

/// The signed-in person, filled by the accounts middleware (user_id 0 = anonymous).
struct Principal {
  int64_t user_id = 0;
  std::string name;
  std::string email;
  int64_t org_id = 0;
  bool system_admin = false;
  std::vector<std::string> roles;  ///< role names held anywhere
  std::vector<Grant> grants;       ///< roles with their scopes
  std::string session_hash;        ///< sha256 of the session cookie, empty for tokens
  bool via_token = false;          ///< authenticated by an API token
  bool signed_in() const { return user_id != 0; }
  bool has_role(std::string_view r) const;
};

struct Request {
  std::string method;  ///< upper-case, HEAD answered as GET
  std::string target;  ///< raw request target
  std::string path;    ///< percent-decoded, validated UTF-8
  std::string raw_query;
  Form query;
  Headers headers;
  std::string body;
  std::string remote_ip;
  std::string request_id;
  bool secure = false;  ///< TLS at the proxy (X-Forwarded-Proto: https, when trusted)
  std::string route;    ///< the matched pattern, for logs and metrics
  std::map<std::string, std::string, std::less<>> params;
  Principal user;
  std::string csrf_token;    ///< the token forms on this page must carry
  std::string csrf_cookie;   ///< a new anonymous CSRF cookie to set, if any
  std::vector<std::string> set_cookies;  ///< cookies middleware wants on the response

  std::string_view header(std::string_view name) const;
  std::optional<std::string> cookie(std::string_view name) const;
  std::string param(std::string_view name) const;
  int64_t param_int(std::string_view name) const;
  /// True when the client asked for JSON (API path or Accept: application/json).
  bool wants_json() const;
  /// The body as a form (application/x-www-form-urlencoded).
  core::Result<Form> form() const;
  /// The body as JSON; a Vietnamese 400 error when it is not.
  core::Result<nlohmann::json> json() const;
};

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  Headers headers;
  std::string body;

  void set_header(std::string name, std::string value);
  std::string_view header(std::string_view name) const;
  void add_cookie(std::string cookie) { headers.emplace_back("set-cookie", std::move(cookie)); }

  static Response html(std::string body, int status = 200);
  static Response text(std::string body, int status = 200);
  static Response json(const nlohmann::json& j, int status = 200);
  static Response redirect(std::string location, int status = 303);
  /// The API error shape {"error": {"code", "message"[, "field"]}}.
  static Response json_error(const core::Error& e);
};

/// Thrown by a handler (or helper) that cannot go on; the server renders it as the error
/// page or JSON error for the request. Expected failures, not bugs.
struct HttpError : std::exception {
  explicit HttpError(core::Error e) : error(std::move(e)) {}
  const char* what() const noexcept override { return error.message.c_str(); }
  core::Error error;
};
[[noreturn]] inline void fail(core::Error e) { throw HttpError(std::move(e)); }
[[noreturn]] inline void fail(core::ErrorCode c) { throw HttpError(core::Error::of(c)); }
/// The value of a Result, or the request ends with its error.
template <class T>
T unwrap(core::Result<T> r) {
  if (!r.ok()) throw HttpError(r.take_error());
  return std::move(r).value();
}
inline void unwrap(core::Status s) {
  if (!s.ok()) throw HttpError(s.take_error());
}

/// "name=value; Path=/; HttpOnly; SameSite=Lax[; Secure][; Max-Age=n]"
std::string make_cookie(std::string_view name, std::string_view value, bool secure, int64_t max_age_s = -1,
                        bool http_only = true);

/// Percent-decodes; returns nullopt on a bad escape. plus_is_space for form bodies.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);
std::string percent_encode(std::string_view s);
/// Parses a query string or form body; rejects bad escapes and invalid UTF-8 (400).
core::Result<Form> parse_urlencoded(std::string_view s, size_t max_fields = 1000);
/// Escapes text for HTML element and attribute content.
std::string html_escape(std::string_view s);

}  // namespace pbgdpl::http
