#include "text/tokenize.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>

#include "text/normalize.h"

namespace pbgdpl::text {
namespace {

// Old and new tone placement for open syllables ending in oa, oe, uy: "hoà" and "hòa"
// are the same word. Canonical form: the tone on the first vowel (hòa, thủy), the form
// most Vietnamese legal texts use.
struct Pair {
  std::string_view from, to;
};
constexpr std::array<Pair, 15> kTone = {{
    {"oà", "òa"}, {"oá", "óa"}, {"oả", "ỏa"}, {"oã", "õa"}, {"oạ", "ọa"},
    {"oè", "òe"}, {"oé", "óe"}, {"oẻ", "ỏe"}, {"oẽ", "õe"}, {"oẹ", "ọe"},
    {"uỳ", "ùy"}, {"uý", "úy"}, {"uỷ", "ủy"}, {"uỹ", "ũy"}, {"uỵ", "ụy"},
}};
constexpr std::array<Pair, 6> kQui = {{{"qui", "quy"}, {"quì", "quỳ"}, {"quí", "quý"}, {"quỉ", "quỷ"}, {"quĩ", "quỹ"}, {"quị", "quỵ"}}};

bool is_connector(UChar32 c) { return c == '/' || c == '-' || c == '&' || c == '.' || c == '_' || c == 0x2013; }

bool word_char(UChar32 c) { return u_isalnum(c) || u_getCombiningClass(c) != 0 || u_charType(c) == U_NON_SPACING_MARK; }

std::string utf8(const icu::UnicodeString& u) {
  std::string s;
  u.toUTF8String(s);
  return s;
}

const icu::Locale& vi() {
  static const icu::Locale l("vi");
  return l;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

std::string canonical_syllable(std::string_view s) {
  std::string out(s);
  for (const auto& p : kQui) {
    if (out == p.from) return std::string(p.to);
  }
  for (const auto& p : kTone) {
    if (out.size() >= p.from.size() && out.compare(out.size() - p.from.size(), p.from.size(), p.from) == 0) {
      // "quý" keeps its form: after q, u belongs to the consonant.
      size_t at = out.size() - p.from.size();
      if (p.from[0] == 'u' && at > 0 && out[at - 1] == 'q') break;
      out.replace(at, p.from.size(), p.to);
      break;
    }
  }
  return out;
}

bool has_diacritics(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return fold(s) != lower(s);
  return false;
}

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> out;
  UErrorCode ec = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(ec);
  auto raw = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString u = U_SUCCESS(ec) ? nfc->normalize(raw, ec) : raw;
  if (U_FAILURE(ec)) u = raw;
  uint32_t pos = 0;
  const int32_t n = u.length();
  int32_t i = 0;
  auto emit_word = [&](const icu::UnicodeString& w) {
    icu::UnicodeString l = w;
    l.toLower(vi());
    std::string lw = utf8(l);
    Token t;
    t.kind = all_digits(lw) ? Token::Kind::Number : Token::Kind::Word;
    t.exact = t.kind == Token::Kind::Word ? canonical_syllable(lw) : lw;
    t.folded = fold(t.exact);
    if (t.folded.empty()) return;  // only combining marks: no word (and no empty index term)
    t.pos = pos++;
    out.push_back(std::move(t));
  };
  while (i < n) {
    UChar32 c = u.char32At(i);
    if (!word_char(c)) {
      i += U16_LENGTH(c);
      continue;
    }
    // A run: word characters joined by connectors that sit between word characters.
    int32_t start = i, end = i;
    bool has_slash = false, has_amp = false, has_dash = false, has_upper = false, has_digit = false, has_dot = false;
    while (end < n) {
      UChar32 d = u.char32At(end);
      if (word_char(d)) {
        has_upper |= u_isupper(d) != 0;
        has_digit |= u_isdigit(d) != 0;
        end += U16_LENGTH(d);
        continue;
      }
      if (is_connector(d) && end + U16_LENGTH(d) < n && word_char(u.char32At(end + U16_LENGTH(d)))) {
        has_slash |= d == '/';
        has_amp |= d == '&';
        has_dash |= d == '-' || d == 0x2013;
        has_dot |= d == '.';
        end += U16_LENGTH(d);
        continue;
      }
      break;
    }
    icu::UnicodeString run(u, start, end - start);
    i = end;
    // Parts split on connectors.
    std::vector<icu::UnicodeString> parts;
    {
      icu::UnicodeString cur;
      for (int32_t j = 0; j < run.length();) {
        UChar32 d = run.char32At(j);
        j += U16_LENGTH(d);
        if (is_connector(d)) {
          if (!cur.isEmpty()) parts.push_back(cur);
          cur.remove();
        } else {
          cur.append(d);
        }
      }
      if (!cur.isEmpty()) parts.push_back(cur);
    }
    // 1.000.000 → one number
    if (has_dot && !has_slash && !has_amp && !has_dash && has_digit) {
      bool numeric = true;
      for (const auto& p : parts) numeric &= all_digits(utf8(p));
      if (numeric) {
        icu::UnicodeString joined;
        for (const auto& p : parts) joined += p;
        emit_word(joined);
        continue;
      }
    }
    bool identifier = parts.size() > 1 && (has_slash || has_amp || (has_dash && (has_upper || has_digit)));
    if (identifier) {
      icu::UnicodeString l = run;
      l.toLower(vi());
      Token t;
      t.kind = Token::Kind::Identifier;
      t.exact = utf8(l);
      for (auto& ch : t.exact)
        if (ch == '.') ch = '/';
      t.folded = fold(t.exact);
      t.pos = pos;
      out.push_back(std::move(t));
    }
    for (const auto& p : parts) emit_word(p);
  }
  return out;
}

}  // namespace pbgdpl::text
