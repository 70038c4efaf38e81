#pragma once
// The Vietnamese tokenizer behind search: one pass from raw text to positioned tokens,
// each in an exact form (lower case, NFC, one tone-placement convention, qui→quy) and a
// folded form (no diacritics, đ→d). Legal identifiers ("91/2015/QH13", "15/2020/NĐ-CP",
// "NĐ-CP", "HN&GĐ") are kept whole as identifier tokens, and their parts are emitted too.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pbgdpl::text {

struct Token {
  enum class Kind { Word, Number, Identifier };
  Kind kind = Kind::Word;
  std::string exact;   ///< "hòa", "91/2015/qh13"
  std::string folded;  ///< "hoa", "91/2015/qh13"
  uint32_t pos = 0;    ///< word position; an identifier shares the position of its first part
  bool has_diacritics() const { return exact != folded; }
};

std::vector<Token> tokenize(std::string_view text);

/// One syllable (lower case NFC) in the canonical tone placement: "hoà"→"hòa",
/// "thuỷ"→"thủy", "quí"→"quý".
std::string canonical_syllable(std::string_view lower_nfc);

/// True when the text contains a Vietnamese diacritic or đ.
bool has_diacritics(std::string_view s);

}  // namespace pbgdpl::text
