#pragma once
// multipart/form-data bodies (RFC 7578): file upload forms of the portal's media library
// and the contest's question bank import. One parser for every module.
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/message.h"

namespace pbgdpl::http {

struct Part {
  std::string name;
  std::string filename;  ///< empty for plain fields
  std::string content_type;
  std::string data;
};
/// Parses a multipart/form-data body. Not multipart → 415; bad framing → a Vietnamese 400.
core::Result<std::vector<Part>> parse_multipart(std::string_view content_type, std::string_view body,
                                                size_t max_parts = 50);
/// The first part named `name`, or nullptr.
const Part* find_part(const std::vector<Part>& parts, std::string_view name);
/// The accounts middleware reads the CSRF token only from urlencoded forms and headers, so
/// a file form (no JavaScript) carries it as a `_csrf` part and its route is csrf_exempt:
/// the handler calls this before doing anything else.
bool multipart_csrf_ok(const Request& req, const std::vector<Part>& parts);

}  // namespace pbgdpl::http
