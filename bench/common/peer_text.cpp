#include "peer_text.h"

#include <algorithm>
#include <cctype>

namespace peer_text {

namespace {
std::string fold(std::string_view in, bool d) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (i + 1 < in.size()) {
      unsigned char n = static_cast<unsigned char>(in[i + 1]);
      if (c == 0xC2 && n == 0xAD) { ++i; continue; }                                     // soft hyphen
      if (d && ((c == 0xC4 && (n == 0x90 || n == 0x91)) || (c == 0xC3 && n == 0x90))) {  // Đ đ Ð
        out += 'd';
        ++i;
        continue;
      }
    }
    out += static_cast<char>(c);
  }
  return out;
}
}  // namespace

std::string drop_soft_hyphens(std::string_view nfc_text) { return fold(nfc_text, false); }
std::string fold_d(std::string_view nfc_text) { return fold(nfc_text, true); }

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + len > s.size()) len = 1;
    char32_t cp = c;
    if (len == 2) cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
    else if (len == 3) cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
    else if (len == 4) cp = 0;  // outside every range below
    bool word = (cp < 0x80 && std::isalnum(static_cast<int>(cp))) ||
                (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x300 && cp <= 0x36F) ||
                (cp >= 0x1E00 && cp <= 0x1EFF);
    if (word) cur.append(s.substr(i, len));
    else if (!cur.empty()) out.push_back(std::move(cur)), cur.clear();
    i += len;
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::vector<std::string> distinct_words(std::string_view s) {
  std::vector<std::string> out;
  for (auto& w : words(s))
    if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(std::move(w));
  return out;
}

}  // namespace peer_text
