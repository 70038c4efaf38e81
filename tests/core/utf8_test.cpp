#include "core/utf8.h"

#include <gtest/gtest.h>

namespace pbgdpl::core {
namespace {

TEST(Utf8Valid, AcceptsVietnameseInBothFormsAndEveryLength) {
  EXPECT_TRUE(utf8_valid(""));
  EXPECT_TRUE(utf8_valid("Luật Phổ biến, giáo dục pháp luật"));
  EXPECT_TRUE(utf8_valid("ĐƯỜNG Nguyễn Huệ, phường Bến Nghé"));
  EXPECT_TRUE(utf8_valid("Quye\xCC\x82\xCC\x80n"));              // NFD: combining marks
  EXPECT_TRUE(utf8_valid("\xC2\x80"));                            // U+0080, smallest 2-byte
  EXPECT_TRUE(utf8_valid("\xE0\xA0\x80"));                        // U+0800, smallest 3-byte
  EXPECT_TRUE(utf8_valid("\xED\x9F\xBF"));                        // U+D7FF, just below surrogates
  EXPECT_TRUE(utf8_valid("\xEE\x80\x80"));                        // U+E000, just above
  EXPECT_TRUE(utf8_valid("\xF0\x9F\x87\xBB\xF0\x9F\x87\xB3"));    // 🇻🇳
  EXPECT_TRUE(utf8_valid("\xF4\x8F\xBF\xBF"));                    // U+10FFFF, the last code point
  EXPECT_TRUE(utf8_valid(std::string_view("a\0b", 3)));           // NUL is valid UTF-8
}

TEST(Utf8Valid, RejectsOverlongSurrogatesOutOfRangeAndTruncated) {
  // Overlong encodings of '/' and of U+0000.
  EXPECT_FALSE(utf8_valid("\xC0\xAF"));
  EXPECT_FALSE(utf8_valid("\xC1\xBF"));
  EXPECT_FALSE(utf8_valid("\xE0\x80\xAF"));
  EXPECT_FALSE(utf8_valid("\xE0\x9F\xBF"));
  EXPECT_FALSE(utf8_valid("\xF0\x80\x80\xAF"));
  EXPECT_FALSE(utf8_valid("\xF0\x8F\xBF\xBF"));
  // UTF-16 surrogates D800..DFFF.
  EXPECT_FALSE(utf8_valid("\xED\xA0\x80"));
  EXPECT_FALSE(utf8_valid("\xED\xBF\xBF"));
  // Beyond U+10FFFF, and bytes that never appear.
  EXPECT_FALSE(utf8_valid("\xF4\x90\x80\x80"));
  EXPECT_FALSE(utf8_valid("\xF5\x80\x80\x80"));
  EXPECT_FALSE(utf8_valid("\xF8\x88\x80\x80\x80"));
  EXPECT_FALSE(utf8_valid("\xFF"));
  // Truncated sequences, at the end and in the middle.
  EXPECT_FALSE(utf8_valid("Vi\xE1\xBB"));
  EXPECT_FALSE(utf8_valid("\xF0\x9F\x87"));
  EXPECT_FALSE(utf8_valid("\xC3"));
  EXPECT_FALSE(utf8_valid("\xE1\xBB" "a"));
  // A lone continuation byte; Latin-1 "Việt" pasted from an old system.
  EXPECT_FALSE(utf8_valid("\x80"));
  EXPECT_FALSE(utf8_valid("Vi\xEAt"));
}

TEST(Utf8, LengthCountsCodePoints) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("Việt Nam"), 8u);
  EXPECT_EQ(utf8_length("Đ"), 1u);
  EXPECT_EQ(utf8_length("Quye\xCC\x82\xCC\x80n"), 7u);  // NFD: marks are code points too
  EXPECT_EQ(utf8_length("\xF0\x9F\x87\xBB"), 1u);
}

TEST(Utf8, ControlCharactersAndTrim) {
  EXPECT_FALSE(has_control_chars("Dòng 1\r\nDòng 2\tcột"));
  EXPECT_TRUE(has_control_chars(std::string_view("a\0b", 3)));
  EXPECT_TRUE(has_control_chars("chuông\x07"));
  EXPECT_TRUE(has_control_chars("xóa\x7F"));
  EXPECT_EQ(trim("  \t Hà Nội \r\n"), "Hà Nội");
  EXPECT_EQ(trim(" \n "), "");
  EXPECT_EQ(trim("a b"), "a b");
}

TEST(Utf8, AppendEncodesEveryLength) {
  std::string s;
  for (char32_t c : {U'a', U'\u00E9', U'\u1EC7', U'\U0001F1FB'}) append_utf8(s, c);
  EXPECT_EQ(s, "a\xC3\xA9\xE1\xBB\x87\xF0\x9F\x87\xBB");
  EXPECT_TRUE(utf8_valid(s));
}

TEST(Utf8, CharacterReferencesDecodeAndTheRestStaysAsWritten) {
  EXPECT_EQ(decode_char_refs("Tủ sách &amp; góc đọc&nbsp;sách &lt;b&gt; &quot;x&quot; &apos;y&apos;"),
            "Tủ sách & góc đọc sách <b> \"x\" 'y'");
  EXPECT_EQ(decode_char_refs("Vi&#7879;t &#x1EA1; &#X1EA1; &#233;"), "Việt ạ ạ é");
  // Not references we decode: kept byte for byte, and the text after them too.
  for (const char* kept : {"a & b", "&copy;", "&#;", "&#x;", "&#12abc;", "&#0;", "&#xD800;", "&#x110000;",
                           "&#99999999999;", "&amp", "& amp;", "&averyveryverylongname;"})
    EXPECT_EQ(decode_char_refs(kept), kept) << kept;
  EXPECT_EQ(decode_char_refs("&&amp;;"), "&&;");
}

}  // namespace
}  // namespace pbgdpl::core
