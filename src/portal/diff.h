#pragma once
// Line diff between two revisions (longest common subsequence). Revisions are articles of
// at most a few thousand lines, so the O(n·m) table is small; longer inputs fall back to
// "everything changed" rather than using unbounded memory.
#include <string>
#include <string_view>
#include <vector>

namespace pbgdpl::portal {

struct DiffLine {
  char op = ' ';  ///< ' ' same, '-' removed, '+' added
  std::string text;
};

std::vector<DiffLine> diff_lines(std::string_view before, std::string_view after);

}  // namespace pbgdpl::portal
