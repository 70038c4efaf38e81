#include "law/parser.h"

#include <gtest/gtest.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "core/utf8.h"
#include "support.h"

namespace pbgdpl::law {
namespace {

// A short text of our own in the official layout.
constexpr const char* kSample = R"(HỘI ĐỒNG NHÂN DÂN
TỈNH AN HÒA
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 12/2026/NQ-HĐND
An Hòa, ngày 5 tháng 3 năm 2026

NGHỊ QUYẾT
VỀ KHUYẾN KHÍCH ĐỌC SÁCH PHÁP LUẬT

Căn cứ Luật Tổ chức chính quyền địa phương;

Chương I
QUY ĐỊNH CHUNG

Điều 1. Phạm vi điều chỉnh
Nghị quyết này quy định việc khuyến khích đọc sách pháp luật.

Điều 2. Đối tượng áp dụng
1. Người dân trên địa bàn tỉnh.
2. Cơ quan, tổ chức có liên quan, gồm:
a) Thư viện xã;
b) Trường học;
đ) dòng này không theo thứ tự nên là văn bản;
c) Nhà văn hóa.
3. Quy định tại Điều 1 của Nghị quyết này áp dụng cho cả khoản 2.
Điều 1 của Nghị quyết này không phải là một điều mới.

Chương II
TỔ CHỨC THỰC HIỆN

Mục 1. TRÁCH NHIỆM

Điều 3
Ủy ban nhân dân tỉnh tổ chức thực hiện.

Điều 3a. Điều khoản chuyển tiếp
Điều này được thêm vào sau.

Nghị quyết này đã được Hội đồng nhân dân tỉnh An Hòa thông qua ngày 5 tháng 3 năm 2026.

CHỦ TỊCH

Trần Văn Mẫu
)";

TEST(LawParser, RecoversHeaderTreeAndAnchors) {
  auto doc = parse_text(kSample);
  EXPECT_EQ(doc.header.issuer, "HỘI ĐỒNG NHÂN DÂN TỈNH AN HÒA");
  EXPECT_EQ(doc.header.number, "12/2026/NQ-HĐND");
  EXPECT_EQ(doc.header.place, "An Hòa");
  EXPECT_EQ(doc.header.date, "2026-03-05");
  EXPECT_EQ(doc.header.doc_type, "Nghị quyết");
  EXPECT_EQ(doc.header.title, "Nghị quyết về khuyến khích đọc sách pháp luật");
  EXPECT_EQ(doc.header.signer_title, "CHỦ TỊCH");
  EXPECT_EQ(doc.header.signer, "Trần Văn Mẫu");
  EXPECT_NE(doc.preamble.find("Căn cứ Luật Tổ chức"), std::string::npos);
  EXPECT_NE(doc.closing.find("thông qua ngày 5 tháng 3"), std::string::npos);

  ASSERT_EQ(doc.body.size(), 2u);
  EXPECT_EQ(doc.body[0].kind, NodeKind::Chapter);
  EXPECT_EQ(doc.body[0].number, "I");
  EXPECT_EQ(doc.body[0].title, "QUY ĐỊNH CHUNG");
  EXPECT_EQ(doc.body[0].anchor, "chuong-i");
  auto arts = articles(doc);
  ASSERT_EQ(arts.size(), 4u);
  EXPECT_EQ(arts[0]->number, "1");
  EXPECT_EQ(arts[0]->title, "Phạm vi điều chỉnh");
  EXPECT_EQ(arts[1]->anchor, "dieu-2");
  ASSERT_EQ(arts[1]->children.size(), 3u);
  const auto& k2 = arts[1]->children[1];
  EXPECT_EQ(k2.anchor, "dieu-2-khoan-2");
  ASSERT_EQ(k2.children.size(), 3u);  // a), b), c); the out-of-order đ) stays text of b)
  EXPECT_EQ(k2.children[2].number, "c");
  EXPECT_EQ(k2.children[2].anchor, "dieu-2-khoan-2-diem-c");
  EXPECT_NE(k2.children[1].text.find("đ) dòng này"), std::string::npos);
  // "Điều 1 của Nghị quyết này…" is a reference inside khoản 3, not a new article.
  EXPECT_NE(arts[1]->children[2].text.find("Điều 1 của Nghị quyết này không phải"), std::string::npos);
  // Chương II > Mục 1 > Điều 3 (no title) and Điều 3a.
  const auto& muc = doc.body[1].children.at(0);
  EXPECT_EQ(muc.kind, NodeKind::Section);
  EXPECT_EQ(muc.anchor, "chuong-ii-muc-1");
  EXPECT_EQ(arts[2]->number, "3");
  EXPECT_EQ(arts[2]->title, "");
  EXPECT_EQ(arts[2]->text, "Ủy ban nhân dân tỉnh tổ chức thực hiện.");
  EXPECT_EQ(arts[3]->number, "3a");
  EXPECT_EQ(arts[3]->anchor, "dieu-3a");
}

// Golden header and tree facts of a real law from ../shared/data/vlc.
TEST(LawParser, GoldenLuatCuTru) {
  std::ifstream f(testing::shared_data() / "vlc" / "corpus" / "luat-cu-tru.txt");
  ASSERT_TRUE(f.good());
  std::stringstream ss;
  ss << f.rdbuf();
  auto doc = parse_text(ss.str());
  EXPECT_EQ(doc.header.issuer, "QUỐC HỘI");
  EXPECT_EQ(doc.header.number, "68/2020/QH14");
  EXPECT_EQ(doc.header.place, "Hà Nội");
  EXPECT_EQ(doc.header.date, "2020-11-13");
  EXPECT_EQ(doc.header.doc_type, "Luật");
  EXPECT_EQ(doc.header.title, "Luật Cư trú");
  EXPECT_EQ(doc.header.signer, "Nguyễn Thị Kim Ngân");
  EXPECT_NE(doc.closing.find("thông qua ngày 13 tháng 11 năm 2020"), std::string::npos);
  ASSERT_GE(doc.body.size(), 7u);
  EXPECT_EQ(doc.body[0].anchor, "chuong-i");
  EXPECT_EQ(doc.body[0].title, "NHỮNG QUY ĐỊNH CHUNG");
  auto arts = articles(doc);
  ASSERT_EQ(arts.size(), 38u);
  EXPECT_EQ(arts[1]->title, "Giải thích từ ngữ");
  EXPECT_EQ(arts[1]->children.size(), 10u);  // khoản 1–10 of Điều 2
  EXPECT_EQ(arts[37]->title, "Điều khoản thi hành");
}

TEST(LawParser, HostileAndEmptyInputNeverCrash) {
  for (std::string s : {std::string(), std::string("\n\n\n"), std::string("Điều"), std::string("Điều 99999999999999"),
                        std::string("Chương\nMục\nĐiều 1.\n1.\na)\n"), std::string("\xFF\xFE\x00garbage", 11)}) {
    auto doc = parse_text(s);
    (void)articles(doc);
  }
}

// Found by fuzz/fuzz_law_parser: a heading repeated at the same level (here the whole
// "Phần thứ nhất / Chương I / Mục 1" block, as an amending law quoting another would) gave two
// nodes the same address, so a link or table-of-contents entry led to the wrong one.
TEST(LawParser, RepeatedHeadingsStillGetOneAddressEach) {
  const std::string block = "PHẦN THỨ NHẤT\nNHỮNG QUY ĐỊNH CHUNG\nChương I\nPHẠM VI\nMục 1\nĐỐI TƯỢNG\n";
  auto doc = parse_text(block + "Điều 1. Phạm vi\nNội dung.\n" + block + "Điều 2. Đối tượng\nNội dung.\n");
  std::vector<std::string> anchors;
  std::function<void(const std::vector<Node>&)> walk = [&](const std::vector<Node>& nodes) {
    for (const auto& n : nodes) {
      anchors.push_back(n.anchor);
      walk(n.children);
    }
  };
  walk(doc.body);
  ASSERT_EQ(anchors.size(), 8u);
  EXPECT_EQ(anchors[3], "dieu-1");
  EXPECT_EQ(anchors[7], "dieu-2");
  EXPECT_EQ(anchors[1], anchors[0] + "-chuong-i");
  EXPECT_EQ(anchors[2], anchors[1] + "-muc-1");
  EXPECT_EQ(anchors[4], anchors[0] + "-2") << "the repeated part";
  EXPECT_EQ(anchors[5], anchors[4] + "-chuong-i");
  EXPECT_EQ(anchors[6], anchors[5] + "-muc-1");
  EXPECT_EQ(std::set<std::string>(anchors.begin(), anchors.end()).size(), anchors.size());
  // Within one part, a repeated chapter number gets the suffix at its own level.
  doc = parse_text("Chương I\nA\nĐiều 1. X\nChương I\nB\nĐiều 2. Y\nChương II\nC\nĐiều 3. Z\n");
  ASSERT_EQ(doc.body.size(), 3u);
  EXPECT_EQ(doc.body[0].anchor, "chuong-i");
  EXPECT_EQ(doc.body[1].anchor, "chuong-i-2");
  EXPECT_EQ(doc.body[2].anchor, "chuong-ii");
  EXPECT_EQ(articles(doc).size(), 3u);
}

// Found by fuzz/fuzz_law_parser (a heap-use-after-free under ASan): a Tiểu mục directly under
// a Phần, with no Chương or Mục open, went into the document's top level, which moved the
// open Phần in memory; the next Chương was then added to a freed node.
TEST(LawParser, SubsectionDirectlyUnderAPartStaysInsideIt) {
  auto doc = parse_text("PHẦN THỨ NHẤT\nQUY ĐỊNH CHUNG\nTiểu mục 1\nĐIỀU KIỆN\nĐiều 1. Phạm vi\nNội dung.\n"
                        "Chương I\nTỔ CHỨC\nĐiều 2. Áp dụng\nNội dung.\n");
  ASSERT_EQ(doc.body.size(), 1u);
  const auto& part = doc.body[0];
  EXPECT_EQ(part.kind, NodeKind::Part);
  ASSERT_EQ(part.children.size(), 2u);
  EXPECT_EQ(part.children[0].kind, NodeKind::Subsection);
  EXPECT_EQ(part.children[1].kind, NodeKind::Chapter);
  EXPECT_EQ(part.children[1].title, "TỔ CHỨC");
  auto arts = articles(doc);
  ASSERT_EQ(arts.size(), 2u);
  EXPECT_EQ(arts[0]->anchor, "dieu-1");
  EXPECT_EQ(arts[1]->anchor, "dieu-2");
  EXPECT_EQ(part.children[1].children.size(), 1u) << "Điều 2 belongs to Chương I";
}

// Found by fuzz/fuzz_law_parser: after a "Điều 0", a second "Điều 0" was taken for a first
// article again, so two articles had the address #dieu-0.
TEST(LawParser, ARepeatedArticleZeroIsText) {
  auto doc = parse_text("Điều 0. Giải thích\nNội dung.\nĐiều 0. Giải thích\nLặp lại.\nĐiều 1. Phạm vi\nNội dung.\n");
  auto arts = articles(doc);
  ASSERT_EQ(arts.size(), 2u);
  EXPECT_EQ(arts[0]->anchor, "dieu-0");
  EXPECT_EQ(arts[1]->anchor, "dieu-1");
  EXPECT_NE(arts[0]->text.find("Lặp lại."), std::string::npos) << arts[0]->text;
}

// Found by fuzz/fuzz_law_parser: trimming treated the byte 0xA0 as a space, but it is the
// last byte of "à" (C3 A0), so a line ending in "và", "là", "nhà" or "Hoà" lost half a letter
// and the stored text was no longer UTF-8.
TEST(LawParser, LinesEndingInAGraveAKeepTheirLastLetter) {
  auto doc = parse_text("UBND TỈNH AN HOÀ\nBan hành tại An Hoà\nĐiều 1. Quyền và\nNghĩa vụ của nhà\xC2\xA0\n"
                        "\xEF\xBB\xBF\xC2\xA0 1. Hòa giải viên là\n");
  auto arts = articles(doc);
  ASSERT_EQ(arts.size(), 1u);
  EXPECT_EQ(arts[0]->title, "Quyền và");
  EXPECT_EQ(arts[0]->text, "Nghĩa vụ của nhà") << "U+00A0 at the end is still trimmed";
  ASSERT_EQ(arts[0]->children.size(), 1u) << "U+FEFF and U+00A0 at the start are still trimmed";
  EXPECT_EQ(arts[0]->children[0].text, "Hòa giải viên là");
  for (const auto* f : {&doc.preamble, &doc.header.issuer, &doc.header.title, &doc.header.place})
    EXPECT_TRUE(core::utf8_valid(*f)) << *f;
  EXPECT_NE((doc.header.issuer + doc.preamble + doc.header.title).find("AN HOÀ"), std::string::npos)
      << "the header line keeps its last letter";
}

// Independent count: a line that starts with "Điều <n>" followed by a separator, the end of
// the line or an upper-case word is an article heading. This rule is lexical; the parser's
// is sequence-based, so the two disagree only where one of them is wrong.
std::vector<std::pair<int, std::string>> independent_articles(const std::string& text) {
  std::vector<std::pair<int, std::string>> out;
  std::istringstream in(text);
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    std::string_view l = line;
    while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.remove_prefix(1);
    if (!l.starts_with("Điều ")) continue;
    l.remove_prefix(std::string_view("Điều ").size());
    size_t i = 0;
    while (i < l.size() && std::isdigit(static_cast<unsigned char>(l[i]))) ++i;
    if (i == 0) continue;
    std::string num(l.substr(0, i));
    auto rest = l.substr(i);
    if (!rest.empty() && rest[0] >= 'a' && rest[0] <= 'z' && (rest.size() == 1 || rest[1] == '.')) {
      num += rest[0];
      rest.remove_prefix(1);
    }
    while (!rest.empty() && (rest.back() == '\r' || rest.back() == ' ')) rest.remove_suffix(1);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    bool heading = rest.empty() || rest[0] == '.' || rest[0] == ':';
    if (!heading) {
      auto u = icu::UnicodeString::fromUTF8(icu::StringPiece(rest.data(), static_cast<int32_t>(std::min<size_t>(rest.size(), 8))));
      heading = !u.isEmpty() && u_isupper(u.char32At(0));
    }
    if (heading) out.emplace_back(lineno, num);
  }
  return out;
}

TEST(LawParser, RecoversArticlesOfTheVlcCorpus) {
  auto dir = testing::shared_data() / "vlc" / "corpus";
  ASSERT_TRUE(std::filesystem::exists(dir)) << dir;
  size_t expected = 0, found = 0, files = 0, parsed = 0;
  std::vector<std::string> misses;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".txt") continue;
    ++files;
    std::ifstream f(entry.path());
    std::stringstream ss;
    ss << f.rdbuf();
    auto text = ss.str();
    auto want = independent_articles(text);
    auto doc = parse_text(text);
    std::map<std::string, int> got;
    for (const auto* a : articles(doc)) ++got[a->number];
    parsed += articles(doc).size();
    expected += want.size();
    for (const auto& [line, num] : want) {
      auto it = got.find(num);
      if (it != got.end() && it->second > 0) {
        --it->second;
        ++found;
      } else {
        misses.push_back(entry.path().filename().string() + ":" + std::to_string(line) + " Điều " + num);
      }
    }
  }
  EXPECT_EQ(files, 109u);
  ASSERT_GT(expected, 10000u);
  double recall = static_cast<double>(found) / static_cast<double>(expected);
  std::string listing;
  for (const auto& m : misses) listing += "  " + m + "\n";
  std::printf("articles: %zu of %zu recovered with the right number (%.2f%%), %zu misses\n", found, expected,
              recall * 100, misses.size());
  EXPECT_GE(recall, 0.99) << "misses:\n" << listing;
  // And no invention: the parser finds at most 1 % more articles than the independent count.
  std::printf("parser found %zu articles in all\n", parsed);
  EXPECT_LE(static_cast<double>(parsed), static_cast<double>(expected) * 1.01);
  if (!misses.empty() && misses.size() <= 200) std::printf("misses:\n%s", listing.c_str());
}

}  // namespace
}  // namespace pbgdpl::law
