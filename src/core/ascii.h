#pragma once
// ASCII-only case folding for protocol tokens (header names, media types, file extensions).
// Vietnamese text is folded by pbgdpl::text, never by this.
#include <cctype>
#include <string>
#include <string_view>

namespace pbgdpl::core {

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace pbgdpl::core
