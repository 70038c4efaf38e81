#include "portal/diff.h"

#include <algorithm>
#include <cstdint>

namespace pbgdpl::portal {

namespace {
std::vector<std::string_view> lines_of(std::string_view s) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t nl = s.find('\n', pos);
    if (nl == std::string_view::npos) nl = s.size();
    std::string_view l = s.substr(pos, nl - pos);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    out.push_back(l);
    pos = nl + 1;
  }
  return out;
}
}  // namespace

std::vector<DiffLine> diff_lines(std::string_view before, std::string_view after) {
  auto a = lines_of(before), b = lines_of(after);
  std::vector<DiffLine> out;
  // Common prefix and suffix first: most edits touch a few lines.
  size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre && a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) ++suf;
  for (size_t i = 0; i < pre; ++i) out.push_back({' ', std::string(a[i])});
  size_t n = a.size() - pre - suf, m = b.size() - pre - suf;
  if (n * m > 4'000'000) {
    for (size_t i = 0; i < n; ++i) out.push_back({'-', std::string(a[pre + i])});
    for (size_t j = 0; j < m; ++j) out.push_back({'+', std::string(b[pre + j])});
  } else {
    std::vector<uint32_t> t((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> uint32_t& { return t[i * (m + 1) + j]; };
    for (size_t i = n; i-- > 0;)
      for (size_t j = m; j-- > 0;)
        at(i, j) = a[pre + i] == b[pre + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[pre + i] == b[pre + j]) {
        out.push_back({' ', std::string(a[pre + i])});
        ++i, ++j;
      } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
        out.push_back({'-', std::string(a[pre + i])});  // removals before additions, like diff -u
        ++i;
      } else {
        out.push_back({'+', std::string(b[pre + j])});
        ++j;
      }
    }
  }
  for (size_t k = 0; k < suf; ++k) out.push_back({' ', std::string(a[a.size() - suf + k])});
  return out;
}

}  // namespace pbgdpl::portal
