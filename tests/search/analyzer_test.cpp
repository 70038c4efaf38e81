// Golden table for the Vietnamese analyzer behind search (text::tokenize): input → tokens
// with kind, exact form, folded form and position. What a user notices: the same word typed
// in NFC or NFD, with old or new tone placement, with or without diacritics, is one term;
// legal identifiers stay whole.
#include "text/tokenize.h"

#include <gtest/gtest.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <string>
#include <vector>

namespace pbgdpl::text {
namespace {

// "W:hòa>hoa@0" — kind (W word, N number, I identifier), exact form, folded form when it
// differs, position.
std::string render(const std::vector<Token>& toks) {
  std::string out;
  for (const auto& t : toks) {
    if (!out.empty()) out += ' ';
    out += t.kind == Token::Kind::Word ? "W:" : t.kind == Token::Kind::Number ? "N:" : "I:";
    out += t.exact;
    if (t.folded != t.exact) out += ">" + t.folded;
    out += "@" + std::to_string(t.pos);
  }
  return out;
}

std::string nfd(const std::string& s) {
  UErrorCode ec = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(ec);
  EXPECT_TRUE(U_SUCCESS(ec));
  icu::UnicodeString u = n->normalize(icu::UnicodeString::fromUTF8(s), ec);
  std::string out;
  u.toUTF8String(out);
  return out;
}

struct Golden {
  const char* input;
  const char* tokens;
};

// clang-format off
const Golden kGolden[] = {
    {"Hòa giải ở cơ sở", "W:hòa>hoa@0 W:giải>giai@1 W:ở>o@2 W:cơ>co@3 W:sở>so@4"},
    // tone placement: old "hoà", "thuỷ", "khoẻ", "uỷ" → one form
    {"hoà", "W:hòa>hoa@0"},
    {"HOÀ GIẢI", "W:hòa>hoa@0 W:giải>giai@1"},
    {"thuỷ lợi", "W:thủy>thuy@0 W:lợi>loi@1"},
    {"khoẻ mạnh", "W:khỏe>khoe@0 W:mạnh>manh@1"},
    {"Uỷ ban nhân dân", "W:ủy>uy@0 W:ban@1 W:nhân>nhan@2 W:dân>dan@3"},
    {"hoàn thành", "W:hoàn>hoan@0 W:thành>thanh@1"},  // closed syllable: untouched
    // qui/quy
    {"quí", "W:quý>quy@0"},
    {"qui định", "W:quy@0 W:định>dinh@1"},
    {"quỹ", "W:quỹ>quy@0"},
    {"quĩ", "W:quỹ>quy@0"},
    // Đ/đ has no decomposition: folded explicitly
    {"Đất đai", "W:đất>dat@0 W:đai>dai@1"},
    {"ĐỒNG", "W:đồng>dong@0"},
    // legal identifiers: whole (positioned at the first part), then the parts
    {"91/2015/QH13", "I:91/2015/qh13@0 N:91@0 N:2015@1 W:qh13@2"},
    {"Nghị định 15/2020/NĐ-CP", "W:nghị>nghi@0 W:định>dinh@1 I:15/2020/nđ-cp>15/2020/nd-cp@2 N:15@2 N:2020@3 W:nđ>nd@4 W:cp@5"},
    {"NĐ-CP", "I:nđ-cp>nd-cp@0 W:nđ>nd@0 W:cp@1"},
    {"HN&GĐ", "I:hn&gđ>hn&gd@0 W:hn@0 W:gđ>gd@1"},
    {"Thông tư 05/2019/TT-BTC.", "W:thông>thong@0 W:tư>tu@1 I:05/2019/tt-btc@2 N:05@2 N:2019@3 W:tt@4 W:btc@5"},
    // numbers with thousands dots are one number; a sentence-final dot is punctuation
    {"1.000.000 đồng", "N:1000000@0 W:đồng>dong@1"},
    {"mức 300.000.", "W:mức>muc@0 N:300000@1"},
    {"Điều 5.", "W:điều>dieu@0 N:5@1"},
    // lower-case hyphenated words are syllables, not identifiers
    {"ki-lô-mét", "W:ki@0 W:lô>lo@1 W:mét>met@2"},
    // stray combining marks (broken legacy conversions) are no word: no empty term
    {"\u0301\u0300 dấu rời", "W:dấu>dau@0 W:rời>roi@1"},
    {"\u0301", ""},
    // punctuation only, empty
    {"…!?;()\"", ""},
    {"", ""},
};
// clang-format on

TEST(Analyzer, GoldenTable) {
  for (const auto& g : kGolden) EXPECT_EQ(render(tokenize(g.input)), g.tokens) << "input: " << g.input;
}

TEST(Analyzer, NfdInputGivesTheSameTokensAsNfc) {
  for (const char* s : {"Quyền sử dụng đất", "Luật Hôn nhân và gia đình", "Nghị định 15/2020/NĐ-CP", "thuỷ lợi hoà giải",
                        "Điều 12. Khoản 3", "quí"}) {
    std::string d = nfd(s);
    ASSERT_NE(d, s) << "the NFD form differs in bytes";
    EXPECT_EQ(render(tokenize(d)), render(tokenize(s))) << s;
  }
}

TEST(Analyzer, OldAndNewTonePlacementAreOneForm) {
  const std::pair<const char*, const char*> same[] = {{"hoà", "hòa"}, {"thuỷ", "thủy"}, {"quí", "quý"}, {"qui", "quy"},
                                                      {"toà án", "tòa án"}, {"Uỷ", "Ủy"}, {"tuỳ", "tùy"}};
  for (const auto& [a, b] : same) {
    EXPECT_EQ(render(tokenize(a)), render(tokenize(b))) << a << " vs " << b;
    EXPECT_EQ(render(tokenize(nfd(a))), render(tokenize(b))) << "NFD " << a;
  }
  EXPECT_EQ(canonical_syllable("hoà"), "hòa");
  EXPECT_EQ(canonical_syllable("thuỷ"), "thủy");
  EXPECT_EQ(canonical_syllable("quí"), "quý");
  EXPECT_EQ(canonical_syllable("quý"), "quý");  // after q, u is part of the consonant
}

TEST(Analyzer, FoldedFormsHaveNoDiacriticsAndDBecomesD) {
  for (const auto& t : tokenize("Đảng Cộng sản Việt Nam lãnh đạo Nhà nước và xã hội; ĐƯỢC ỦY QUYỀN")) {
    for (unsigned char c : t.folded) EXPECT_LT(c, 0x80) << t.exact << " → " << t.folded;
  }
  EXPECT_EQ(tokenize("Đ").at(0).folded, "d");
  EXPECT_EQ(tokenize("đ").at(0).folded, "d");
  EXPECT_TRUE(tokenize("đất").at(0).has_diacritics());
  EXPECT_FALSE(tokenize("dat").at(0).has_diacritics());
  EXPECT_TRUE(has_diacritics("Đ"));
  EXPECT_FALSE(has_diacritics("quyen su dung dat"));
}

TEST(Analyzer, PhoneTypingWithoutAccentsMatchesTheFoldedForms) {
  auto a = tokenize("quyen su dung dat");
  auto b = tokenize("Quyền sử dụng đất");
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].folded, b[i].folded);
    EXPECT_EQ(a[i].pos, b[i].pos);
  }
}

TEST(Analyzer, HostileInputNeverThrowsAndPositionsStayOrdered) {
  std::string big;
  for (int i = 0; i < 2000; ++i) big += "quyền/sử-dụng&đất.1.2 ";
  const std::string inputs[] = {std::string("\xff\xfe quyền \xc3"), std::string(1, '\0') + "đất", big,
                                "////----&&&&....", "a/b/c/d/e/f/g/h/i/j/k", "\u0301\u0300 dấu rời"};
  for (const auto& s : inputs) {
    std::vector<Token> toks;
    ASSERT_NO_THROW(toks = tokenize(s));
    for (size_t i = 1; i < toks.size(); ++i) EXPECT_LE(toks[i - 1].pos, toks[i].pos);
  }
}

}  // namespace
}  // namespace pbgdpl::text
