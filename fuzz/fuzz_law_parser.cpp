// law::parse_text on arbitrary bytes (the importer hands it any .txt/.md/.html/.docx/.pdf text
// that is valid UTF-8; the fuzzer also feeds invalid UTF-8, which must not crash either).
// Invariants, checked on every input:
//   - articles() are numbered strictly forward (number, then letter suffix), so every
//     /van-ban/{slug}#dieu-N address names exactly one article;
//   - every anchor in the tree is unique, and a Khoản/Điểm anchor extends its parent's;
//   - source line numbers lie within the input;
//   - for valid UTF-8 input, every string the parser returns is valid UTF-8.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "core/utf8.h"
#include "law/parser.h"

namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    fprintf(stderr, "invariant violated: %s\n", what);
    abort();
  }
}

struct Walker {
  bool utf8 = true;
  int lines = 0;
  std::set<std::string> anchors;

  void str(const std::string& s, const char* what) {
    if (utf8) check(pbgdpl::core::utf8_valid(s), what);
  }
  void walk(const std::vector<pbgdpl::law::Node>& nodes, const std::string& parent) {
    using pbgdpl::law::NodeKind;
    for (const auto& n : nodes) {
      str(n.number, "node number is valid UTF-8");
      str(n.title, "node title is valid UTF-8");
      str(n.text, "node text is valid UTF-8");
      str(n.anchor, "anchor is valid UTF-8");
      check(!n.anchor.empty(), "every node has an anchor");
      check(anchors.insert(n.anchor).second, "anchors are unique within a document");
      check(n.line >= 1 && n.line <= lines, "line numbers lie within the input");
      if (n.kind == NodeKind::Clause || n.kind == NodeKind::Point)
        check(n.anchor.rfind(parent + "-", 0) == 0, "a Khoản/Điểm anchor extends its parent's");
      walk(n.children, n.anchor);
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pbgdpl;
  std::string_view s(reinterpret_cast<const char*>(data), size);
  auto doc = law::parse_text(s);

  Walker w;
  w.utf8 = core::utf8_valid(s);
  w.lines = 1;
  for (char c : s) w.lines += c == '\n';
  w.walk(doc.body, "");
  w.str(doc.preamble, "preamble is valid UTF-8");
  w.str(doc.closing, "closing is valid UTF-8");
  for (const auto* f : {&doc.header.issuer, &doc.header.number, &doc.header.place, &doc.header.date,
                        &doc.header.doc_type, &doc.header.title, &doc.header.signer_title, &doc.header.signer})
    w.str(*f, "header fields are valid UTF-8");

  // Articles move forward: N, then Na, Nb…, then a larger N.
  // ("Điều 0" is kept when a source writes it: the parser recovers numbering, it does not
  // invent it.)
  long last = -1;
  std::string last_suffix;
  for (const auto* a : law::articles(doc)) {
    char* end = nullptr;
    long n = std::strtol(a->number.c_str(), &end, 10);
    std::string suffix(end);
    check(end != a->number.c_str() && n >= 0, "an article number starts with a number");
    check(n > last || (n == last && suffix > last_suffix), "article numbers move strictly forward");
    last = n;
    last_suffix = suffix;
  }
  return 0;
}
