#include "http/multipart.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "core/crypto.h"
#include "core/ascii.h"
#include "core/utf8.h"

namespace pbgdpl::http {

using core::Error;
using core::ErrorCode;

namespace {

using core::ascii_lower;

std::string_view trim(std::string_view s) { return core::trim(s); }

// The value of `key=` in a header parameter list ("form-data; name=\"f\"; filename=\"a.jpg\"").
std::optional<std::string> header_param(std::string_view header, std::string_view key) {
  size_t pos = 0;
  while (pos < header.size()) {
    size_t semi = header.find(';', pos);
    // Quoted strings may contain ';'.
    std::string_view part = header.substr(pos);
    auto eq = part.find('=');
    std::string_view name = trim(part.substr(0, std::min(eq, part.find(';'))));
    if (eq != std::string_view::npos && (semi == std::string_view::npos || pos + eq < semi) && ascii_lower(name) == key) {
      std::string_view v = part.substr(eq + 1);
      v = v.substr(v.find_first_not_of(' ') == std::string_view::npos ? v.size() : v.find_first_not_of(' '));
      if (!v.empty() && v.front() == '"') {
        std::string out;
        for (size_t i = 1; i < v.size(); ++i) {
          if (v[i] == '\\' && i + 1 < v.size()) out += v[++i];
          else if (v[i] == '"') return out;
          else out += v[i];
        }
        return std::nullopt;  // unterminated quote
      }
      auto end = v.find(';');
      return std::string(trim(v.substr(0, end)));
    }
    if (semi == std::string_view::npos) break;
    pos = semi + 1;
  }
  return std::nullopt;
}

}  // namespace

core::Result<std::vector<Part>> parse_multipart(std::string_view content_type, std::string_view body, size_t max_parts) {
  auto bad = [](std::string m) { return Error::of(ErrorCode::BadRequest, std::move(m)); };
  if (ascii_lower(content_type.substr(0, 19)) != "multipart/form-data")
    return Error::of(ErrorCode::UnsupportedMediaType, "Biểu mẫu tải tệp phải gửi dạng multipart/form-data.");
  auto boundary = header_param(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 200) return bad("Biểu mẫu tải tệp thiếu ranh giới (boundary).");
  const std::string delim = "--" + *boundary;
  std::vector<Part> parts;
  size_t pos = body.find(delim);
  if (pos == std::string_view::npos) return bad("Biểu mẫu tải tệp không đúng định dạng.");
  pos += delim.size();
  while (true) {
    if (body.compare(pos, 2, "--") == 0) return parts;  // closing delimiter
    if (body.compare(pos, 2, "\r\n") != 0) return bad("Biểu mẫu tải tệp không đúng định dạng.");
    pos += 2;
    auto hdr_end = body.find("\r\n\r\n", pos);
    if (hdr_end == std::string_view::npos || hdr_end - pos > 8192) return bad("Phần đầu của tệp tải lên không hợp lệ.");
    Part part;
    std::string_view headers = body.substr(pos, hdr_end - pos);
    bool has_disposition = false;
    size_t hp = 0;
    while (hp <= headers.size()) {
      size_t nl = headers.find("\r\n", hp);
      std::string_view line = headers.substr(hp, nl == std::string_view::npos ? std::string_view::npos : nl - hp);
      auto colon = line.find(':');
      if (colon != std::string_view::npos) {
        std::string name = ascii_lower(trim(line.substr(0, colon)));
        std::string_view value = trim(line.substr(colon + 1));
        if (name == "content-disposition") {
          has_disposition = true;
          part.name = header_param(value, "name").value_or("");
          part.filename = header_param(value, "filename").value_or("");
        } else if (name == "content-type") {
          part.content_type = std::string(value);
        }
      }
      if (nl == std::string_view::npos) break;
      hp = nl + 2;
    }
    if (!has_disposition || part.name.empty()) return bad("Một phần của biểu mẫu thiếu tên trường.");
    if (!core::utf8_valid(part.name) || !core::utf8_valid(part.filename))
      return Error::of(ErrorCode::InvalidUtf8, "Tên trường hoặc tên tệp không phải UTF-8 hợp lệ.");
    pos = hdr_end + 4;
    auto next = body.find("\r\n" + delim, pos);
    if (next == std::string_view::npos) return bad("Tệp tải lên bị cắt cụt (thiếu phần kết thúc).");
    part.data = std::string(body.substr(pos, next - pos));
    parts.push_back(std::move(part));
    if (parts.size() > max_parts) return bad("Biểu mẫu có quá nhiều phần.");
    pos = next + 2 + delim.size();
  }
}

const Part* find_part(const std::vector<Part>& parts, std::string_view name) {
  for (const auto& p : parts)
    if (p.name == name) return &p;
  return nullptr;
}

bool multipart_csrf_ok(const Request& req, const std::vector<Part>& parts) {
  std::string token(req.header("x-csrf-token"));
  if (token.empty())
    if (const Part* p = find_part(parts, "_csrf")) token = p->data;
  return !token.empty() && !req.csrf_token.empty() && core::constant_time_equal(token, req.csrf_token);
}

}  // namespace pbgdpl::http
