// portal::Service on both backends: the editorial workflow per organization, optimistic
// locking, scheduled publishing, media rules, translations, ratings, search and speech.
#include "portal/service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <atomic>
#include <fstream>
#include <thread>

#include "core/time.h"
#include "fixture.h"
#include "portal/sample.h"

namespace pbgdpl::portal {
namespace {

using testdata::PortalTest;
namespace fs = std::filesystem;

class PortalService : public PortalTest {};

TEST_P(PortalService, UnitWritesSubmitsAndItsApproverPublishesUnderTheUnitsName) {
  auto editor = person("bien.tap@tanlap.example", "editor", "AH-XTANLAP");
  auto approver = person("duyet@tanlap.example", "approver", "AH-XTANLAP");
  auto other_editor = person("bien.tap@dongson.example", "editor", "AH-XDONGSON");
  auto it = svc().create(editor, actor(editor), news("Xã Tân Lập ra mắt tủ sách pháp luật"));
  ASSERT_TRUE(it.ok()) << it.error().message;
  EXPECT_EQ(it->status, "draft");
  EXPECT_EQ(it->version, 1);
  EXPECT_EQ(it->org_name, "Xã Tân Lập");
  EXPECT_EQ(it->slug, "xa-tan-lap-ra-mat-tu-sach-phap-luat");
  // Drafts are not public.
  EXPECT_FALSE(svc().view(it->slug)->has_value());
  // An editor cannot publish; another commune cannot touch it.
  auto self_publish = svc().publish(editor, actor(editor), it->id, it->version, {});
  ASSERT_FALSE(self_publish.ok());
  EXPECT_EQ(self_publish.error().code, core::ErrorCode::Forbidden);
  auto foreign = svc().update(other_editor, actor(other_editor), it->id, it->version, news("Sửa trộm"));
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, core::ErrorCode::Forbidden);
  // Writing for another unit is refused too.
  auto elsewhere = svc().create(editor, actor(editor), news("Tin của xã khác", "AH-XDONGSON"));
  ASSERT_FALSE(elsewhere.ok());
  EXPECT_EQ(elsewhere.error().code, core::ErrorCode::Forbidden);

  auto sub = svc().submit(editor, actor(editor), it->id, it->version);
  ASSERT_TRUE(sub.ok()) << sub.error().message;
  EXPECT_EQ(sub->status, "submitted");
  // Submitted: the editor can no longer change it; the approver can send it back.
  auto late_edit = svc().update(editor, actor(editor), it->id, sub->version, news("Xã Tân Lập ra mắt tủ sách"));
  ASSERT_FALSE(late_edit.ok());
  EXPECT_EQ(late_edit.error().code, core::ErrorCode::Forbidden);
  auto no_reason = svc().reject(approver, actor(approver), it->id, sub->version, "  ");
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.error().field, "note");
  auto back = svc().reject(approver, actor(approver), it->id, sub->version, "Bổ sung số lượng đầu sách.");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->status, "draft");
  EXPECT_EQ(back->review_note, "Bổ sung số lượng đầu sách.");
  auto in = news("Xã Tân Lập ra mắt tủ sách pháp luật");
  in.body += "\n\nTủ sách có 350 đầu sách.";
  auto edited = svc().update(editor, actor(editor), it->id, back->version, in, "bổ sung số sách");
  ASSERT_TRUE(edited.ok()) << edited.error().message;
  auto sub2 = svc().submit(editor, actor(editor), it->id, edited->version);
  ASSERT_TRUE(sub2.ok()) << sub2.error().message;
  auto pub = svc().publish(approver, actor(approver), it->id, sub2->version, {});
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  EXPECT_EQ(pub->status, "published");
  ASSERT_TRUE(pub->published_at.has_value());
  auto v = svc().view(it->slug);
  ASSERT_TRUE(v.ok() && v->has_value());
  EXPECT_EQ((*v)->item.org_name, "Xã Tân Lập");
  ListQuery q;
  q.org_code = "AH-XTANLAP";
  EXPECT_EQ(svc().list(q)->total, 1);
  q.org_code = "AH-XDONGSON";
  EXPECT_EQ(svc().list(q)->total, 0);
  // The province's approver (whole subtree) may act on the commune's item too.
  auto province = person("duyet@stp.example", "approver", "AH");
  auto down = svc().unpublish(province, actor(province), it->id, pub->version);
  ASSERT_TRUE(down.ok()) << down.error().message;
  EXPECT_FALSE(svc().view(it->slug)->has_value());
  // Revisions: created, edited (the reject/submit/publish steps change no text).
  auto revs = svc().revisions(it->id);
  ASSERT_EQ(revs->size(), 2u);
  EXPECT_EQ((*revs)[0].note, "bổ sung số sách");
  // Every step is in the audit log.
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM audit_log WHERE entity = 'portal_item' AND entity_id = '" +
                                   std::to_string(it->id) + "'"),
            7);
}

TEST_P(PortalService, ConcurrentEditsConflictInsteadOfOverwriting) {
  auto a = person("a@tanlap.example", "editor", "AH-XTANLAP");
  auto b = person("b@tanlap.example", "editor", "AH-XTANLAP");
  auto it = svc().create(a, actor(a), news("Lịch tiếp công dân tháng 12"));
  ASSERT_TRUE(it.ok());
  // Both open version 1.
  auto in_a = news("Lịch tiếp công dân tháng 12");
  in_a.body = "Thứ Hai và thứ Năm hằng tuần.";
  auto in_b = news("Lịch tiếp công dân tháng 12");
  in_b.body = "Chỉ thứ Sáu.";
  auto saved = svc().update(a, actor(a), it->id, 1, in_a);
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->version, 2);
  auto lost = svc().update(b, actor(b), it->id, 1, in_b);
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().code, core::ErrorCode::Conflict);
  EXPECT_NE(lost.error().message.find("phiên bản 2"), std::string::npos) << lost.error().message;
  EXPECT_NE(lost.error().message.find("không ghi đè"), std::string::npos);
  auto now = svc().get(it->id);
  EXPECT_EQ((*now)->body, "Thứ Hai và thứ Năm hằng tuần.");
  EXPECT_EQ((*now)->version, 2);
  EXPECT_EQ(svc().revisions(it->id)->size(), 2u);
  // Workflow steps check the version too.
  auto stale_submit = svc().submit(b, actor(b), it->id, 1);
  ASSERT_FALSE(stale_submit.ok());
  EXPECT_EQ(stale_submit.error().code, core::ErrorCode::Conflict);
  // Racing writers: exactly one of N concurrent saves of version 2 wins.
  std::vector<std::thread> threads;
  std::atomic<int> wins{0}, conflicts{0};
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      auto in = news("Lịch tiếp công dân tháng 12");
      in.body = "Phiên bản của người " + std::to_string(i);
      auto r = svc().update(a, actor(a), it->id, 2, in);
      if (r.ok()) ++wins;
      else if (r.error().code == core::ErrorCode::Conflict) ++conflicts;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wins.load(), 1);
  EXPECT_EQ(conflicts.load(), 3);
  EXPECT_EQ(item(it->id).version, 3);
}

TEST_P(PortalService, ScheduledPublishAndUnpublishRunAsJobs) {
  auto ed = person("ed@stp.example", "editor", "AH-STP");
  auto ap = person("ap@stp.example", "approver", "AH-STP");
  auto it = svc().create(ed, actor(ed), news("Thông báo lịch trợ giúp pháp lý lưu động", "AH-STP"));
  ASSERT_TRUE(it.ok());
  auto sub = svc().submit(ed, actor(ed), it->id, it->version);
  ASSERT_TRUE(sub.ok());
  const int64_t now = core::now_ms();
  PublishOptions past;
  past.publish_at = now - 3600'000;
  auto p = svc().publish(ap, actor(ap), it->id, sub->version, past);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().field, "publish_at");
  EXPECT_NE(p.error().message.find("đã qua"), std::string::npos);
  PublishOptions backwards;
  backwards.publish_at = now + 5000;
  backwards.unpublish_at = now + 4000;
  EXPECT_EQ(svc().publish(ap, actor(ap), it->id, sub->version, backwards).error().field, "unpublish_at");

  PublishOptions o;
  o.publish_at = now + 1200;
  o.unpublish_at = now + 2400;
  auto sched = svc().publish(ap, actor(ap), it->id, sub->version, o);
  ASSERT_TRUE(sched.ok()) << sched.error().message;
  EXPECT_EQ(sched->status, "approved");
  app().jobs->drain();
  EXPECT_FALSE(svc().view(it->slug)->has_value()) << "published before its time";
  std::this_thread::sleep_for(std::chrono::milliseconds(1400));
  app().jobs->drain();
  auto live = svc().get(it->id);
  EXPECT_EQ((*live)->status, "published");
  EXPECT_TRUE(svc().view(it->slug)->has_value());
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  app().jobs->drain();
  EXPECT_EQ(item(it->id).status, "unpublished");
  EXPECT_FALSE(svc().view(it->slug)->has_value());
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'portal.item.scheduled_%'"), 2);
}

TEST_P(PortalService, ImagesNeedAltTextAndUploadsAreAllOrNothing) {
  auto ed = person("anh@stp.example", "editor", "AH-STP");
  auto ap = person("duyet.anh@stp.example", "approver", "AH-STP");
  auto png = sample_png(640, 360);
  ASSERT_TRUE(png.ok());
  auto img = svc().upload(ed, actor(ed), "hoi-nghi.png", *png, "", "", "AH-STP");
  ASSERT_TRUE(img.ok()) << img.error().message;
  EXPECT_EQ(img->width, 640);
  for (const char* v : {"", "w320", "w800"}) EXPECT_TRUE(fs::exists(svc().media_file(*img, v))) << v;
  // The same bytes again: the same library entry, no second file.
  auto again = svc().upload(ed, actor(ed), "hoi-nghi-2.png", *png, "", "", "AH-STP");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, img->id);

  auto in = news("Hội nghị triển khai Luật Phổ biến, giáo dục pháp luật", "AH-STP");
  in.cover_media_id = img->id;
  auto it = svc().create(ed, actor(ed), in);
  ASSERT_TRUE(it.ok()) << it.error().message;
  auto sub = svc().submit(ed, actor(ed), it->id, it->version);
  ASSERT_FALSE(sub.ok());
  EXPECT_NE(sub.error().message.find("mô tả thay thế"), std::string::npos) << sub.error().message;
  ASSERT_TRUE(svc().update_media(ed, actor(ed), img->id, "Quang cảnh hội nghị tại hội trường Sở Tư pháp", "").ok());
  auto sub2 = svc().submit(ed, actor(ed), it->id, it->version);
  ASSERT_TRUE(sub2.ok()) << sub2.error().message;
  ASSERT_TRUE(svc().publish(ap, actor(ap), it->id, sub2->version, {}).ok());

  // Bad uploads store nothing: no row, no file.
  const int64_t rows = count_rows("SELECT COUNT(*) FROM portal_media");
  size_t files = 0;
  for (auto& e : fs::recursive_directory_iterator(svc().options().data_dir + "/media")) files += e.is_regular_file();
  EXPECT_FALSE(svc().upload(ed, actor(ed), "anh.jpg", *png, "x", "", "AH-STP").ok());        // lying extension
  EXPECT_FALSE(svc().upload(ed, actor(ed), "rong.png", "", "x", "", "AH-STP").ok());          // empty
  EXPECT_FALSE(svc().upload(ed, actor(ed), "hong.png", png->substr(0, 300), "x", "", "AH-STP").ok());  // corrupted
  auto other = svc().upload(ed, actor(ed), "xa.png", *png, "x", "", "AH-XTANLAP");            // not their unit
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, core::ErrorCode::Forbidden);
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM portal_media"), rows);
  size_t files_after = 0;
  for (auto& e : fs::recursive_directory_iterator(svc().options().data_dir + "/media")) files_after += e.is_regular_file();
  EXPECT_EQ(files_after, files);

  // Materials in audio format need a sound file with its transcript.
  auto pod = news("Podcast pháp luật số 1", "AH-STP");
  pod.kind = "tai_lieu";
  pod.format = "audio";
  auto p = svc().create(ed, actor(ed), pod);
  ASSERT_TRUE(p.ok()) << p.error().message;
  auto no_audio = svc().submit(ed, actor(ed), p->id, p->version);
  ASSERT_FALSE(no_audio.ok());
  EXPECT_NE(no_audio.error().message.find("tệp âm thanh"), std::string::npos);
}

TEST_P(PortalService, ValidationNamesTheField) {
  auto ed = person("v@stp.example", "editor", "AH-STP");
  auto bad = [&](ItemInput in, const std::string& field) {
    auto r = svc().create(ed, actor(ed), in);
    ASSERT_FALSE(r.ok()) << field;
    EXPECT_EQ(r.error().field, field) << r.error().message;
    EXPECT_FALSE(r.error().message.empty());
  };
  auto in = news("ab", "AH-STP");
  bad(in, "title");
  in = news("Tiêu đề đủ dài", "AH-STP");
  in.title += "\x01";
  bad(in, "title");
  in = news("Tiêu đề đủ dài", "AH-STP");
  in.category = "khong-co";
  bad(in, "category");
  in = news("Tiêu đề đủ dài", "AH-STP");
  in.audiences = {"nguoi_ngoai_hanh_tinh"};
  bad(in, "audiences");
  in = news("Tiêu đề đủ dài", "AH-STP");
  in.legal_refs = {"https://evil.example/"};
  bad(in, "legal_refs");
  in = news("Tiêu đề đủ dài", "AH-STP");
  in.legal_refs = {"/van-ban/van-ban-khong-ton-tai/dieu-1"};
  bad(in, "legal_refs");
  in = news("Tiêu đề đủ dài", "AH-STP");
  in.media_url = "javascript:alert(1)";
  bad(in, "media_url");
  in = news("Tiêu đề đủ dài", "AH-STP");
  in.cover_media_id = 987654;
  bad(in, "media_ids");
  in = news("Tiêu đề đủ dài", "AH-STP");
  in.kind = "tai_lieu";
  in.format = "bai_viet";
  bad(in, "format");
  in = news("Tiêu đề đủ dài", "AH-STP");
  in.body = "\xC3\x28";
  bad(in, "body");
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM portal_items"), 0);
}

TEST_P(PortalService, TranslationsLinkToTheirSource) {
  auto ed = person("dich@stp.example", "editor", "AH-STP");
  auto ap = person("duyet.dich@stp.example", "approver", "AH-STP");
  auto publish = [&](const ItemInput& in) {
    auto it = svc().create(ed, actor(ed), in);
    EXPECT_TRUE(it.ok()) << it.error().message;
    auto s = svc().submit(ed, actor(ed), it->id, it->version);
    auto p = svc().publish(ap, actor(ap), it->id, s->version, {});
    EXPECT_TRUE(p.ok());
    return *p;
  };
  auto src = publish(news("Quyền được trợ giúp pháp lý miễn phí", "AH-STP"));
  auto tr = news("Txoj cai tau kev pab cuam kev cai lij choj dawb", "AH-STP");
  tr.language = "hmong";
  tr.source_id = src.id;
  tr.audiences = {"dan_toc"};
  auto t = publish(tr);
  auto v = svc().view(src.slug);
  ASSERT_TRUE(v.ok() && v->has_value());
  ASSERT_EQ((*v)->translations.size(), 1u);
  EXPECT_EQ((*v)->translations[0].language, "hmong");
  auto tv = svc().view(t.slug);
  ASSERT_TRUE((*tv)->source.has_value());
  EXPECT_EQ((*tv)->source->id, src.id);
  // Same language as the source, or a translation of a translation: refused.
  auto same = news("Bản dịch cùng ngôn ngữ", "AH-STP");
  same.source_id = src.id;
  EXPECT_EQ(svc().create(ed, actor(ed), same).error().field, "language");
  auto chain = news("Bản dịch của bản dịch", "AH-STP");
  chain.language = "tay";
  chain.source_id = t.id;
  EXPECT_EQ(svc().create(ed, actor(ed), chain).error().field, "source_id");
  ListQuery q;
  q.language = "hmong";
  EXPECT_EQ(svc().list(q)->total, 1);
  q = {};
  q.audience = "dan_toc";
  EXPECT_EQ(svc().list(q)->total, 1);
}

TEST_P(PortalService, RatingsAreLimitedAndAggregated) {
  auto ed = person("r@stp.example", "editor", "AH-STP");
  auto ap = person("r.ap@stp.example", "approver", "AH-STP");
  auto it = svc().create(ed, actor(ed), news("Hỏi đáp về đăng ký kết hôn", "AH-STP"));
  auto s = svc().submit(ed, actor(ed), it->id, it->version);
  ASSERT_TRUE(svc().publish(ap, actor(ap), it->id, s->version, {}).ok());
  accounts::Actor anon;
  anon.name = "anonymous";
  auto rate = [&](const std::string& ip, const std::string& score, const std::string& path, std::optional<int64_t> id = {}) {
    RatingInput in;
    in.path = path;
    in.item_id = id;
    in.score = score;
    in.client = ip;
    in.comment = "<script>alert(1)</script> rất dễ hiểu";
    return svc().rate(anon, in);
  };
  const std::string path = "/tin-tuc/" + it->slug;
  EXPECT_TRUE(rate("10.0.0.1", "5", path, it->id).ok());
  EXPECT_TRUE(rate("10.0.0.2", "4", path, it->id).ok());
  EXPECT_TRUE(rate("10.0.0.3", "2", path, it->id).ok());
  EXPECT_TRUE(rate("10.0.0.4", "5", "/tin-tuc").ok());
  for (const char* bad : {"0", "6", "", "5 ", "abc", "-1"}) EXPECT_EQ(rate("10.0.0.9", bad, "/").error().field, "score") << bad;
  EXPECT_EQ(rate("10.0.0.9", "4", "//evil.example").error().field, "path");
  EXPECT_EQ(rate("10.0.0.9", "4", "/x", 987654).error().code, core::ErrorCode::NotFound);
  // Twice the same page in a day: thanked, not counted.
  EXPECT_EQ(rate("10.0.0.1", "1", path, it->id).error().code, core::ErrorCode::Conflict);
  // One client, many pages: limited per hour.
  int ok = 0;
  core::Status last;
  for (int i = 0; i < 25; ++i) {
    last = rate("10.0.0.50", "5", "/trang-" + std::to_string(i));
    ok += last.ok();
  }
  EXPECT_EQ(ok, 20);
  EXPECT_EQ(last.error().code, core::ErrorCode::TooManyRequests);
  auto rep = svc().rating_report(ap);
  ASSERT_TRUE(rep.ok()) << rep.error().message;
  EXPECT_EQ(rep->total.count, 24);
  EXPECT_EQ(rep->total.satisfied, 23);
  ASSERT_EQ(rep->by_month.size(), 1u);
  bool found = false;
  for (const auto& s : rep->by_item)
    if (s.key == path) {
      found = true;
      EXPECT_EQ(s.count, 3);
      EXPECT_NEAR(s.average, 11.0 / 3, 1e-9);
      EXPECT_EQ(s.label, "Hỏi đáp về đăng ký kết hôn");
    }
  EXPECT_TRUE(found);
  bool unit = false;
  for (const auto& s : rep->by_org) unit |= s.key == "AH-STP" && s.count == 3;
  EXPECT_TRUE(unit);
  // Citizens cannot read the report; the client's address is not stored.
  EXPECT_EQ(svc().rating_report(http::Principal{}).error().code, core::ErrorCode::Forbidden);
  EXPECT_EQ(count_rows("SELECT COUNT(*) FROM portal_ratings WHERE client LIKE '10.%'"), 0);
}

TEST_P(PortalService, PublishedItemsAreFoundAndReadAloud) {
  auto ed = person("s@stp.example", "editor", "AH-STP");
  auto ap = person("s.ap@stp.example", "approver", "AH-STP");
  auto in = news("Hướng dẫn đăng ký thường trú cho người lao động", "AH-STP");
  in.body = "Người lao động thuê nhà có thể đăng ký thường trú khi có chỗ ở hợp pháp.";
  auto it = svc().create(ed, actor(ed), in);
  auto s = svc().submit(ed, actor(ed), it->id, it->version);
  auto p = svc().publish(ap, actor(ap), it->id, s->version, {});
  ASSERT_TRUE(p.ok());
  app().jobs->drain();
  auto hits = svc().search("dang ky thuong tru", "", 0, 10);  // typed without accents
  ASSERT_TRUE(hits.ok()) << hits.error().message;
  ASSERT_GE(hits->hits.size(), 1u);
  EXPECT_NE(hits->hits[0].payload.find(it->slug), std::string::npos);
  // Speech: espeak-ng → Opus, cached by the text's hash.
  auto live = svc().get(it->id);
  ASSERT_FALSE((*live)->tts_path.empty());
  auto file = svc().tts_file((*live)->tts_path);
  ASSERT_TRUE(fs::exists(file));
  EXPECT_GT(fs::file_size(file), 2000u);
  std::ifstream f(file, std::ios::binary);
  char magic[4];
  f.read(magic, 4);
  EXPECT_EQ(std::string(magic, 4), "OggS");
  auto mtime = fs::last_write_time(file);
  ASSERT_TRUE(svc().synthesize(it->id).ok());
  EXPECT_EQ(fs::last_write_time(file), mtime) << "unchanged text was rendered again";
  auto down = svc().unpublish(ap, actor(ap), it->id, p->version);
  ASSERT_TRUE(down.ok());
  app().jobs->drain();
  EXPECT_TRUE(svc().search("dang ky thuong tru", "", 0, 10)->hits.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, PortalService, ::testing::ValuesIn(pbgdpl::testing::backends()));

}  // namespace
}  // namespace pbgdpl::portal
