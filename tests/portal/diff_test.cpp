#include "portal/diff.h"

#include <gtest/gtest.h>

namespace pbgdpl::portal {
namespace {

std::string render(const std::vector<DiffLine>& d) {
  std::string s;
  for (const auto& l : d) s += std::string(1, l.op) + l.text + "\n";
  return s;
}

TEST(Diff, ShowsAddedRemovedAndKeptLines) {
  EXPECT_EQ(render(diff_lines("a\nb\nc", "a\nB\nc\nd")), " a\n-b\n+B\n c\n+d\n");
  EXPECT_EQ(render(diff_lines("", "mới")), "+mới\n");
  EXPECT_EQ(render(diff_lines("cũ", "")), "-cũ\n");
  EXPECT_EQ(render(diff_lines("x\ny", "x\ny")), " x\n y\n");
  EXPECT_EQ(render(diff_lines("a\r\nb", "a\nb")), " a\n b\n");
}

TEST(Diff, LongInputsStayBounded) {
  std::string a, b;
  for (int i = 0; i < 5000; ++i) a += "dòng " + std::to_string(i) + "\n", b += "hàng " + std::to_string(i) + "\n";
  auto d = diff_lines(a, b);
  EXPECT_EQ(d.size(), 10000u);
}

}  // namespace
}  // namespace pbgdpl::portal
