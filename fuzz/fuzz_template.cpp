// The template engine on arbitrary template text with a fixed view model. Templates are
// written by developers, not users, but a typo must give an error, never a crash; and values
// from the model are escaped unless the template asks for raw output.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "web/template.h"

namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    fprintf(stderr, "invariant violated: %s\n", what);
    abort();
  }
}

size_t count(std::string_view s, std::string_view needle) {
  size_t n = 0;
  for (auto p = s.find(needle); p != std::string_view::npos; p = s.find(needle, p + 1)) ++n;
  return n;
}

const nlohmann::json& model() {
  static const nlohmann::json m = {
      {"title", "Luật <Đất đai> & \"quyền\""},
      {"name", "Sở Tư pháp"},
      {"xss", "<script>alert(1)</script>"},
      {"n", 42},
      {"zero", 0},
      {"pi", 3.5},
      {"yes", true},
      {"no", false},
      {"nothing", nullptr},
      {"empty", ""},
      {"list", {{{"name", "Điều 1"}, {"xss", "<b>"}}, {{"name", "Điều 2"}}}},
      {"words", {"một", "<hai>"}},
      {"user", {{"name", "Nguyễn Văn A"}, {"admin", true}, {"org", {{"name", "UBND xã"}}}}},
      {"deep", {{"a", {{"b", {{"c", "sâu"}}}}}}},
  };
  return m;
}

nlohmann::json without_lt(nlohmann::json j) {
  if (j.is_string()) {
    auto v = j.get<std::string>();
    for (auto& c : v)
      if (c == '<') c = '_';
    return v;
  }
  if (j.is_object() || j.is_array())
    for (auto& v : j) v = without_lt(v);
  return j;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pbgdpl;
  std::string_view src(reinterpret_cast<const char*>(data), size);
  // Nested sections over lists multiply output, and partials can fan out: both are
  // properties of the template, not bugs. Keep inputs where output stays bounded.
  if (count(src, "{{#") + count(src, "{{^") > 8 || count(src, "{{>") > 1) return 0;

  auto t = web::Template::parse("fuzz", src);
  web::Templates set;
  auto added = set.add("fuzz", src);
  check(t.ok() == added.ok(), "parse and add agree");
  if (!added.ok()) {
    check(!added.error().message.empty(), "parse errors carry a message");
    return 0;
  }
  (void)set.add("partial", "<i>{{name}}</i>{{#user}}{{org.name}}{{/user}}");
  auto out = set.render("fuzz", model());
  // Escaping, checked differentially: the same model with every '<' in its strings replaced
  // must give the same number of '<' in the output, unless the template asks for raw output.
  if (src.find("{{{") == std::string_view::npos && src.find("{{&") == std::string_view::npos) {
    auto out2 = set.render("fuzz", without_lt(model()));
    check(count(out, "<") == count(out2, "<"), "model values are HTML-escaped");
  }
  return 0;
}
