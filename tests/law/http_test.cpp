// The legal library over HTTP on both backends (in-process server, browser-like client):
// the public reading pages and their stable addresses, the search page and API with bad
// input of every kind (4xx in Vietnamese, never a 500), and the editor → approver flow.
#include "law/routes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <regex>

#include "core/time.h"
#include "support.h"

namespace pbgdpl::law {
namespace {

using nlohmann::json;
using pbgdpl::testing::Browser;
using pbgdpl::testing::HttpResponse;
using pbgdpl::testing::TestServer;

constexpr const char* kXss = "<script>alert(1)</script>";
constexpr const char* kXssEscaped = "&lt;script&gt;alert(1)&lt;/script&gt;";

class LawHttp : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(GetParam());
    auto rep = app().load_sample();
    ASSERT_TRUE(rep.ok()) << rep.error().message;
    ASSERT_EQ(rep->documents_created, 3);
  }
  app::App& app() { return server_->app(); }
  uint16_t port() const { return server_->port(); }
  Document by_number(const std::string& number) {
    auto d = app().law->find_by_number(number);
    EXPECT_TRUE(d.ok() && d->has_value()) << number;
    return d.ok() && d->has_value() ? **d : Document{};
  }
  HttpResponse get(const std::string& path) { return Browser(port()).get(path); }
  static json body_json(const HttpResponse& r) {
    EXPECT_NE(r.header("content-type").find("application/json"), std::string::npos) << r.body.substr(0, 200);
    auto j = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.body.substr(0, 200);
    return j;
  }
  static void expect_api_error(const HttpResponse& r, int status, const std::string& what) {
    EXPECT_EQ(r.status, status) << what << "\n" << r.body.substr(0, 300);
    auto j = body_json(r);
    ASSERT_TRUE(j.contains("error")) << what;
    EXPECT_FALSE(j["error"].value("message", "").empty()) << what;
  }
  void make_user(const std::string& email, const std::string& role) {
    accounts::UserInput u;
    u.email = email;
    u.name = "Người dùng " + role;
    u.org_code = "AH-STP";
    u.role = role;
    u.password = "Mat-khau-2025!";
    accounts::Actor a;
    auto made = app().accounts->create_user(accounts::Service::system_principal(), a, u);
    ASSERT_TRUE(made.ok()) << made.error().message;
  }
  Browser signed_in(const std::string& email) {
    Browser b(port());
    EXPECT_TRUE(b.login(email, "Mat-khau-2025!")) << email;
    return b;
  }
  std::unique_ptr<TestServer> server_;
};

TEST_P(LawHttp, LibraryHomeListsTheSampleDocuments) {
  auto r = get("/van-ban");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("lang=\"vi\""), std::string::npos);
  for (const char* number : {"05/2026/NQ-HĐND", "12/2026/QĐ-UBND", "03/2024/QĐ-UBND"}) {
    auto d = by_number(number);
    EXPECT_NE(r.body.find("/van-ban/" + d.slug), std::string::npos) << number;
    EXPECT_NE(r.body.find(d.title), std::string::npos) << d.title;
  }
  // The filter by type keeps only that type.
  auto q = get("/van-ban?loai=nghi_quyet_hdnd");
  ASSERT_EQ(q.status, 200);
  EXPECT_NE(q.body.find(by_number("05/2026/NQ-HĐND").slug), std::string::npos);
  EXPECT_EQ(q.body.find(by_number("12/2026/QĐ-UBND").slug), std::string::npos);
}

TEST_P(LawHttp, DocumentPageAndProvisionAddresses) {
  auto d = by_number("12/2026/QĐ-UBND");
  auto nq = by_number("05/2026/NQ-HĐND");
  auto r = get("/van-ban/" + d.slug);
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  const auto& b = r.body;
  EXPECT_NE(b.find("<html lang=\"vi\""), std::string::npos);
  EXPECT_NE(b.find("<h1>" + d.title + "</h1>"), std::string::npos);
  EXPECT_NE(b.find("class=\"meta-box\""), std::string::npos);
  EXPECT_NE(b.find("<dt>Số ký hiệu</dt><dd>12/2026/QĐ-UBND</dd>"), std::string::npos);
  EXPECT_NE(b.find("<dt>Ngày ban hành</dt><dd>2026-04-20</dd>"), std::string::npos);
  EXPECT_NE(b.find("<span class=\"badge badge-con_hieu_luc\">Còn hiệu lực</span>"), std::string::npos);
  EXPECT_NE(b.find("<nav class=\"toc\""), std::string::npos);
  EXPECT_NE(b.find("href=\"/van-ban/" + d.slug + "#dieu-3\""), std::string::npos) << "table of contents links";
  EXPECT_NE(b.find("href=\"/van-ban/" + d.slug + "#chuong-i\""), std::string::npos);
  EXPECT_NE(b.find("id=\"dieu-1\""), std::string::npos);
  EXPECT_NE(b.find("id=\"dieu-3-khoan-2\""), std::string::npos);
  // Cross-references become links: inside the document and to another document.
  EXPECT_NE(b.find("<a href=\"/van-ban/" + d.slug + "/dieu-6\">Điều 6 của Quyết định này</a>"), std::string::npos);
  EXPECT_NE(b.find("số <a href=\"/van-ban/" + nq.slug + "\">05/2026/NQ-HĐND</a>"), std::string::npos);
  // The relation to the replaced decision, and that one's badge and history.
  EXPECT_NE(b.find("Thay thế: <a href=\"/van-ban/" + by_number("03/2024/QĐ-UBND").slug + "\">"), std::string::npos);
  auto old = get("/van-ban/" + by_number("03/2024/QĐ-UBND").slug);
  ASSERT_EQ(old.status, 200);
  EXPECT_NE(old.body.find("badge badge-het_hieu_luc"), std::string::npos);
  EXPECT_NE(old.body.find("Bị thay thế bởi: <a href=\"/van-ban/" + d.slug + "\">"), std::string::npos);
  EXPECT_NE(old.body.find("Lịch sử hiệu lực"), std::string::npos);

  auto k = get("/van-ban/" + d.slug + "/dieu-3/khoan-2");
  ASSERT_EQ(k.status, 200);
  EXPECT_NE(k.body.find("Khoản 2 Điều 3"), std::string::npos);
  EXPECT_NE(k.body.find("Duyệt và công bố văn bản pháp luật"), std::string::npos);
  EXPECT_EQ(k.body.find("Quản trị Cổng, cấp tài khoản"), std::string::npos) << "only the khoản asked for";
  auto art = get("/van-ban/" + d.slug + "/dieu-3");
  ASSERT_EQ(art.status, 200);
  EXPECT_NE(art.body.find("Quản trị Cổng, cấp tài khoản"), std::string::npos);
  auto nq_page = get("/van-ban/" + nq.slug);
  EXPECT_NE(nq_page.body.find("<a href=\"/van-ban/" + nq.slug + "/dieu-4/khoan-1\">khoản 1 Điều 4 của Nghị quyết này</a>"),
            std::string::npos);
  auto pt = get("/van-ban/" + nq.slug + "/dieu-3/khoan-2/diem-a");
  ASSERT_EQ(pt.status, 200);
  EXPECT_NE(pt.body.find("người phiên dịch tiếng dân tộc"), std::string::npos);

  for (const std::string& path : {"/van-ban/" + d.slug + "/dieu-99", "/van-ban/" + d.slug + "/dieu-3/khoan-9",
                                  "/van-ban/" + d.slug + "/khong-co", "/van-ban/" + d.slug + "/dieu-3/khoan-2/diem-z"}) {
    auto nf = get(path);
    EXPECT_EQ(nf.status, 404) << path;
    EXPECT_NE(nf.body.find("Văn bản này không có quy định tại địa chỉ đã nhập."), std::string::npos) << path;
  }
  // A chapter's address opens the document at that chapter (it is not an article, clause or point).
  auto ch = get("/van-ban/" + d.slug + "/chuong-ii");
  EXPECT_EQ(ch.body.find("Điểm II"), std::string::npos) << "a chapter is not shown as a điểm";
  EXPECT_EQ(ch.status / 100, 3) << ch.status;
  EXPECT_EQ(ch.header("location"), "/van-ban/" + d.slug + "#chuong-ii");
  auto none = get("/van-ban/khong-co-van-ban-nay");
  EXPECT_EQ(none.status, 404);
  EXPECT_NE(none.body.find("Không tìm thấy văn bản này trong thư viện."), std::string::npos);
  auto bad_date = get("/van-ban/" + d.slug + "?ngay=2026-99-99");
  EXPECT_EQ(bad_date.status, 422);
  EXPECT_NE(bad_date.body.find("Ngày xem phải có dạng NNNN-TT-NN"), std::string::npos);
  EXPECT_EQ(get("/van-ban/" + d.slug + "/dieu-3?ngay=hom-qua").status, 422);
  auto as_at = get("/van-ban/" + d.slug + "?ngay=2026-06-01");
  EXPECT_EQ(as_at.status, 200);
  EXPECT_NE(as_at.body.find("bản áp dụng ngày 2026-06-01"), std::string::npos);
  EXPECT_EQ(get("/van-ban/" + d.slug + "?muc=khong-co").status, 404);
  EXPECT_EQ(get("/van-ban/" + d.slug + "?in=1").status, 200);
}

TEST_P(LawHttp, SearchApi) {
  auto nq = by_number("05/2026/NQ-HĐND");
  auto r = get("/api/v1/search?q=" + http::percent_encode("hỗ trợ hòa giải viên") + "&level=article&limit=3");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = body_json(r);
  ASSERT_TRUE(j.contains("total") && j["total"].is_number());
  ASSERT_TRUE(j["results"].is_array());
  ASSERT_FALSE(j["results"].empty());
  EXPECT_LE(j["results"].size(), 3u);
  EXPECT_GE(j["total"].get<size_t>(), j["results"].size());
  const auto& top = j["results"][0];
  EXPECT_EQ(top["document"]["id"], nq.id);
  EXPECT_EQ(top["document"]["title"], nq.title);
  EXPECT_EQ(top["document"]["number"], "05/2026/NQ-HĐND");
  EXPECT_TRUE(top["article"].is_string());
  EXPECT_TRUE(top["score"].is_number());
  EXPECT_NE(top["snippet"].get<std::string>().find("<mark>"), std::string::npos);
  // Typed without accents: same first document.
  auto f = body_json(get("/api/v1/search?q=ho+tro+hoa+giai+vien"));
  ASSERT_FALSE(f["results"].empty());
  EXPECT_EQ(f["results"][0]["document"]["id"], nq.id);
  // Document level: one result per document, no article.
  auto docs = body_json(get("/api/v1/search?q=" + http::percent_encode("Sở Tư pháp") + "&level=document"));
  std::set<int64_t> ids;
  for (const auto& x : docs["results"]) {
    EXPECT_TRUE(x["article"].is_null());
    EXPECT_TRUE(ids.insert(x["document"]["id"].get<int64_t>()).second);
  }
  EXPECT_FALSE(ids.empty());
  EXPECT_LE(docs["total"].get<size_t>(), 3u) << "the total counts documents at document level";
  // Far past the end: an empty page, not an error.
  auto far = get("/api/v1/search?q=dat&offset=2000000000");
  EXPECT_EQ(far.status, 200) << far.body.substr(0, 200);
  EXPECT_TRUE(body_json(far)["results"].empty());
  // Only documents in force unless asked: the replaced decision appears with hieu_luc=tat-ca.
  auto old = by_number("03/2024/QĐ-UBND");
  auto q = http::percent_encode("trang thông tin điện tử của tỉnh");
  auto in_force = body_json(get("/api/v1/search?q=" + q + "&level=document"));
  for (const auto& x : in_force["results"]) EXPECT_NE(x["document"]["id"], old.id);
  auto all = body_json(get("/api/v1/search?q=" + q + "&level=document&hieu_luc=tat-ca"));
  bool seen = false;
  for (const auto& x : all["results"]) seen |= x["document"]["id"] == old.id;
  EXPECT_TRUE(seen);

  expect_api_error(get("/api/v1/search"), 422, "q missing");
  expect_api_error(get("/api/v1/search?q="), 422, "q empty");
  expect_api_error(get("/api/v1/search?q=dat&level=foo"), 422, "level=foo");
  expect_api_error(get("/api/v1/search?q=dat&limit=0"), 422, "limit=0");
  expect_api_error(get("/api/v1/search?q=dat&limit=51"), 422, "limit=51");
  expect_api_error(get("/api/v1/search?q=dat&limit=abc"), 422, "limit=abc");
  expect_api_error(get("/api/v1/search?q=%FF"), 400, "invalid UTF-8");
  expect_api_error(get("/api/v1/search?q=h%C3"), 400, "truncated UTF-8");
  for (const char* odd : {"(quyền", "\"đất", "!!!", "%%%", "AND", "*"}) {
    auto o = get(std::string("/api/v1/search?q=") + http::percent_encode(odd));
    EXPECT_EQ(o.status, 200) << odd << ": " << o.body;
    EXPECT_TRUE(body_json(o)["results"].is_array()) << odd;
  }
  // Unbalanced bracket and quote still find the word inside them.
  EXPECT_FALSE(body_json(get("/api/v1/search?q=" + http::percent_encode("(hòa giải")))["results"].empty());
  EXPECT_FALSE(body_json(get("/api/v1/search?q=" + http::percent_encode("\"hòa giải")))["results"].empty());
  // Punctuation only: an empty list and nothing to suggest.
  auto punct = body_json(get("/api/v1/search?q=" + http::percent_encode("!!! ??? ...")));
  EXPECT_TRUE(punct["results"].empty());
  EXPECT_FALSE(punct.contains("did_you_mean")) << punct.dump();
  // Nothing found: the accent-free query in every status is offered, and it is a real search.
  auto none = body_json(get("/api/v1/search?q=" + http::percent_encode("xyzzy quắc")));
  EXPECT_TRUE(none["results"].empty());
  ASSERT_TRUE(none.contains("did_you_mean")) << none.dump();
  EXPECT_EQ(none["did_you_mean"]["q"], "xyzzy quac");
  EXPECT_EQ(none["did_you_mean"]["hieu_luc"], "tat-ca");
  EXPECT_FALSE(body_json(get("/api/v1/search?q=ho+tro+hoa+giai+vien"))
                   .contains("did_you_mean")) << "no suggestion when something was found";
  // The longest query a URL carries (~6 kB) is searched, not refused.
  std::string six_kb;
  while (six_kb.size() < 6000) six_kb += "hoa+giai+vien+";
  auto long_q = get("/api/v1/search?q=" + six_kb);
  EXPECT_EQ(long_q.status, 200) << long_q.body.substr(0, 200);
  EXPECT_FALSE(body_json(long_q)["results"].empty());
}

TEST_P(LawHttp, SearchPageHandlesOddQueries) {
  auto r = get("/van-ban/tim-kiem?q=" + http::percent_encode("hòa giải viên"));
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<mark>"), std::string::npos);
  EXPECT_NE(r.body.find("/van-ban/" + by_number("05/2026/NQ-HĐND").slug + "/dieu-"), std::string::npos);
  auto empty = get("/van-ban/tim-kiem");
  EXPECT_EQ(empty.status, 200);
  std::string long_q;
  while (long_q.size() < 10240) long_q += "quyền sử dụng đất ";
  for (const std::string& q : {std::string("(quyền"), std::string("\"đất"), std::string("!!! ??? ..."),
                               std::string(kXss), long_q.substr(0, 2000)}) {
    auto p = get("/van-ban/tim-kiem?q=" + http::percent_encode(q));
    EXPECT_EQ(p.status, 200) << q.substr(0, 40) << "\n" << p.body.substr(0, 300);
    EXPECT_NE(p.body.find("kết quả"), std::string::npos) << "a count or a hint is shown for " << q.substr(0, 40);
    EXPECT_EQ(p.body.find("<script>alert"), std::string::npos);
  }
  auto punct = get("/van-ban/tim-kiem?q=" + http::percent_encode("!!! ??? ..."));
  EXPECT_NE(punct.body.find("Không tìm thấy kết quả phù hợp"), std::string::npos);
  EXPECT_NE(punct.body.find("Gợi ý:"), std::string::npos);
  // Invalid UTF-8 is refused by the server before the page, with its Vietnamese 400 page.
  auto bad = get("/van-ban/tim-kiem?q=%FF%FE");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("UTF-8"), std::string::npos) << bad.body.substr(0, 300);
  EXPECT_NE(bad.body.find("lang=\"vi\""), std::string::npos);
  // A 10 kB query cannot travel in a URL: the server refuses it before the search page with
  // its own Vietnamese 4xx page (the form caps queries at 500 characters); never a 500.
  auto huge = get("/van-ban/tim-kiem?q=" + http::percent_encode(long_q));
  EXPECT_TRUE(huge.status == 414 || huge.status == 431) << huge.status << "\n" << huge.body.substr(0, 300);
  EXPECT_NE(huge.body.find("lang=\"vi\""), std::string::npos);
  // The longest query a URL carries (~6 kB typed without accents) is searched normally.
  std::string six_kb;
  while (six_kb.size() < 6000) six_kb += "quyen+su+dung+dat+";
  auto long_ok = get("/van-ban/tim-kiem?q=" + six_kb);
  EXPECT_EQ(long_ok.status, 200);
  EXPECT_NE(long_ok.body.find("kết quả"), std::string::npos);
  auto unaccented_page = get("/van-ban/tim-kiem?q=" + http::percent_encode("xyzzy quắc"));
  EXPECT_EQ(unaccented_page.status, 200);
  EXPECT_NE(unaccented_page.body.find("Có phải bạn muốn tìm"), std::string::npos) << "suggests the accent-free query";
  EXPECT_NE(unaccented_page.body.find("q=xyzzy%20quac"), std::string::npos) << unaccented_page.body.substr(0, 2000);
  EXPECT_EQ(punct.body.find("Có phải bạn muốn tìm"), std::string::npos) << "nothing to suggest for punctuation";
}

TEST_P(LawHttp, DocumentApiAndSuggest) {
  auto nq = by_number("05/2026/NQ-HĐND");
  auto r = get("/api/v1/law/documents/" + std::to_string(nq.id));
  ASSERT_EQ(r.status, 200);
  auto j = body_json(r);
  EXPECT_EQ(j["id"], nq.id);
  EXPECT_EQ(j["number"], "05/2026/NQ-HĐND");
  EXPECT_EQ(j["url"], "/van-ban/" + nq.slug);
  ASSERT_TRUE(j["body"].is_array());
  ASSERT_EQ(j["body"].size(), 7u) << "seven articles";
  EXPECT_EQ(j["body"][2]["anchor"], "dieu-3");
  ASSERT_TRUE(j["body"][2]["children"].is_array());
  EXPECT_EQ(j["body"][2]["children"][1]["anchor"], "dieu-3-khoan-2");
  EXPECT_EQ(j["body"][2]["children"][1]["children"][0]["anchor"], "dieu-3-khoan-2-diem-a");
  expect_api_error(get("/api/v1/law/documents/999999"), 404, "unknown id");

  auto s = body_json(get("/api/v1/law/suggest?q=hoa%20giai"));
  ASSERT_TRUE(s["items"].is_array());
  bool has = false;
  for (const auto& it : s["items"]) has |= it["id"] == nq.id;
  EXPECT_TRUE(has) << s.dump();
  auto s2 = body_json(get("/api/v1/law/suggest?q=" + http::percent_encode("Hòa giải")));
  EXPECT_FALSE(s2["items"].empty());
  auto by_num = body_json(get("/api/v1/law/suggest?q=05%2F2026"));
  EXPECT_FALSE(by_num["items"].empty()) << "by số ký hiệu";
  EXPECT_TRUE(body_json(get("/api/v1/law/suggest?q=%25%25"))["items"].empty());
  EXPECT_EQ(get("/api/v1/law/suggest?q=%FF").status < 500, true);
  auto list = body_json(get("/api/v1/law/documents?limit=2"));
  EXPECT_EQ(list["items"].size(), 2u);
  EXPECT_FALSE(list["next_cursor"].is_null());
  expect_api_error(get("/api/v1/law/documents?limit=0"), 422, "limit=0");
}

TEST_P(LawHttp, EditorCreatesApproverPublishes) {
  make_user("bientap@anhoa.gov.vn", "editor");
  make_user("duyet@anhoa.gov.vn", "approver");
  Browser editor = signed_in("bientap@anhoa.gov.vn");
  ASSERT_EQ(editor.get("/quan-tri/van-ban").status, 200);
  const std::string title = std::string(kXss) + " Quy chế tủ sách pháp luật ở thôn";
  auto made = editor.post_form("/quan-tri/van-ban",
                               {{"title", title},
                                {"doc_type", "quyet_dinh_ubnd"},
                                {"number", "21/2026/QĐ-UBND"},
                                {"issuer", "Ủy ban nhân dân tỉnh An Hòa"},
                                {"issued_on", "2026-06-01"},
                                {"status", "con_hieu_luc"},
                                {"scope", "dia_phuong"},
                                {"text", "Điều 1. Tủ sách ở thôn\nMỗi thôn có một tủ sách pháp luật đặt ở nhà văn hóa "
                                         "xanh lam.\n\nĐiều 2. Hiệu lực\nCó hiệu lực từ ngày ký."}});
  ASSERT_EQ(made.status, 303) << made.body.substr(0, 500);
  std::smatch m;
  auto loc = made.header("location");
  ASSERT_TRUE(std::regex_match(loc, m, std::regex("/quan-tri/van-ban/(\\d+)"))) << loc;
  int64_t id = std::stoll(m[1].str());
  auto d = app().law->get(id);
  ASSERT_TRUE(d.ok() && d->has_value());
  const std::string slug = (*d)->slug;
  EXPECT_FALSE((*d)->published);

  // Unpublished: the public gets a 404 everywhere, the editor can read it.
  EXPECT_EQ(get("/van-ban/" + slug).status, 404);
  EXPECT_EQ(get("/van-ban/" + slug + "/dieu-1").status, 404);
  EXPECT_EQ(get("/api/v1/law/documents/" + std::to_string(id)).status, 404);
  auto own = editor.get("/van-ban/" + slug);
  EXPECT_EQ(own.status, 200);
  EXPECT_EQ(editor.get("/van-ban/" + slug + "/dieu-1").status, 200) << "the preview's article links work for the editor";
  EXPECT_NE(own.body.find(kXssEscaped), std::string::npos);
  EXPECT_EQ(own.body.find(kXss), std::string::npos);
  auto admin_page = editor.get(loc);
  EXPECT_EQ(admin_page.status, 200);
  EXPECT_EQ(admin_page.body.find(kXss), std::string::npos);
  app().jobs->drain();
  auto before = body_json(get("/api/v1/search?q=" + http::percent_encode("nhà văn hóa xanh lam")));
  for (const auto& x : before["results"]) EXPECT_NE(x["document"]["id"], id) << "not searchable before publishing";

  // The editor cannot publish; the approver can.
  editor.get(loc);
  EXPECT_EQ(editor.post_form(loc + "/cong-bo", {{"published", "1"}}).status, 403);
  Browser approver = signed_in("duyet@anhoa.gov.vn");
  ASSERT_EQ(approver.get(loc).status, 200);
  auto pub = approver.post_form(loc + "/cong-bo", {{"published", "1"}});
  ASSERT_EQ(pub.status, 303) << pub.body.substr(0, 300);
  auto page = get("/van-ban/" + slug);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find(kXssEscaped), std::string::npos);
  EXPECT_EQ(page.body.find(kXss), std::string::npos);
  EXPECT_NE(page.body.find("<title>"), std::string::npos);
  app().jobs->drain();
  auto after = body_json(get("/api/v1/search?q=" + http::percent_encode("nhà văn hóa xanh lam")));
  ASSERT_FALSE(after["results"].empty());
  EXPECT_EQ(after["results"][0]["document"]["id"], id);
  EXPECT_EQ(after["results"][0]["article"], "1");
  EXPECT_EQ(after["results"][0]["document"]["title"], title) << "JSON carries the raw title";
  auto found_page = get("/van-ban/tim-kiem?q=" + http::percent_encode("nhà văn hóa xanh lam"));
  EXPECT_NE(found_page.body.find(kXssEscaped), std::string::npos);
  EXPECT_EQ(found_page.body.find(kXss), std::string::npos);

  // Bad form: 422 with the form kept, nothing created.
  editor.get("/quan-tri/van-ban");
  auto bad = editor.post_form("/quan-tri/van-ban", {{"title", "X"}, {"doc_type", "luat"}, {"text", "Điều 1. A\nB"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("Tên văn bản phải có ít nhất 3 ký tự."), std::string::npos);
  // Without the CSRF token: refused.
  EXPECT_EQ(editor.post_form("/quan-tri/van-ban", {{"title", "Quy chế hợp lệ"}, {"text", "Điều 1. A\nB"}}, false).status,
            403);

  // A citizen has no editor pages; an anonymous visitor is sent to sign in.
  accounts::UserInput c;
  c.email = "dan@example.vn";
  c.name = "Lò Văn Dân";
  c.role = "citizen";
  c.password = "Mat-khau-2025!";
  ASSERT_TRUE(app().accounts->register_user({}, c).ok());
  Browser citizen = signed_in("dan@example.vn");
  EXPECT_EQ(citizen.get("/quan-tri/van-ban").status, 403);
  EXPECT_EQ(citizen.get(loc).status, 403);
  citizen.get("/");
  EXPECT_EQ(citizen.post_form(loc + "/cong-bo", {{"published", "0"}}).status, 403);
  EXPECT_EQ(get("/quan-tri/van-ban").status, 303);
  EXPECT_EQ(get("/van-ban/" + slug).status, 200) << "still published";

  // Every write is in the audit log, and the chain verifies.
  auto log = app().accounts->audit_page(accounts::Service::system_principal(), 0, 50, "law_document");
  ASSERT_TRUE(log.ok());
  int creates = 0, publishes = 0;
  for (const auto& e : *log) {
    if (e.entity_id != std::to_string(id)) continue;
    creates += e.action == "law.import";
    publishes += e.action == "law.publish";
  }
  EXPECT_EQ(creates, 1);
  EXPECT_EQ(publishes, 1);
  auto verify = app().accounts->audit_verify();
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok);
}

INSTANTIATE_TEST_SUITE_P(Backends, LawHttp, ::testing::ValuesIn(pbgdpl::testing::backends()));

}  // namespace
}  // namespace pbgdpl::law
