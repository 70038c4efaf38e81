#include "text/normalize.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "core/utf8.h"

namespace pbgdpl::text {
namespace {
const icu::Normalizer2* nfc_norm() {
  UErrorCode ec = U_ZERO_ERROR;
  static const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(ec);
  return n;
}
const icu::Normalizer2* nfd_norm() {
  UErrorCode ec = U_ZERO_ERROR;
  static const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(ec);
  return n;
}
// Constructing an icu::Locale parses its name; searches fold every word, so build it once.
const icu::Locale& vi() {
  static const icu::Locale l("vi");
  return l;
}
bool ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}
std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}
std::string to_utf8(const icu::UnicodeString& u) {
  std::string out;
  u.toUTF8String(out);
  return out;
}
}  // namespace

std::string nfc(std::string_view s) {
  auto u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  UErrorCode ec = U_ZERO_ERROR;
  auto out = nfc_norm()->normalize(u, ec);
  return U_SUCCESS(ec) ? to_utf8(out) : to_utf8(u);
}

std::string lower(std::string_view s) {
  if (ascii(s)) return ascii_lower(s);  // NFC and Vietnamese lower case are plain ASCII here
  auto u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  UErrorCode ec = U_ZERO_ERROR;
  auto n = nfc_norm()->normalize(u, ec);
  n.toLower(vi());
  return to_utf8(n);
}

namespace {

std::string fold_icu(std::string_view s) {
  auto u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  UErrorCode ec = U_ZERO_ERROR;
  auto d = nfd_norm()->normalize(u, ec);
  if (U_FAILURE(ec)) d = u;
  d.toLower(vi());
  icu::UnicodeString out;
  for (int32_t i = 0; i < d.length();) {
    UChar32 c = d.char32At(i);
    i += U16_LENGTH(c);
    if (u_getCombiningClass(c) != 0 || (c >= 0x0300 && c <= 0x036F)) continue;
    if (c == 0x0111 || c == 0x0110) c = 'd';
    out.append(c);
  }
  return to_utf8(out);
}

// fold() of each precomposed Latin letter (U+0080–U+024F, U+1E00–U+1EFF: every Vietnamese
// letter), computed once with fold_icu itself. A word made only of ASCII and these letters
// folds letter by letter to the same result: NFD never reorders across a starter, and
// Vietnamese lower-casing has no context rules. Anything else (combining marks, other
// scripts, invalid UTF-8) takes the ICU path.
struct FoldTable {
  std::string lo[0x24F - 0x80 + 1];
  std::string ext[0x1EFF - 0x1E00 + 1];
  FoldTable() {
    auto enc = [](char32_t c) {
      std::string b;
      core::append_utf8(b, c);
      return b;
    };
    for (char32_t c = 0x80; c <= 0x24F; ++c) lo[c - 0x80] = fold_icu(enc(c));
    for (char32_t c = 0x1E00; c <= 0x1EFF; ++c) ext[c - 0x1E00] = fold_icu(enc(c));
  }
};

const FoldTable& fold_table() {
  static const FoldTable t;
  return t;
}

}  // namespace

std::string fold(std::string_view s) {
  if (ascii(s)) return ascii_lower(s);  // nothing to decompose or strip
  const auto& t = fold_table();
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
      ++i;
      continue;
    }
    if ((c >> 5) == 6 && i + 1 < s.size() && (static_cast<unsigned char>(s[i + 1]) >> 6) == 2) {
      char32_t cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
      if (cp >= 0x80 && cp <= 0x24F) {
        out += t.lo[cp - 0x80];
        i += 2;
        continue;
      }
    } else if ((c >> 4) == 14 && i + 2 < s.size() && (static_cast<unsigned char>(s[i + 1]) >> 6) == 2 &&
               (static_cast<unsigned char>(s[i + 2]) >> 6) == 2) {
      char32_t cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
                    (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
      if (cp >= 0x1E00 && cp <= 0x1EFF) {
        out += t.ext[cp - 0x1E00];
        i += 3;
        continue;
      }
    }
    return fold_icu(s);  // a combining mark, another script or invalid UTF-8
  }
  return out;
}

std::string slugify(std::string_view s, size_t max_len) {
  std::string f = fold(s), out;
  bool dash = false, cut = false;
  for (char c : f) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      size_t need = out.size() + 1 + (dash && !out.empty() ? 1 : 0);
      if (need > max_len) {
        cut = true;
        break;
      }
      if (dash && !out.empty()) out += '-';
      out += c;
      dash = false;
    } else {
      dash = true;
    }
  }
  // Cut at a word boundary when the limit falls inside a word ("luat-d" → "luat"), unless
  // the first word alone is longer than the limit.
  if (cut && !dash) {
    auto last = out.rfind('-');
    if (last != std::string::npos) out.resize(last);
  }
  return out;
}

}  // namespace pbgdpl::text
