// search::Index::search on arbitrary query text. The query "parser" (tokenizer, abbreviation
// expansion, question-template removal, named-law detection, term construction) is internal
// to the index, so the target searches a small index built once in a temporary directory.
// The first byte picks the options (document level, sort by date, a filter, facets, offset).
// Invariants, checked on every input:
//   - a search never fails: punctuation, 10 kB, invalid UTF-8 and unbalanced quotes or
//     brackets give results or an empty list, not an error;
//   - at most `limit` hits, each with an id and the group of an indexed document; with
//     document-level collapse, no group twice;
//   - snippets are valid UTF-8 and HTML-safe: the only tags are <mark> and </mark>.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <set>
#include <string>

#include "core/utf8.h"
#include "search/index.h"

namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    fprintf(stderr, "invariant violated: %s\n", what);
    abort();
  }
}

struct Article {
  const char* id;
  const char* group;
  const char* title;
  const char* heading;
  const char* body;
  const char* year;
};

// Our own sample text (the fictional Tỉnh An Hòa), shaped like the library's articles.
constexpr Article kArticles[] = {
    {"a:1", "d:1", "Nghị quyết 05/2026/NQ-HĐND về hòa giải ở cơ sở", "Điều 1. Phạm vi điều chỉnh",
     "Nghị quyết này quy định mức hỗ trợ cho hòa giải viên ở cơ sở trên địa bàn tỉnh An Hòa.", "2026"},
    {"a:2", "d:1", "Nghị quyết 05/2026/NQ-HĐND về hòa giải ở cơ sở", "Điều 2. Mức hỗ trợ",
     "1. Hỗ trợ hòa giải viên 300.000 đồng cho mỗi vụ, việc hòa giải.\na) Chi phí đi lại theo thực tế;\nb) "
     "<script>alert(1)</script> & \"trích dẫn\" không phải thẻ.",
     "2026"},
    {"a:3", "d:2", "Quyết định 12/2025/QĐ-UBND quy chế công khai", "Điều 1. Quyền sử dụng đất",
     "Ủy ban nhân dân tỉnh công khai quy hoạch sử dụng đất; người dân có quyền sử dụng đất theo BLDS và "
     "Nghị định 15/2020/NĐ-CP. Thuỷ lợi, hoà giải, quí khách.",
     "2025"},
    {"a:4", "d:2", "Quyết định 12/2025/QĐ-UBND quy chế công khai", "Điều 2. Hôn nhân và gia đình",
     "Cán bộ tư pháp hướng dẫn Luật HN&GĐ, bảo hiểm xã hội (BHXH) và thủ tục hành chính cho người dân.", "2025"},
    {"a:5", "d:3", "Luật Hòa giải ở cơ sở", "Điều 5. Đúng hay sai",
     "Hòa giải viên có quyền từ chối hòa giải nếu thấy không phù hợp, đúng hay sai? Điều 5 của Luật này.", "2013"},
};

pbgdpl::search::Index* index() {
  static std::unique_ptr<pbgdpl::search::Index> idx = [] {
    char tmpl[] = "/tmp/pbgdpl-fuzz-search-XXXXXX";
    char* dir = mkdtemp(tmpl);
    check(dir != nullptr, "temporary directory");
    std::string path = std::string(dir) + "/idx";
    auto opened = pbgdpl::search::Index::open(path);
    check(opened.ok(), "index opens");
    auto i = std::move(*opened);
    for (const auto& a : kArticles) {
      pbgdpl::search::IndexDoc d;
      d.id = a.id;
      d.group = a.group;
      d.group_title = a.title;
      d.fields = {{a.heading, 2}, {a.body, 1}};
      d.facets = {{"type", a.group[2] == '3' ? "luat" : "nghi_quyet"}, {"year", a.year}, {"status", "con_hieu_luc"}};
      d.date = std::atoi(a.year);
      d.payload = std::string("{\"id\":\"") + a.id + "\"}";
      d.snippet_text = a.body;
      check(i->put(d).ok(), "put");
    }
    check(i->commit().ok(), "commit");
    // The index lives in the process; its directory can go at exit.
    static std::string cleanup = dir;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(cleanup, ec);
    });
    return i;
  }();
  return idx.get();
}

void check_snippet(const std::string& s) {
  check(pbgdpl::core::utf8_valid(s), "snippet is valid UTF-8");
  std::string rest = s;
  for (const char* tag : {"</mark>", "<mark>"})
    for (size_t p; (p = rest.find(tag)) != std::string::npos;) rest.erase(p, std::strlen(tag));
  check(rest.find_first_of("<>\"") == std::string::npos, "snippet has no markup but <mark> and escapes");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pbgdpl;
  if (size == 0) return 0;
  const uint8_t opts = data[0];
  search::Query q;
  q.text.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
  q.collapse = opts & 1;
  q.by_date = opts & 2;
  if (opts & 4) q.filters["status"] = {"con_hieu_luc"};
  if (opts & 8) q.facets = {"type", "year", "nonexistent"};
  q.offset = (opts >> 4) & 3;
  q.limit = (opts & 64) ? 2 : 10;

  auto r = index()->search(q);
  check(r.ok(), "a search never fails");
  check(r->hits.size() <= q.limit, "at most limit hits");
  std::set<std::string> groups;
  for (const auto& h : r->hits) {
    check(!h.id.empty(), "every hit has an id");
    check(h.group == "d:1" || h.group == "d:2" || h.group == "d:3", "hits come from indexed groups");
    if (q.collapse) check(groups.insert(h.group).second, "document level: one hit per document");
    check_snippet(h.snippet);
  }
  check(r->named_group.empty() || r->named_group == "d:1" || r->named_group == "d:2" || r->named_group == "d:3",
        "a named law is an indexed document");
  return 0;
}
