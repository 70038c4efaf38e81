#include "text/normalize.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

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
  auto u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  UErrorCode ec = U_ZERO_ERROR;
  auto n = nfc_norm()->normalize(u, ec);
  n.toLower(icu::Locale("vi"));
  return to_utf8(n);
}

std::string fold(std::string_view s) {
  auto u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  UErrorCode ec = U_ZERO_ERROR;
  auto d = nfd_norm()->normalize(u, ec);
  if (U_FAILURE(ec)) d = u;
  d.toLower(icu::Locale("vi"));
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
