// search::Index (Xapian behind the facade) on a temporary directory: what a reader of the
// search results notices — the right document first, the named law lifted, filters and
// counts that agree, one hit per document when asked, newest first when asked, removed
// documents gone, and no query (however odd) turned into an error.
#include "search/index.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "support.h"

namespace pbgdpl::search {
namespace {

using pbgdpl::testing::TempDir;

IndexDoc doc(std::string id, std::string group, std::string body, std::string heading = "",
             std::map<std::string, std::string> facets = {}, int64_t date = 0, std::string group_title = "") {
  IndexDoc d;
  d.id = std::move(id);
  d.group = std::move(group);
  d.group_title = std::move(group_title);
  d.fields = {{heading, 2}, {body, 1}};
  d.facets = std::move(facets);
  d.date = date;
  d.payload = "{\"id\":\"" + d.id + "\"}";
  d.snippet_text = body;
  return d;
}

class IndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto idx = Index::open(dir_.str() + "/idx");
    ASSERT_TRUE(idx.ok()) << idx.error().message;
    index_ = std::move(*idx);
  }
  void put(const IndexDoc& d) {
    auto st = index_->put(d);
    ASSERT_TRUE(st.ok()) << d.id << ": " << st.error().message;
  }
  void commit() { ASSERT_TRUE(index_->commit().ok()); }
  Results search(const std::string& text, Query q = {}) {
    q.text = text;
    auto r = index_->search(q);
    EXPECT_TRUE(r.ok()) << "query '" << text.substr(0, 80) << "': " << (r.ok() ? "" : r.error().message);
    return r.ok() ? std::move(*r) : Results{};
  }
  size_t size() {
    auto n = index_->size();
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : 0;
  }
  static std::string dump(const Results& r) {
    std::string out;
    for (const auto& h : r.hits) out += h.id + " " + std::to_string(h.score) + "; ";
    return out;
  }
  static std::set<std::string> id_set(const Results& r) {
    std::set<std::string> out;
    for (const auto& h : r.hits) out.insert(h.id);
    return out;
  }
  static std::vector<std::string> ids(const Results& r) {
    std::vector<std::string> out;
    for (const auto& h : r.hits) out.push_back(h.id);
    return out;
  }
  TempDir dir_;
  std::unique_ptr<Index> index_;
};

TEST_F(IndexTest, PutIsSearchableAfterCommitAndReplacesById) {
  put(doc("a:1", "d:1", "Công dân có quyền tự do cư trú theo quy định của luật."));
  EXPECT_TRUE(search("cư trú").hits.empty()) << "not visible before commit";
  commit();
  auto r = search("cư trú");
  ASSERT_EQ(ids(r), std::vector<std::string>{"a:1"});
  EXPECT_EQ(r.hits[0].group, "d:1");
  EXPECT_GT(r.hits[0].score, 0);
  EXPECT_EQ(r.total, 1u);
  // Same id again: replaced, not added.
  put(doc("a:1", "d:1", "Người lao động được nghỉ phép hằng năm."));
  commit();
  EXPECT_EQ(size(), 1u);
  EXPECT_TRUE(search("cư trú").hits.empty());
  EXPECT_EQ(ids(search("nghỉ phép")), std::vector<std::string>{"a:1"});
  // Without diacritics (typed on a phone) too.
  EXPECT_EQ(ids(search("nghi phep")), std::vector<std::string>{"a:1"});
}

TEST_F(IndexTest, ExactDiacriticsRankAboveAFoldedOnlyMatch) {
  // Same shape, same length: only the diacritics of "bàn"/"ban" differ.
  put(doc("a:ban", "d:1", "Hội đồng mua ban mới cho phòng họp xã"));
  put(doc("a:ban-ghe", "d:2", "Hội đồng mua bàn mới cho phòng họp xã"));
  commit();
  auto r = search("bàn");
  ASSERT_EQ(r.hits.size(), 2u) << "the folded form matches both";
  EXPECT_EQ(r.hits[0].id, "a:ban-ghe");
  EXPECT_GT(r.hits[0].score, r.hits[1].score);
  // And the other way round: "ban" with its accent-free exact form is not boosted, "bán"
  // matches neither exactly — both still found.
  r = search("ban");
  EXPECT_EQ(r.hits.size(), 2u);
  auto ban = search("ủy ban");
  ASSERT_EQ(ban.hits.size(), 2u);
}

TEST_F(IndexTest, ContiguousPhraseOutranksScatteredSyllables) {
  // Same syllables, same length; only their order differs.
  put(doc("a:scattered", "d:1", "đất được nhà nước giao sử hộ có dụng quyền"));
  put(doc("a:phrase", "d:2", "hộ có quyền sử dụng đất được nhà nước giao"));
  commit();
  auto r = search("quyền sử dụng đất");
  ASSERT_EQ(r.hits.size(), 2u);
  EXPECT_EQ(r.hits[0].id, "a:phrase");
  EXPECT_GT(r.hits[0].score, r.hits[1].score);
  // Without diacritics as well: the pairs are folded.
  r = search("quyen su dung dat");
  ASSERT_EQ(r.hits.size(), 2u);
  EXPECT_EQ(r.hits[0].id, "a:phrase");
}

TEST_F(IndexTest, IdentifierQueryFindsTheDocumentHoldingIt) {
  put(doc("a:1", "d:1", "Căn cứ Nghị định số 15/2020/NĐ-CP của Chính phủ quy định xử phạt."));
  put(doc("a:2", "d:2", "Căn cứ Nghị định số 15/2021/NĐ-CP của Chính phủ quy định xử phạt."));
  put(doc("a:3", "d:3", "Căn cứ Luật số 91/2015/QH13 về dân sự."));
  put(doc("a:4", "d:4", "Luật HN&GĐ năm 2014 quy định chế độ tài sản."));
  put(doc("a:5", "d:5", "Thông tư số 05/2019/TT-BTC hướng dẫn."));
  commit();
  auto r = search("15/2020/NĐ-CP");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].id, "a:1");
  r = search("15/2020/nd-cp");  // typed without diacritics
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].id, "a:1");
  r = search("91/2015/QH13");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].id, "a:3");
  r = search("TT-BTC 05/2019");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].id, "a:5");
  // An abbreviation written as the document writes it is found, expansion or not.
  r = search("HN&GĐ");
  ASSERT_FALSE(r.hits.empty()) << "the document that literally says HN&GĐ";
  EXPECT_EQ(r.hits[0].id, "a:4") << dump(r);
  // The identifier is highlighted whole in the snippet.
  r = search("91/2015/QH13");
  EXPECT_NE(r.hits[0].snippet.find("<mark>91/2015/QH13</mark>"), std::string::npos) << r.hits[0].snippet;
}

TEST_F(IndexTest, AQueryNamingALawLiftsThatLawsHits) {
  // Identical article texts in two laws: only the name in the query can separate them.
  const char* text = "Người có quyền khiếu nại quyết định hành chính trong thời hạn 90 ngày.";
  put(doc("a:dl", "d:dl", text, "Quyền khiếu nại", {}, 0, "Luật Du lịch"));
  put(doc("a:ct", "d:ct", text, "Quyền khiếu nại", {}, 0, "Luật Cư trú"));
  put(doc("a:ds", "d:ds", "Người thừa kế có quyền khiếu nại về di sản.", "Thừa kế", {}, 0, "Bộ luật Dân sự"));
  commit();
  auto r = search("Theo Luật Du lịch, người có quyền khiếu nại trong bao lâu?");
  EXPECT_EQ(r.named_group, "d:dl");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].id, "a:dl");
  r = search("theo luat cu tru nguoi co quyen khieu nai trong bao lau");
  EXPECT_EQ(r.named_group, "d:ct");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].id, "a:ct");
  // An abbreviation of the name works too.
  r = search("BLDS: người nào có quyền khiếu nại?");
  EXPECT_EQ(r.named_group, "d:ds");
  // No law named: nothing set.
  EXPECT_EQ(search("quyền khiếu nại").named_group, "");
  // The names survive reopening the index (another process, a restart).
  index_.reset();
  auto again = Index::open(dir_.str() + "/idx");
  ASSERT_TRUE(again.ok());
  index_ = std::move(*again);
  EXPECT_EQ(search("theo Luật Du lịch thì quyền khiếu nại").named_group, "d:dl");
}

TEST_F(IndexTest, FiltersAndFacetCountsAgree) {
  put(doc("a:1", "d:1", "Hòa giải ở cơ sở", "", {{"type", "luat"}, {"status", "con_hieu_luc"}, {"year", "2013"}}));
  put(doc("a:2", "d:2", "Hòa giải thương mại", "", {{"type", "nghi_dinh"}, {"status", "con_hieu_luc"}, {"year", "2017"}}));
  put(doc("a:3", "d:3", "Hòa giải viên lao động", "", {{"type", "luat"}, {"status", "het_hieu_luc"}, {"year", "2012"}}));
  put(doc("a:4", "d:4", "Trọng tài thương mại", "", {{"type", "luat"}, {"status", "con_hieu_luc"}, {"year", "2010"}}));
  commit();
  Query q;
  q.facets = {"type", "status", "year"};
  auto all = search("hòa giải", q);
  EXPECT_EQ(all.hits.size(), 3u);
  auto count = [](const Results& r, const std::string& f, const std::string& v) -> size_t {
    auto it = r.facets.find(f);
    if (it == r.facets.end()) return 0;
    for (const auto& [val, n] : it->second)
      if (val == v) return n;
    return 0;
  };
  EXPECT_EQ(count(all, "type", "luat"), 2u);
  EXPECT_EQ(count(all, "type", "nghi_dinh"), 1u);
  EXPECT_EQ(count(all, "status", "con_hieu_luc"), 2u);
  EXPECT_EQ(count(all, "status", "het_hieu_luc"), 1u);
  EXPECT_EQ(count(all, "year", "2010"), 0u) << "a document the query does not match is not counted";

  q.filters = {{"type", {"luat"}}};
  auto luat = search("hòa giải", q);
  EXPECT_EQ(id_set(luat), (std::set<std::string>{"a:1", "a:3"}));
  EXPECT_EQ(count(luat, "type", "luat"), 2u);
  EXPECT_EQ(count(luat, "type", "nghi_dinh"), 0u);
  // Values of one facet are OR-ed, facets are AND-ed.
  q.filters = {{"type", {"luat", "nghi_dinh"}}, {"status", {"con_hieu_luc"}}};
  auto both = search("hòa giải", q);
  EXPECT_EQ(id_set(both), (std::set<std::string>{"a:1", "a:2"}));
  q.filters = {{"type", {"khong_co"}}};
  EXPECT_TRUE(search("hòa giải", q).hits.empty());
}

TEST_F(IndexTest, CollapseGivesOneHitPerGroup) {
  put(doc("a:1:1", "d:1", "Thanh niên có quyền học tập."));
  put(doc("a:1:2", "d:1", "Thanh niên có nghĩa vụ học tập suốt đời."));
  put(doc("a:1:3", "d:1", "Nhà nước bảo đảm quyền học tập của thanh niên."));
  put(doc("a:2:1", "d:2", "Học sinh có quyền học tập."));
  commit();
  Query q;
  EXPECT_EQ(search("học tập", q).hits.size(), 4u);
  q.collapse = true;
  auto r = search("học tập", q);
  ASSERT_EQ(r.hits.size(), 2u);
  EXPECT_NE(r.hits[0].group, r.hits[1].group);
}

TEST_F(IndexTest, ByDateOrdersNewestFirst) {
  put(doc("a:2010", "d:1", "Quy định về hộ tịch và đăng ký hộ tịch hộ tịch hộ tịch", "", {}, 20100101));
  put(doc("a:2024", "d:2", "Hộ tịch điện tử", "", {}, 20240701));
  put(doc("a:2015", "d:3", "Đăng ký hộ tịch", "", {}, 20151120));
  commit();
  Query q;
  q.by_date = true;
  EXPECT_EQ(ids(search("hộ tịch", q)), (std::vector<std::string>{"a:2024", "a:2015", "a:2010"}));
  q.limit = 2;
  EXPECT_EQ(ids(search("hộ tịch", q)), (std::vector<std::string>{"a:2024", "a:2015"}));
  q.offset = 2;
  EXPECT_EQ(ids(search("hộ tịch", q)), (std::vector<std::string>{"a:2010"}));
}

TEST_F(IndexTest, OffsetAndLimitPageThroughResults) {
  for (int i = 0; i < 25; ++i) put(doc("a:" + std::to_string(i), "d:" + std::to_string(i), "Văn bản về giáo dục số " + std::to_string(i)));
  commit();
  Query q;
  q.limit = 10;
  std::set<std::string> seen;
  for (size_t off = 0; off < 30; off += 10) {
    q.offset = off;
    auto r = search("giáo dục", q);
    EXPECT_EQ(r.total, 25u);
    for (const auto& id : ids(r)) EXPECT_TRUE(seen.insert(id).second) << id << " on two pages";
  }
  EXPECT_EQ(seen.size(), 25u);
}

TEST_F(IndexTest, RemoveRemoveGroupAndClear) {
  put(doc("a:1:1", "d:1", "Bảo vệ môi trường không khí", "", {}, 0, "Luật Bảo vệ môi trường"));
  put(doc("a:1:2", "d:1", "Bảo vệ môi trường nước", "", {}, 0, "Luật Bảo vệ môi trường"));
  put(doc("a:2:1", "d:2", "Môi trường giáo dục an toàn", "", {}, 0, "Luật Giáo dục"));
  commit();
  ASSERT_EQ(search("môi trường").hits.size(), 3u);
  ASSERT_TRUE(index_->remove("a:1:2").ok());
  commit();
  EXPECT_EQ(ids(search("nước")), std::vector<std::string>{});
  EXPECT_EQ(search("môi trường").hits.size(), 2u);
  ASSERT_TRUE(index_->remove_group("d:1").ok());
  commit();
  EXPECT_EQ(ids(search("môi trường")), std::vector<std::string>{"a:2:1"});
  EXPECT_EQ(search("theo Luật Bảo vệ môi trường").named_group, "") << "a removed law is no longer named";
  EXPECT_EQ(size(), 1u);
  ASSERT_TRUE(index_->remove("khong-co").ok()) << "removing an unknown id is not an error";
  ASSERT_TRUE(index_->clear().ok());
  commit();
  EXPECT_EQ(size(), 0u);
  EXPECT_TRUE(search("môi trường").hits.empty());
  EXPECT_EQ(search("theo Luật Giáo dục").named_group, "");
  // Usable after clearing.
  put(doc("a:9", "d:9", "Giáo dục pháp luật"));
  commit();
  EXPECT_EQ(ids(search("giáo dục")), std::vector<std::string>{"a:9"});
}

TEST_F(IndexTest, OddQueriesAreNeverAnError) {
  put(doc("a:1", "d:1", "Người sử dụng đất có quyền chuyển nhượng quyền sử dụng đất."));
  put(doc("a:2", "d:2", "Đất ở tại nông thôn."));
  commit();
  std::string ten_kb;
  while (ten_kb.size() < 10240) ten_kb += "quyền sử dụng đất (\"AND\" OR NOT * ) ";
  const std::string queries[] = {
      "(quyền", "\"đất", "quyền)", "đất\"", "\"quyền sử dụng", "...", "!!! ??? ;;; ---", "()\"\"'*",
      "AND OR NOT", "quyền AND", "NOT đất", "đất*", "*", "/ & - .", "\xff\xfe", "quyền \xc3", ten_kb,
      "\u0301", "a:1", "Q", "Zđất", "title:đất", "F type:luat"};
  for (const auto& q : queries) {
    Query query;
    query.text = q;
    auto r = index_->search(query);
    ASSERT_TRUE(r.ok()) << "query '" << q.substr(0, 40) << "': " << r.error().message;
  }
  // Punctuation only: an empty result, not everything.
  EXPECT_TRUE(search("!!! ??? ;;;").hits.empty());
  EXPECT_TRUE(search("\u0301").hits.empty()) << "a stray combining mark is no query";
  // Unbalanced quotes and brackets still find the words.
  EXPECT_FALSE(search("(quyền").hits.empty());
  EXPECT_FALSE(search("\"đất").hits.empty());
  EXPECT_FALSE(search(ten_kb).hits.empty());
  // Boolean-prefix look-alikes are words, not filters on internal terms.
  EXPECT_TRUE(search("Q").hits.empty());
}

TEST_F(IndexTest, OddDocumentTextIsIndexed) {
  // Stray combining marks, invalid UTF-8, huge words: put() succeeds.
  put(doc("a:1", "d:1", "\u0301\u0300 dấu rời và \xff byte lạ " + std::string(600, 'x') + " cuối"));
  commit();
  EXPECT_EQ(ids(search("dấu rời")), std::vector<std::string>{"a:1"});
  EXPECT_EQ(ids(search("cuối")), std::vector<std::string>{"a:1"});
}

TEST_F(IndexTest, SnippetMarksMatchedWordsAndEscapesHtml) {
  put(doc("a:1", "d:1",
          "Mục đích: <script>alert(1)</script> & \"ngoặc\" — người sử dụng đất được cấp Giấy chứng nhận quyền sử "
          "dụng đất."));
  commit();
  auto r = search("quyền sử dụng đất");
  ASSERT_EQ(r.hits.size(), 1u);
  const auto& s = r.hits[0].snippet;
  EXPECT_NE(s.find("<mark>quyền</mark> <mark>sử</mark> <mark>dụng</mark> <mark>đất.</mark>"), std::string::npos) << s;
  EXPECT_NE(s.find("<mark>đất</mark> được"), std::string::npos) << s;
  EXPECT_EQ(s.find("<script>"), std::string::npos) << s;
  EXPECT_NE(s.find("&lt;script&gt;"), std::string::npos) << s;
  EXPECT_NE(s.find("&amp;"), std::string::npos) << s;
  EXPECT_EQ(s.find("<mark>người</mark>"), std::string::npos) << "unmatched words are not marked";
  // Marks survive a query typed without diacritics.
  r = search("quyen su dung dat");
  EXPECT_NE(r.hits[0].snippet.find("<mark>quyền</mark> <mark>sử</mark>"), std::string::npos) << r.hits[0].snippet;
  // A long text is cut around the matches.
  std::string long_text;
  for (int i = 0; i < 200; ++i) long_text += "chữ" + std::to_string(i) + " ";
  long_text += "thừa kế theo pháp luật";
  for (int i = 0; i < 200; ++i) long_text += " đuôi" + std::to_string(i);
  put(doc("a:2", "d:2", long_text));
  commit();
  r = search("thừa kế");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_NE(r.hits[0].snippet.find("<mark>thừa</mark> <mark>kế</mark>"), std::string::npos);
  EXPECT_LT(r.hits[0].snippet.size(), long_text.size() / 4);
  EXPECT_EQ(r.hits[0].snippet.rfind("… ", 0), 0u) << "cut at the start is shown";
}

TEST_F(IndexTest, ALongQuestionWithItsChoicesStillFindsTheRightArticleFirst) {
  // Every article of this little law ends with the same boilerplate, so its words are in
  // all documents: a long question drops them from the match (they would cost most of the
  // time at scale) and must still put the article that answers it first.
  const std::string tail = " Cơ quan, tổ chức, cá nhân có trách nhiệm thực hiện theo quy định của pháp luật.";
  put(doc("a:kn", "d:1", "Người khiếu nại gửi đơn trong thời hạn 90 ngày kể từ ngày nhận quyết định hành chính." + tail,
          "Thời hạn khiếu nại"));
  put(doc("a:tc", "d:1", "Người tố cáo gửi đơn trong thời hạn 30 ngày kể từ ngày phát hiện hành vi vi phạm." + tail,
          "Thời hạn tố cáo"));
  const char* topics[] = {"Tỉnh An Hòa lập quỹ hỗ trợ nông dân trồng lúa.", "Chợ phiên họp vào sáng chủ nhật.",
                          "Nhà văn hóa xã mở cửa buổi tối.", "Thư viện cho mượn sách miễn phí.",
                          "Trạm y tế khám bệnh cho trẻ em.", "Bến đò có áo phao cho khách."};
  int n = 0;
  for (const char* t : topics) put(doc("a:o" + std::to_string(++n), "d:1", t + tail, "Điều khác"));
  // Shares with the question only "hành chính", which one other article has too.
  put(doc("a:hc", "d:1", "Văn bản hành chính được lưu trữ tại kho."));
  commit();
  const std::string question =
      "Theo quy định của pháp luật, cơ quan, tổ chức, cá nhân có trách nhiệm thực hiện và người khiếu nại gửi đơn "
      "trong thời hạn bao lâu kể từ ngày nhận quyết định hành chính? 30 ngày 60 ngày 90 ngày 120 ngày";
  const std::string folded =
      "theo quy dinh cua phap luat, co quan, to chuc, ca nhan co trach nhiem thuc hien va nguoi khieu nai gui don "
      "trong thoi han bao lau ke tu ngay nhan quyet dinh hanh chinh? 30 ngay 60 ngay 90 ngay 120 ngay";
  for (const auto& q : {question, folded}) {
    auto r = search(q);
    ASSERT_FALSE(r.hits.empty()) << q;
    EXPECT_EQ(r.hits[0].id, "a:kn") << q << "\n" << dump(r);
    // The dropped words are still highlighted in the snippet.
    EXPECT_NE(r.hits[0].snippet.find("<mark>pháp</mark> <mark>luật.</mark>"), std::string::npos) << r.hits[0].snippet;
  }
  // The same first article as with every term kept.
  index_->ranking().common_share = 1;
  EXPECT_EQ(search(question).hits.at(0).id, "a:kn");
  index_->ranking().common_share = 0.3;
  // Requiring one of the question's rarer terms (here: found in one article of nine) keeps
  // the same first article, with the same score, with and without diacritics; an article
  // that shares only less rare words with the question is no longer a candidate.
  for (const auto& q : {question, folded}) {
    index_->ranking().rare_share = 1;
    auto all = search(q);
    EXPECT_EQ(id_set(all).count("a:hc"), 1u) << dump(all);
    index_->ranking().rare_share = 0.15;
    auto rare = search(q);
    ASSERT_FALSE(rare.hits.empty()) << q;
    EXPECT_EQ(rare.hits[0].id, "a:kn") << dump(rare);
    EXPECT_DOUBLE_EQ(rare.hits[0].score, all.hits.at(0).score);
    EXPECT_EQ(id_set(rare).count("a:hc"), 0u) << dump(rare);
  }
  // A long query made only of words every article has keeps them all: it still finds them
  // (no rare term to require either).
  auto r = search("cơ quan tổ chức cá nhân có trách nhiệm thực hiện theo quy định của pháp luật");
  EXPECT_EQ(r.hits.size(), 8u) << dump(r);
  index_->ranking().rare_share = Ranking{}.rare_share;
  // A short query keeps its common words too.
  EXPECT_EQ(search("quy định pháp luật").hits.size(), 8u);
}

TEST_F(IndexTest, ASecondWriterOnTheSameIndexIsSeenByTheFirstOnesSearches) {
  // The server keeps readers open; `pbgdpl search reindex` or `library import` writes the same
  // index from another process. The server's next search must see what they committed,
  // however many commits they made.
  put(doc("a:1", "d:1", "Người lao động được nghỉ phép năm."));
  commit();
  EXPECT_EQ(search("nghỉ phép").hits.size(), 1u);  // a reader is now open and pooled
  auto other = Index::open(dir_.str() + "/idx");
  ASSERT_TRUE(other.ok());
  for (int i = 2; i <= 6; ++i) {
    ASSERT_TRUE((*other)->put(doc("a:" + std::to_string(i), "d:2", "Người lao động được nghỉ phép có hưởng lương.", "",
                                  {}, 0, "Bộ luật Lao động")).ok());
    ASSERT_TRUE((*other)->commit().ok());
  }
  auto r = search("nghỉ phép");
  EXPECT_EQ(r.hits.size(), 6u) << dump(r);
  // The law's title the other process stored is known here too ("theo Bộ luật Lao động").
  EXPECT_EQ(search("nghỉ phép theo Bộ luật Lao động").named_group, "d:2");
  ASSERT_TRUE((*other)->remove_group("d:2").ok());
  ASSERT_TRUE((*other)->commit().ok());
  r = search("nghỉ phép theo Bộ luật Lao động");
  EXPECT_EQ(ids(r), std::vector<std::string>{"a:1"});
  EXPECT_EQ(r.named_group, "");
}

TEST(Ranking, ApplyRankingSetsKnobsAndRejectsUnknownOnes) {
  Ranking r;
  ASSERT_TRUE(apply_ranking(r, "common_share=0.2,long_query_words=20,named_boost=2,rare_share=0.05").ok());
  EXPECT_DOUBLE_EQ(r.common_share, 0.2);
  EXPECT_DOUBLE_EQ(r.rare_share, 0.05);
  EXPECT_EQ(r.long_query_words, 20u);
  EXPECT_DOUBLE_EQ(r.named_boost, 2);
  EXPECT_FALSE(apply_ranking(r, "nonsense=1").ok());
  EXPECT_FALSE(apply_ranking(r, "k1=abc").ok());
  EXPECT_FALSE(apply_ranking(r, "k1").ok());
  EXPECT_FALSE(apply_ranking(r, "b=0.5x").ok());
  EXPECT_DOUBLE_EQ(r.b, 0.75) << "a rejected value leaves the knob alone";
}

}  // namespace
}  // namespace pbgdpl::search
