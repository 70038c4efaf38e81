// The portal over HTTP on both backends (in-process server, browser-like client): the
// newsroom forms (multipart upload, preview, conflict), the public pages with their
// feeds, QR code, audio and rating form, bad input of every kind, and page weight.
#include "portal/routes.h"

#include <gtest/gtest.h>

#include <regex>
#include <tuple>

#include "fixture.h"
#include "portal/sample.h"

namespace pbgdpl::portal {
namespace {

using pbgdpl::testing::Browser;
using pbgdpl::testing::HttpResponse;
using testdata::kPassword;
using testdata::PortalTest;

class PortalHttp : public PortalTest {
 protected:
  Browser signed_in(const std::string& email, const std::string& role, const std::string& org) {
    person(email, role, org);
    Browser b(port());
    EXPECT_TRUE(b.login(email, kPassword)) << email;
    return b;
  }
  HttpResponse upload(Browser& b, const std::string& filename, const std::string& bytes, const std::string& alt,
                      const std::string& csrf = "") {
    b.get("/quan-tri/thu-vien");
    return b.send("POST", "/quan-tri/thu-vien",
                  pbgdpl::testing::multipart_body({{"_csrf", "", csrf.empty() ? b.csrf() : csrf}, {"alt", "", alt}, {"file", filename, bytes}}),
                  {{"Content-Type", "multipart/form-data; boundary=BOUNDARY42"}});
  }
  static std::string version_in(const std::string& html) {
    std::smatch m;
    static const std::regex re(R"re(name="version" value="([0-9]+)")re");
    return std::regex_search(html, m, re) ? m[1].str() : "";
  }
  static int64_t id_from(const HttpResponse& r) {
    auto loc = r.header("location");
    return std::atoll(loc.substr(loc.rfind('/') + 1).c_str());
  }
  size_t static_weight(const std::string& html) {
    // HTML plus every stylesheet and script it links (images and media aside).
    size_t total = html.size();
    static const std::regex link(R"re((?:href|src)="(/static/[^"]+\.(?:css|js))")re");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), link); it != std::sregex_iterator(); ++it)
      total += Browser(port()).get((*it)[1].str()).body.size();
    return total;
  }
};

TEST_P(PortalHttp, EditorWritesWithImageApproverPublishesVisitorReadsListensRates) {
  auto editor = signed_in("bien.tap@stp.example", "editor", "AH-STP");
  // Upload an image through the no-JavaScript form.
  auto png = sample_png(900, 500);
  ASSERT_TRUE(png.ok());
  auto up = upload(editor, "tap-huan.png", *png, "Học viên lớp tập huấn hòa giải tại xã Nậm Pồ");
  ASSERT_EQ(up.status, 303) << up.body.substr(0, 400);
  auto lib = editor.get("/quan-tri/thu-vien");
  ASSERT_NE(lib.body.find("tap-huan.png"), std::string::npos);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(lib.body, m, std::regex(R"(Mã tệp ([0-9]+))")));
  const std::string media_id = m[1].str();
  // Preview renders sanitized Markdown without saving anything.
  editor.get("/quan-tri/noi-dung/moi");
  std::vector<std::pair<std::string, std::string>> form = {
      {"title", "Tập huấn hòa giải viên xã Nậm Pồ"}, {"kind", "tin_bai"}, {"format", "bai_viet"},
      {"category", "tin-hoat-dong"}, {"org_code", "AH-STP"}, {"audiences", "can_bo"}, {"audiences", "dan_toc"},
      {"language", "vi"}, {"summary", "Lớp tập huấn hai ngày cho hòa giải viên."},
      {"body", "## Nội dung\r\n\r\nHọc viên thực hành **kỹ năng lắng nghe**.\r\n\r\n![Học viên](/media/" + media_id +
                   "/w800.webp)\r\n\r\n<script>alert(1)</script>"},
      {"topics", "hòa giải, tập huấn"}, {"cover_media_id", media_id}};
  auto preview_form = form;
  preview_form.emplace_back("action", "preview");
  auto prev = editor.post_form("/quan-tri/noi-dung", preview_form);
  ASSERT_EQ(prev.status, 200);
  EXPECT_NE(prev.body.find("<strong>kỹ năng lắng nghe</strong>"), std::string::npos);
  EXPECT_EQ(prev.body.find("<script>alert(1)"), std::string::npos);
  EXPECT_EQ(count_items(), 0);
  auto created = editor.post_form("/quan-tri/noi-dung", form);
  ASSERT_EQ(created.status, 303) << created.body.substr(0, 600);
  int64_t id = id_from(created);
  auto page = editor.get("/quan-tri/noi-dung/" + std::to_string(id));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Bản nháp"), std::string::npos);
  auto submitted = editor.post_form("/quan-tri/noi-dung/" + std::to_string(id) + "/gui-duyet", {{"version", version_in(page.body)}});
  ASSERT_EQ(submitted.status, 303);
  // The editor cannot publish.
  page = editor.get("/quan-tri/noi-dung/" + std::to_string(id));
  auto forbidden = editor.post_form("/quan-tri/noi-dung/" + std::to_string(id) + "/xuat-ban", {{"version", version_in(page.body)}});
  EXPECT_EQ(forbidden.status, 403);

  auto approver = signed_in("duyet@stp.example", "approver", "AH-STP");
  page = approver.get("/quan-tri/noi-dung/" + std::to_string(id));
  EXPECT_NE(page.body.find("Chờ duyệt"), std::string::npos);
  auto published = approver.post_form("/quan-tri/noi-dung/" + std::to_string(id) + "/xuat-ban",
                                      {{"version", version_in(page.body)}, {"publish_at", ""}, {"unpublish_at", ""}});
  ASSERT_EQ(published.status, 303);
  app().jobs->drain();  // search index and speech

  Browser visitor(port());
  auto slug = item(id).slug;
  auto list = visitor.get("/chuyen-muc/tin-hoat-dong");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("/tin-tuc/" + slug), std::string::npos);
  auto found = visitor.get("/tim-kiem?q=" + http::percent_encode("hoa giai vien nam po"));
  ASSERT_EQ(found.status, 200);
  EXPECT_NE(found.body.find("/tin-tuc/" + slug), std::string::npos) << found.body.substr(0, 3000);
  auto item = visitor.get("/tin-tuc/" + slug);
  ASSERT_EQ(item.status, 200);
  EXPECT_NE(item.body.find("<h1>Tập huấn hòa giải viên xã Nậm Pồ</h1>"), std::string::npos);
  EXPECT_NE(item.body.find("Đơn vị đăng: <a href=\"/don-vi/AH-STP\">Sở Tư pháp tỉnh An Hòa</a>"), std::string::npos);
  EXPECT_NE(item.body.find("property=\"og:title\" content=\"Tập huấn hòa giải viên xã Nậm Pồ\""), std::string::npos);
  EXPECT_NE(item.body.find("property=\"og:image\""), std::string::npos);
  EXPECT_NE(item.body.find("alt=\"Học viên lớp tập huấn hòa giải tại xã Nậm Pồ\""), std::string::npos);
  EXPECT_EQ(item.body.find("<script>alert"), std::string::npos);
  EXPECT_NE(item.body.find("Thông tin này có hữu ích không?"), std::string::npos);
  // Nghe bài viết: a native audio element and a real Ogg Opus file behind it.
  EXPECT_NE(item.body.find("<audio controls preload=\"none\" src=\"/tin-tuc/" + slug + "/nghe\">"), std::string::npos);
  auto audio = visitor.get("/tin-tuc/" + slug + "/nghe");
  ASSERT_EQ(audio.status, 200);
  EXPECT_EQ(audio.header("content-type"), "audio/ogg");
  EXPECT_EQ(audio.body.substr(0, 4), "OggS");
  // Players seek with byte ranges (and learn the duration that way).
  auto part = visitor.get("/tin-tuc/" + slug + "/nghe", {{"Range", "bytes=0-99"}});
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.body.size(), 100u);
  EXPECT_EQ(part.header("content-range"), "bytes 0-99/" + std::to_string(audio.body.size()));
  auto tail = visitor.get("/tin-tuc/" + slug + "/nghe", {{"Range", "bytes=-10"}});
  EXPECT_EQ(tail.status, 206);
  EXPECT_EQ(tail.body, audio.body.substr(audio.body.size() - 10));
  EXPECT_EQ(visitor.get("/tin-tuc/" + slug + "/nghe", {{"Range", "bytes=999999999-"}}).status, 416);
  auto qr = visitor.get("/tin-tuc/" + slug + "/qr.svg");
  ASSERT_EQ(qr.status, 200);
  EXPECT_EQ(qr.header("content-type"), "image/svg+xml");
  auto thumb = visitor.get("/media/" + media_id + "/w320.webp");
  ASSERT_EQ(thumb.status, 200);
  EXPECT_EQ(thumb.body.substr(8, 4), "WEBP");
  auto print = visitor.get("/tin-tuc/" + slug + "?in=1");
  EXPECT_EQ(print.status, 200);
  EXPECT_EQ(print.body.find("Nghe bài viết"), std::string::npos);
  // Rate it.
  auto rated = visitor.post_form("/danh-gia", {{"path", "/tin-tuc/" + slug}, {"item_id", std::to_string(id)}, {"score", "5"},
                                               {"comment", "Rất thiết thực"}});
  ASSERT_EQ(rated.status, 303);
  EXPECT_EQ(rated.header("location"), "/tin-tuc/" + slug + "#danh-gia");
  auto thanks = visitor.get("/tin-tuc/" + slug);
  EXPECT_NE(thanks.body.find("Cảm ơn bạn đã đánh giá"), std::string::npos);
  // The rating shows on the admin chart.
  auto chart = approver.get("/quan-tri/danh-gia");
  ASSERT_EQ(chart.status, 200);
  EXPECT_NE(chart.body.find("<svg"), std::string::npos);
  EXPECT_NE(chart.body.find("Tổng cộng 1 lượt"), std::string::npos);
  EXPECT_NE(chart.body.find("100.0 %"), std::string::npos);
  EXPECT_NE(chart.body.find("Rất thiết thực"), std::string::npos);
  EXPECT_EQ(Browser(port()).get("/quan-tri/danh-gia").status, 401);
}

TEST_P(PortalHttp, ConflictingEditKeepsBothVersionsSafe) {
  auto a = signed_in("a@tanlap.example", "editor", "AH-XTANLAP");
  auto b = signed_in("b@tanlap.example", "editor", "AH-XTANLAP");
  a.get("/quan-tri/noi-dung/moi");
  std::vector<std::pair<std::string, std::string>> form = {{"title", "Lịch tiếp dân"}, {"kind", "tin_bai"}, {"category", "tin-hoat-dong"},
                                                           {"org_code", "AH-XTANLAP"}, {"body", "Bản đầu"}};
  auto created = a.post_form("/quan-tri/noi-dung", form);
  ASSERT_EQ(created.status, 303);
  const std::string path = "/quan-tri/noi-dung/" + std::to_string(id_from(created));
  auto pa = a.get(path), pb = b.get(path);
  std::string va = version_in(pa.body), vb = version_in(pb.body);
  ASSERT_EQ(va, vb);
  auto fa = form;
  fa[4].second = "Bản của A";
  fa.emplace_back("version", va);
  ASSERT_EQ(a.post_form(path, fa).status, 303);
  auto fb = form;
  fb[4].second = "Bản của B <script>alert(1)</script>";
  fb.emplace_back("version", vb);
  auto lost = b.post_form(path, fb);
  EXPECT_EQ(lost.status, 409);
  EXPECT_NE(lost.body.find("Xung đột chỉnh sửa"), std::string::npos);
  // B's text is still in B's form (escaped), A's is what is stored.
  EXPECT_NE(lost.body.find("Bản của B &lt;script&gt;"), std::string::npos);
  EXPECT_EQ(item(id_from(created)).body, "Bản của A");
  // A revision diff shows what changed.
  auto diff = a.get(path + "/phien-ban");
  ASSERT_EQ(diff.status, 200);
  EXPECT_NE(diff.body.find("<del>− Bản đầu</del>"), std::string::npos) << diff.body.substr(0, 2000);
  EXPECT_NE(diff.body.find("<ins>+ Bản của A</ins>"), std::string::npos);
}

TEST_P(PortalHttp, BadInputGetsAClearVietnamese4xx) {
  auto ed = signed_in("x@stp.example", "editor", "AH-STP");
  auto png = sample_png(40, 40);
  auto lying = upload(ed, "anh.jpg", *png, "x");
  EXPECT_EQ(lying.status, 415);
  EXPECT_NE(lying.body.find("nội dung là image/png"), std::string::npos);
  auto empty = upload(ed, "rong.png", "", "x");
  EXPECT_EQ(empty.status, 422);
  EXPECT_NE(empty.body.find("trống"), std::string::npos);
  auto corrupted = upload(ed, "hong.png", png->substr(0, png->size() - 30), "x");
  EXPECT_EQ(corrupted.status, 422);
  auto forged = upload(ed, "anh.png", *png, "x", "gia-mao");
  EXPECT_EQ(forged.status, 403);
  auto truncated = ed.send("POST", "/quan-tri/thu-vien", "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\nabc",
                           {{"Content-Type", "multipart/form-data; boundary=B"}});
  EXPECT_EQ(truncated.status, 400);
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM portal_media"), 0);
  Browser anon(port());
  EXPECT_EQ(anon.get("/quan-tri/noi-dung").status, 401);
  EXPECT_EQ(upload(anon, "anh.png", *png, "x").status, 401);
  // Forms: script payloads in every text field are stored as text and shown escaped.
  ed.get("/quan-tri/noi-dung/moi");
  auto bad_title = ed.post_form("/quan-tri/noi-dung", {{"title", "ab"}, {"kind", "tin_bai"}, {"category", "tin-hoat-dong"}});
  EXPECT_EQ(bad_title.status, 422);
  EXPECT_NE(bad_title.body.find("Tiêu đề phải có ít nhất 3 ký tự"), std::string::npos);
  auto bad_ref = ed.post_form("/quan-tri/noi-dung", {{"title", "Bài có liên kết hỏng"}, {"kind", "tin_bai"}, {"category", "tin-hoat-dong"},
                                                     {"legal_refs", "/van-ban/khong-co/dieu-9"}});
  EXPECT_EQ(bad_ref.status, 422);
  EXPECT_NE(bad_ref.body.find("Không tìm thấy điều khoản"), std::string::npos);
  // Public pages: unknown things are 404, bad paging is 400, a bad rating is explained.
  EXPECT_EQ(anon.get("/tin-tuc/khong-co-bai-nay").status, 404);
  EXPECT_EQ(anon.get("/chuyen-muc/khong-co").status, 404);
  EXPECT_EQ(anon.get("/doi-tuong/ai-do").status, 404);
  EXPECT_EQ(anon.get("/tin-tuc?trang=abc").status, 400);
  EXPECT_EQ(anon.get("/tin-tuc?trang=99").status, 404);
  EXPECT_EQ(anon.get("/media/999/goc.png").status, 404);
  anon.get("/tin-tuc");
  auto bad_score = anon.post_form("/danh-gia", {{"path", "/tin-tuc"}, {"score", "9"}});
  EXPECT_EQ(bad_score.status, 303);
  EXPECT_NE(anon.get("/tin-tuc").body.find("Hãy chọn mức đánh giá từ 1"), std::string::npos);
  // A rating posted from another site (a forged form) is refused; anonymous forms carry no token.
  auto cross = Browser(port()).send("POST", "/danh-gia", "path=%2F&score=5",
                                    {{"Content-Type", "application/x-www-form-urlencoded"},
                                     {"Sec-Fetch-Site", "cross-site"}, {"Origin", "http://evil.example"}});
  EXPECT_EQ(cross.status, 403);
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM portal_ratings"), 0);
}

TEST_P(PortalHttp, SampleContentFeedsSitemapAndPageWeight) {
  auto rep = app().load_sample();
  ASSERT_TRUE(rep.ok()) << rep.error().message;
  EXPECT_EQ(rep->items_created, 8);
  EXPECT_EQ(app().load_sample()->items_created, 0);  // idempotent
  Browser v(port());
  auto news = v.get("/tin-tuc");
  ASSERT_EQ(news.status, 200);
  EXPECT_NE(news.body.find("Tỉnh An Hòa tập huấn kỹ năng hòa giải"), std::string::npos);
  EXPECT_NE(news.body.find("application/rss+xml"), std::string::npos);
  auto materials = v.get("/tai-lieu");
  for (const char* f : {"Sổ tay điện tử", "Tờ gấp điện tử", "Infographic", "Audio, podcast", "Tình huống pháp lý", "Bài giảng điện tử"})
    EXPECT_NE(materials.body.find(f), std::string::npos) << f;
  // Sổ tay: three pages.
  auto handbook = v.get("/tai-lieu/" + slug_base("Sổ tay hòa giải viên ở cơ sở"));
  ASSERT_EQ(handbook.status, 200);
  EXPECT_NE(handbook.body.find("Trang 1/3"), std::string::npos);
  EXPECT_NE(handbook.body.find("/van-ban/"), std::string::npos);  // links to the library's provisions
  // Podcast: the uploaded recording with its transcript.
  auto podcast_slug = svc().view(slug_base("Podcast – Năm điều cần biết trước khi ký hợp đồng lao động"), true).value()->item.slug;
  auto podcast = v.get("/tai-lieu/" + podcast_slug);
  EXPECT_NE(podcast.body.find("Lời của bản ghi âm"), std::string::npos);
  // Feeds per category and unit.
  auto rss = v.get("/chuyen-muc/tin-hoat-dong/rss.xml");
  ASSERT_EQ(rss.status, 200);
  EXPECT_EQ(rss.header("content-type"), "application/rss+xml; charset=utf-8");
  EXPECT_NE(rss.body.find("<item><title>Tỉnh An Hòa tập huấn"), std::string::npos);
  auto atom = v.get("/don-vi/AH-XTANLAP/atom.xml");
  ASSERT_EQ(atom.status, 200);
  EXPECT_NE(atom.body.find("<entry><title>Xã Tân Lập mở"), std::string::npos);
  EXPECT_EQ(atom.body.find("hòa giải cho 120"), std::string::npos);  // another unit's news
  auto sitemap = v.get("/sitemap.xml");
  EXPECT_NE(sitemap.body.find("/tai-lieu/" + podcast_slug + "</loc>"), std::string::npos);
  EXPECT_EQ(v.get("/doi-tuong/khuyet_tat").body.find(podcast_slug) != std::string::npos, true);
  // The home page is the portal's: featured items, entry points per audience, materials,
  // new legal documents, the platform's sections.
  auto home = v.get("/");
  ASSERT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("<h2 id=\"noi-bat\">Nổi bật</h2>"), std::string::npos);
  EXPECT_NE(home.body.find("/tai-lieu/" + slug_base("Sổ tay hòa giải viên ở cơ sở")), std::string::npos);
  EXPECT_NE(home.body.find("href=\"/doi-tuong/dan_toc\""), std::string::npos);
  EXPECT_NE(home.body.find("Văn bản pháp luật mới"), std::string::npos);
  EXPECT_NE(home.body.find("05/2026/NQ-HĐND"), std::string::npos);
  EXPECT_NE(home.body.find("Dịch vụ trên cổng"), std::string::npos);
  EXPECT_NE(home.body.find("Thông tin này có hữu ích không?"), std::string::npos);
  auto units = v.get("/don-vi");
  EXPECT_NE(units.body.find("/don-vi/AH-XNAMPO"), std::string::npos);
  // ≤ 50 KB of HTML+CSS+JS on the pages people land on.
  for (const std::string& p : std::vector<std::string>{"/", "/tin-tuc", "/tai-lieu", "/tai-lieu/" + podcast_slug, "/tim-kiem?q=hoa+giai", "/don-vi", "/chuyen-muc/tin-hoat-dong"}) {
    auto r = v.get(p);
    ASSERT_EQ(r.status, 200) << p;
    EXPECT_LE(static_weight(r.body), 50u * 1024) << p;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, PortalHttp, ::testing::ValuesIn(pbgdpl::testing::backends()));

}  // namespace
}  // namespace pbgdpl::portal
