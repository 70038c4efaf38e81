// Editors' Markdown → sanitized HTML (src/portal/markdown.cpp over cmark). Whatever the
// input, the output holds only the elements and attributes the allow-list emits, every
// attribute value is quoted and free of quotes/angle brackets, and links/images point only
// to allowed schemes. Also runs the plain-text and page-splitting paths.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "portal/markdown.h"

namespace {

void check(bool ok, const char* what, const std::string& out) {
  if (!ok) {
    fprintf(stderr, "invariant violated: %s\noutput: %s\n", what, out.c_str());
    abort();
  }
}

bool is_name(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'; }

void check_html(const std::string& h) {
  static const std::set<std::string> tags = {"p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre",
                                             "code", "em", "strong", "a", "img", "br", "hr"};
  static const std::set<std::string> attrs = {"href", "title", "rel", "src", "alt", "loading", "start"};
  size_t i = 0;
  while ((i = h.find('<', i)) != std::string::npos) {
    size_t j = i + 1;
    if (j < h.size() && h[j] == '/') ++j;
    size_t name_start = j;
    while (j < h.size() && is_name(h[j])) ++j;
    std::string name = h.substr(name_start, j - name_start);
    check(tags.count(name) > 0, "unknown tag", h);
    // attributes: ( name="value")*
    while (j < h.size() && h[j] == ' ') {
      ++j;
      size_t a = j;
      while (j < h.size() && is_name(h[j])) ++j;
      std::string an = h.substr(a, j - a);
      check(attrs.count(an) > 0, "unknown attribute", h);
      check(h.compare(j, 2, "=\"") == 0, "unquoted attribute", h);
      j += 2;
      size_t v = j;
      while (j < h.size() && h[j] != '"') {
        check(h[j] != '<' && h[j] != '>', "angle bracket in attribute", h);
        ++j;
      }
      check(j < h.size(), "unterminated attribute", h);
      std::string value = h.substr(v, j - v);
      if (an == "href") check(pbgdpl::portal::safe_link(value), "unsafe href", h);
      if (an == "src") check(pbgdpl::portal::safe_image(value), "unsafe src", h);
      ++j;
    }
    check(j < h.size() && h[j] == '>', "malformed tag", h);
    i = j;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);
  std::string html = pbgdpl::portal::markdown_html(in);
  check_html(html);
  std::string text = pbgdpl::portal::markdown_text(in);
  check(text.find('<') == std::string::npos || in.find('<') != std::string::npos, "markup invented in text", text);
  auto pages = pbgdpl::portal::split_pages(in);
  check(!pages.empty(), "no pages", in);
  return 0;
}
