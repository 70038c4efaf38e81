#pragma once
// Vietnamese text normalization shared by search, forms and slugs.
// Input arrives as NFC or NFD; everything is brought to NFC first.
#include <string>
#include <string_view>

namespace pbgdpl::text {

/// Unicode NFC. Invalid UTF-8 is replaced with U+FFFD.
std::string nfc(std::string_view s);
/// NFC + Vietnamese-aware lower case.
std::string lower(std::string_view s);
/// Lower case without diacritics: "Quyền Sử Dụng ĐẤT" → "quyen su dung dat" (đ → d explicitly:
/// it has no Unicode decomposition).
std::string fold(std::string_view s);
/// URL slug from a title: "Luật Đất đai 2024" → "luat-dat-dai-2024".
std::string slugify(std::string_view s, size_t max_len = 80);

}  // namespace pbgdpl::text
