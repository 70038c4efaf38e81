#include "text/normalize.h"

#include <gtest/gtest.h>

namespace pbgdpl::text {
namespace {

// "Quyền" decomposed: e + U+0302 COMBINING CIRCUMFLEX + U+0300 COMBINING GRAVE.
const std::string kQuyenNfd = "Quye\xCC\x82\xCC\x80n";
// "hoà" with the old tone placement, decomposed: o + a + U+0300.
const std::string kHoaNfd = "hoa\xCC\x80";

TEST(Nfc, ComposesDecomposedInput) {
  EXPECT_EQ(nfc(kQuyenNfd), "Quyền");
  EXPECT_EQ(nfc("Quyền"), "Quyền");  // already NFC: unchanged
  EXPECT_EQ(nfc(kHoaNfd), "hoà");
  EXPECT_EQ(nfc("D\xCC\x9B\xCC\x81"), "D\xCC\x9B\xCC\x81");  // no precomposed form exists: kept
  EXPECT_EQ(nfc("u\xCC\x9B\xCC\x81"), "ứ");  // horn then acute compose to one code point
  EXPECT_EQ(nfc(""), "");
  EXPECT_EQ(nfc("91/2015/QH13"), "91/2015/QH13");
}

TEST(Nfc, InvalidUtf8BecomesReplacementCharacters) {
  auto out = nfc("Vi\xEAt");
  EXPECT_EQ(out, "Vi\xEF\xBF\xBDt");
}

TEST(Lower, IsVietnameseAwareAndComposes) {
  EXPECT_EQ(lower("QUYỀN SỬ DỤNG ĐẤT"), "quyền sử dụng đất");
  EXPECT_EQ(lower("Ủy ban nhân dân"), "ủy ban nhân dân");
  EXPECT_EQ(lower(kQuyenNfd), "quyền");
  EXPECT_EQ(lower("NĐ-CP"), "nđ-cp");
}

TEST(Fold, RemovesDiacriticsAndLowersCase) {
  EXPECT_EQ(fold("Quyền Sử Dụng ĐẤT"), "quyen su dung dat");
  EXPECT_EQ(fold("Luật Phổ biến, giáo dục pháp luật"), "luat pho bien, giao duc phap luat");
  EXPECT_EQ(fold("Ưu tiên người dân tộc thiểu số"), "uu tien nguoi dan toc thieu so");
  EXPECT_EQ(fold("Nghị định 15/2020/NĐ-CP"), "nghi dinh 15/2020/nd-cp");
  EXPECT_EQ(fold(""), "");
}

TEST(Fold, DStrokeFoldsToD) {
  // Đ/đ have no Unicode decomposition: dropping combining marks alone leaves them.
  EXPECT_EQ(fold("Đ"), "d");
  EXPECT_EQ(fold("đ"), "d");
  EXPECT_EQ(fold("Đồng Đăng đò đầy"), "dong dang do day");
}

TEST(Fold, OldAndNewTonePlacementAndNfdFoldAlike) {
  EXPECT_EQ(fold("hoà"), "hoa");
  EXPECT_EQ(fold("hòa"), "hoa");
  EXPECT_EQ(fold(kHoaNfd), "hoa");
  EXPECT_EQ(fold("thuỷ"), fold("thủy"));
  EXPECT_EQ(fold(kQuyenNfd), "quyen");
  EXPECT_EQ(fold("Quyền"), fold(kQuyenNfd));
}

TEST(Fold, PrecomposedLettersFoldLikeTheirDecomposedForms) {
  // fold() folds precomposed Latin letters from a table; the decomposed spelling of the same
  // letter (base + combining marks) goes through ICU. Both must agree for every letter of
  // U+00C0–U+024F and U+1E00–U+1EFF, alone and inside a word.
  size_t checked = 0;
  for (char32_t c = 0xC0; c <= 0x1EFF; ++c) {
    if (c > 0x24F && c < 0x1E00) continue;
    std::string one;
    if (c < 0x800) {
      one += static_cast<char>(0xC0 | (c >> 6));
      one += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      one += static_cast<char>(0xE0 | (c >> 12));
      one += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      one += static_cast<char>(0x80 | (c & 0x3F));
    }
    // A trailing U+0301 puts a combining mark in the input, which sends it to ICU's path.
    std::string via_icu = fold("Q" + one + "x\xCC\x81");
    std::string via_table = fold("Q" + one + "x");
    EXPECT_EQ(via_table, via_icu) << "U+" << std::hex << static_cast<uint32_t>(c);
    ++checked;
  }
  EXPECT_EQ(checked, (0x24Fu - 0xC0 + 1) + (0x1EFFu - 0x1E00 + 1));
  EXPECT_EQ(fold("Thủy lợi \xCC\x81ĐÊ"), "thuy loi de");
  EXPECT_EQ(fold("Vi\xEAt"), "vi\xEF\xBF\xBDt") << "invalid UTF-8 still becomes U+FFFD";
}

TEST(Slugify, MakesReadableAsciiSlugs) {
  EXPECT_EQ(slugify("Luật Đất đai 2024"), "luat-dat-dai-2024");
  EXPECT_EQ(slugify("  Hỏi & đáp -- pháp luật!! "), "hoi-dap-phap-luat");
  EXPECT_EQ(slugify("Nghị định 15/2020/NĐ-CP"), "nghi-dinh-15-2020-nd-cp");
  EXPECT_EQ(slugify(kQuyenNfd + " lợi"), "quyen-loi");
  EXPECT_EQ(slugify(""), "");
  EXPECT_EQ(slugify("!!! ??? ..."), "");
}

TEST(Slugify, NeverLongerThanTheLimitAndNoDanglingDash) {
  const std::string title = "Thông tư hướng dẫn thi hành Luật Phổ biến, giáo dục pháp luật năm 2012";
  for (size_t limit = 1; limit <= 40; ++limit) {
    auto s = slugify(title, limit);
    SCOPED_TRACE(limit);
    EXPECT_LE(s.size(), limit) << s;
    EXPECT_FALSE(s.empty());
    EXPECT_NE(s.back(), '-') << s;
    EXPECT_NE(s.front(), '-') << s;
  }
  EXPECT_EQ(slugify("Luật Đất đai 2024", 8), "luat-dat");
  EXPECT_EQ(slugify("Luật Đất đai 2024", 5), "luat");
  auto full = slugify(title);
  EXPECT_LE(full.size(), 80u);
  EXPECT_EQ(full, "thong-tu-huong-dan-thi-hanh-luat-pho-bien-giao-duc-phap-luat-nam-2012");
}

}  // namespace
}  // namespace pbgdpl::text
