// percent_decode / parse_urlencoded / parse_target on arbitrary bytes. Invariants: a form
// that parses holds only valid UTF-8 and survives an encode/parse round trip; a target that
// parses has a UTF-8 path without control characters.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/utf8.h"
#include "http/message.h"
#include "http/server.h"

namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    fprintf(stderr, "invariant violated: %s\n", what);
    abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pbgdpl;
  std::string_view s(reinterpret_cast<const char*>(data), size);

  for (bool plus : {false, true}) {
    auto d = http::percent_decode(s, plus);
    if (d) {
      check(d->size() <= s.size(), "decoding never grows");
      check(http::percent_decode(http::percent_encode(*d), plus) == *d, "encode then decode is identity");
    } else {
      check(s.find('%') != std::string_view::npos, "only a '%' can make decoding fail");
    }
  }

  auto f = http::parse_urlencoded(s, 64);
  if (f) {
    check(f->fields.size() <= 64, "field limit holds");
    std::string again;
    for (const auto& [k, v] : f->fields) {
      check(core::utf8_valid(k) && core::utf8_valid(v), "every field is valid UTF-8");
      if (!again.empty()) again += '&';
      again += http::percent_encode(k) + "=" + http::percent_encode(v);
    }
    auto g = http::parse_urlencoded(again, 64);
    check(g.ok(), "re-encoded form parses");
    check(g->fields == f->fields, "re-encoded form round-trips");
  } else {
    auto st = core::error_status(f.error().code);
    check(st == 400 || st == 413, "form errors are 400 or 413");
    check(!f.error().message.empty(), "errors carry a message");
  }

  http::Request req;
  std::string target = "/" + std::string(s);
  auto st = http::parse_target(target, req);
  if (st) {
    check(core::utf8_valid(req.path), "path is valid UTF-8");
    for (unsigned char c : req.path) check(c >= 0x20 && c != 0x7F, "path has no control characters");
    check(!req.path.empty() && req.path.front() == '/', "path starts with '/'");
    for (const auto& [k, v] : req.query.fields) check(core::utf8_valid(k) && core::utf8_valid(v), "query is UTF-8");
  } else {
    auto code = core::error_status(st.error().code);
    check(code == 400 || code == 413 || code == 414, "target errors are 400, 413 or 414");
  }
  return 0;
}
