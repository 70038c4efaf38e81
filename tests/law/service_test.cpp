// law::Service on both backends through a whole App (database, job queue, search index):
// idempotent import keeps a document's address, edits become dated versions readable "as
// at" a date, status history and relations show on both sides, unpublishing hides a
// document from readers and from search, search defaults to documents in force, and every
// write is in a verifiable audit log.
#include "law/service.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <set>

#include "fixture.h"
#include "law/importer.h"
#include "law/parser.h"
#include "support.h"

namespace pbgdpl::law {
namespace {

using pbgdpl::testing::TestServer;
namespace td = testdata;

std::string all_text(const std::vector<Node>& nodes) {
  std::string out;
  for (const auto& n : nodes) out += n.title + "\n" + n.text + "\n" + all_text(n.children);
  return out;
}

class LawService : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(GetParam());
    actor_.name = "kiểm thử";
  }
  app::App& app() { return server_->app(); }
  Service& law() { return *app().law; }
  ImportResult import(const std::string& text, const std::string& key, const std::string& status = "") {
    auto in = td::input_of(text, key);
    if (!status.empty()) in.meta.status = status;
    auto r = law().import(actor_, in);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : ImportResult{};
  }
  View view(const std::string& slug, const std::string& as_at = "", bool unpublished = false) {
    auto v = law().view(slug, as_at, unpublished);
    EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().message);
    EXPECT_TRUE(v.ok() && v->has_value()) << slug << " not visible";
    return v.ok() && v->has_value() ? **v : View{};
  }
  /// Ids ("<doc>#<article>") found by a search, after the index jobs ran.
  std::vector<std::string> found(const std::string& q, bool all_statuses = false, const std::string& level = "article") {
    app().jobs->drain();
    SearchRequest r;
    r.q = q;
    r.all_statuses = all_statuses;
    r.level = level;
    auto res = law().search(r);
    EXPECT_TRUE(res.ok()) << (res.ok() ? "" : res.error().message);
    std::vector<std::string> out;
    if (res.ok())
      for (const auto& h : res->hits) out.push_back(h.id);
    return out;
  }
  std::vector<accounts::AuditEntry> audit() {
    auto page = app().accounts->audit_page(accounts::Service::system_principal(), 0, 200, "law_document");
    EXPECT_TRUE(page.ok()) << (page.ok() ? "" : page.error().message);
    return page.ok() ? *page : std::vector<accounts::AuditEntry>{};
  }
  std::unique_ptr<TestServer> server_;
  accounts::Actor actor_;
};

TEST_P(LawService, ImportIsIdempotentAndKeepsTheAddress) {
  auto first = import(td::kLawV1, "test:thu-vien");
  ASSERT_EQ(first.outcome, ImportOutcome::Created);
  EXPECT_GT(first.id, 0);
  EXPECT_EQ(first.articles, 3u);
  EXPECT_EQ(first.slug, "luat-thu-vien-cong-dong-77-2025-qh15");
  auto d = law().get(first.id);
  ASSERT_TRUE(d.ok() && d->has_value());
  EXPECT_EQ((*d)->title, "Luật Thư viện cộng đồng");
  EXPECT_EQ((*d)->number, "77/2025/QH15");
  EXPECT_EQ((*d)->issued_on, "2025-06-12");
  EXPECT_EQ((*d)->doc_type, "luat");

  auto again = import(td::kLawV1, "test:thu-vien");
  EXPECT_EQ(again.outcome, ImportOutcome::Unchanged);
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(again.slug, first.slug);
  auto ver = law().view(first.slug, "", false);
  ASSERT_TRUE(ver.ok() && ver->has_value());
  EXPECT_EQ((*ver)->versions.size(), 1u) << "an unchanged re-import adds no version";

  auto changed = import(td::kLawV2, "test:thu-vien");
  EXPECT_EQ(changed.outcome, ImportOutcome::Updated);
  EXPECT_EQ(changed.id, first.id);
  EXPECT_EQ(changed.slug, first.slug);
  auto v = view(first.slug);
  EXPECT_NE(all_text(v.content.body).find("loa truyền thanh"), std::string::npos);
  // The changed text is what search finds.
  auto hits = found("sách nói qua loa truyền thanh");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0], std::to_string(first.id) + "#2");

  // A corrected signer alone is a change too (the reading page shows it).
  auto in_signer = td::input_of(td::kLawV2, "test:thu-vien");
  EXPECT_EQ(in_signer.meta.signer, "Nguyễn Văn Thử");
  in_signer.meta.signer = "Trần Thị Ký";
  auto signer = law().import(actor_, in_signer);
  ASSERT_TRUE(signer.ok());
  EXPECT_EQ(signer->outcome, ImportOutcome::Updated);
  EXPECT_EQ(view(first.slug).doc.signer, "Trần Thị Ký");

  // Another document with the same title gets its own address.
  auto in = td::input_of(td::kLawV1, "test:ban-sao");
  in.meta.number = "";
  auto other = law().import(actor_, in);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->id, first.id);
  EXPECT_NE(other->slug, first.slug);
}

TEST_P(LawService, InvalidImportsAreRejectedWithTheField) {
  auto in = td::input_of(td::kLawV1, "test:x");
  in.meta.title = "A";
  auto r = law().import(actor_, in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::Validation);
  EXPECT_EQ(r.error().field, "title");
  in = td::input_of(td::kLawV1, "test:x");
  in.meta.issued_on = "2025-13-40";
  r = law().import(actor_, in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "issued_on");
  in = td::input_of(td::kLawV1, "test:x");
  in.meta.status = "khong_ro";
  EXPECT_FALSE(law().import(actor_, in).ok());
  // Nothing half-written.
  auto list = law().list("", "", 0, 100, true);
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());

  DocumentMeta m;
  m.title = "Quyết định thử";
  m.doc_type = "quyet_dinh";
  auto bad_text = law().create(actor_, m, std::string("Điều 1. \xff\xfe"));
  ASSERT_FALSE(bad_text.ok());
  EXPECT_EQ(bad_text.error().code, core::ErrorCode::InvalidUtf8);
  auto empty = law().create(actor_, m, "   \n ");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().field, "text");
}

TEST_P(LawService, UpdateMakesADatedVersionReadableAsAtADate) {
  DocumentMeta m;
  m.title = "Quyết định về tủ sách xã";
  m.doc_type = "quyet_dinh";
  m.number = "09/2025/QĐ-UBND";
  m.issued_on = "2025-03-01";
  auto d = law().create(actor_, m, "Điều 1. Tủ sách\nMỗi xã có một tủ sách.\n\nĐiều 2. Hiệu lực\nCó hiệu lực từ ngày ký.");
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_TRUE(d->published);
  auto up = law().update(actor_, d->id, m,
                         "Điều 1. Tủ sách\nMỗi xã có hai tủ sách và một góc đọc điện tử.\n\nĐiều 2. Hiệu lực\nCó hiệu lực từ ngày ký.",
                         "2026-01-01");
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_EQ(up->slug, d->slug);

  auto before = view(d->slug, "2025-12-31");
  EXPECT_NE(all_text(before.content.body).find("một tủ sách"), std::string::npos);
  EXPECT_EQ(all_text(before.content.body).find("góc đọc điện tử"), std::string::npos);
  EXPECT_EQ(before.version_from, "");
  auto on = view(d->slug, "2026-01-01");
  EXPECT_NE(all_text(on.content.body).find("góc đọc điện tử"), std::string::npos);
  EXPECT_EQ(on.version_from, "2026-01-01");
  auto latest = view(d->slug);
  EXPECT_NE(all_text(latest.content.body).find("góc đọc điện tử"), std::string::npos);
  EXPECT_EQ(latest.versions.size(), 2u);

  auto bad = law().view(d->slug, "31/12/2025", false);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, core::ErrorCode::Validation);
  auto bad_from = law().update(actor_, d->id, m, "Điều 1. X\nY", "mai");
  ASSERT_FALSE(bad_from.ok());
  EXPECT_EQ(bad_from.error().field, "valid_from");
  auto missing = law().update(actor_, 999999, m, "", "");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::NotFound);
  // Search sees the latest text.
  auto hits = found("góc đọc điện tử");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0], std::to_string(d->id) + "#1");
}

TEST_P(LawService, StatusHistoryAndRelationsOnBothSides) {
  auto law_doc = import(td::kLawV1, "test:thu-vien");
  auto decree = import(td::kDecree, "test:tu-sach");
  ASSERT_TRUE(law().set_status(actor_, decree.id, "het_hieu_luc_mot_phan", "2026-02-01", "Điều 2 bị bãi bỏ").ok());
  auto v = view(decree.slug);
  EXPECT_EQ(v.doc.status, "het_hieu_luc_mot_phan");
  ASSERT_EQ(v.history.size(), 2u);
  std::set<std::string> statuses;
  for (const auto& h : v.history) statuses.insert(h.status);
  EXPECT_TRUE(statuses.count("con_hieu_luc") && statuses.count("het_hieu_luc_mot_phan"));
  bool noted = false;
  for (const auto& h : v.history) noted |= h.since == "2026-02-01" && h.note == "Điều 2 bị bãi bỏ";
  EXPECT_TRUE(noted);
  EXPECT_FALSE(law().set_status(actor_, decree.id, "dang_xem", "", "").ok());
  EXPECT_FALSE(law().set_status(actor_, decree.id, "het_hieu_luc", "hôm qua", "").ok());

  // The law replaces the decree (by số ký hiệu); both sides show it with the right label.
  ASSERT_TRUE(law().relate(actor_, law_doc.id, "31/2025/NĐ-CP", "thay_the", "Thay thế toàn bộ").ok());
  auto from = view(law_doc.slug);
  ASSERT_EQ(from.relations.size(), 1u);
  EXPECT_EQ(from.relations[0].label, "Thay thế");
  EXPECT_EQ(from.relations[0].other_id, decree.id);
  EXPECT_EQ(from.relations[0].other_slug, decree.slug);
  EXPECT_EQ(from.relations[0].note, "Thay thế toàn bộ");
  auto to = view(decree.slug);
  ASSERT_EQ(to.relations.size(), 1u);
  EXPECT_EQ(to.relations[0].label, "Bị thay thế bởi");
  EXPECT_EQ(to.relations[0].other_id, law_doc.id);
  EXPECT_EQ(to.relations[0].other_title, "Luật Thư viện cộng đồng");

  // By slug too; and the mistakes people make are refused with a reason.
  ASSERT_TRUE(law().relate(actor_, decree.id, law_doc.slug, "sua_doi_bo_sung", "").ok());
  EXPECT_EQ(view(law_doc.slug).relations.size(), 2u);
  auto dup = law().relate(actor_, law_doc.id, "31/2025/NĐ-CP", "thay_the", "");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, core::ErrorCode::Conflict);
  auto self = law().relate(actor_, law_doc.id, law_doc.slug, "thay_the", "");
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.error().field, "other");
  auto unknown = law().relate(actor_, law_doc.id, "99/2099/QH99", "thay_the", "");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("99/2099/QH99"), std::string::npos);
  auto kind = law().relate(actor_, law_doc.id, decree.slug, "yeu_thich", "");
  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.error().field, "type");
}

TEST_P(LawService, UnpublishedDocumentsAreHiddenFromReadersAndSearch) {
  auto d = import(td::kLawV1, "test:thu-vien");
  auto hits = found("mượn sách miễn phí");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0], std::to_string(d.id) + "#2");

  ASSERT_TRUE(law().set_published(actor_, d.id, false).ok());
  auto pub = law().view(d.slug, "", false);
  ASSERT_TRUE(pub.ok());
  EXPECT_FALSE(pub->has_value()) << "hidden for the public";
  auto ed = law().view(d.slug, "", true);
  ASSERT_TRUE(ed.ok());
  EXPECT_TRUE(ed->has_value()) << "editors still see it";
  auto list = law().list("", "", 0, 20, false);
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
  EXPECT_TRUE(found("mượn sách miễn phí").empty());
  EXPECT_TRUE(found("mượn sách miễn phí", true).empty()) << "not under 'all statuses' either";

  // The nightly re-import of the same file does not bring a withdrawn document back.
  auto again = import(td::kLawV1, "test:thu-vien");
  EXPECT_EQ(again.outcome, ImportOutcome::Unchanged);
  auto still = law().view(d.slug, "", false);
  ASSERT_TRUE(still.ok());
  EXPECT_FALSE(still->has_value()) << "re-import republished a withdrawn document";
  (void)import(td::kLawV2, "test:thu-vien");
  still = law().view(d.slug, "", false);
  ASSERT_TRUE(still.ok());
  EXPECT_FALSE(still->has_value()) << "a changed re-import keeps the approver's decision";
  EXPECT_TRUE(found("mượn sách miễn phí").empty());

  ASSERT_TRUE(law().set_published(actor_, d.id, true).ok());
  EXPECT_FALSE(found("mượn sách miễn phí").empty());
  EXPECT_FALSE(law().set_published(actor_, 424242, false).ok());
}

TEST_P(LawService, SearchDefaultsToDocumentsInForce) {
  auto in_force = import(td::kLawV1, "test:thu-vien");
  auto expired = import(td::kDecree, "test:tu-sach", "het_hieu_luc");
  auto a = found("tủ sách nông thôn");
  for (const auto& id : a) EXPECT_NE(id.substr(0, id.find('#')), std::to_string(expired.id)) << "expired document found";
  auto b = found("tủ sách nông thôn", true);
  ASSERT_FALSE(b.empty());
  EXPECT_EQ(b[0], std::to_string(expired.id) + "#1");
  // A document that expires later leaves the default results after its status changes.
  ASSERT_FALSE(found("thư viện cộng đồng").empty());
  ASSERT_TRUE(law().set_status(actor_, in_force.id, "het_hieu_luc", "2030-01-01", "").ok());
  EXPECT_TRUE(found("thư viện cộng đồng").empty());
  EXPECT_FALSE(found("thư viện cộng đồng", true).empty());
  // Partly expired documents are still in force for the rest.
  ASSERT_TRUE(law().set_status(actor_, in_force.id, "het_hieu_luc_mot_phan", "2030-01-01", "").ok());
  EXPECT_FALSE(found("thư viện cộng đồng").empty());
  // A 10 kB query, unbalanced quotes and brackets, punctuation only: results or nothing, no error.
  std::string ten_kb;
  while (ten_kb.size() < 10240) ten_kb += "(\"thư viện\" cộng đồng ";
  EXPECT_FALSE(found(ten_kb, true).empty());
  EXPECT_FALSE(found("(thư viện", true).empty());
  EXPECT_FALSE(found("\"tủ sách", true).empty());
  EXPECT_TRUE(found("?!… ;;", true).empty());
  // Document level: one hit per document.
  auto docs = found("sách", true, "document");
  std::set<std::string> groups;
  for (const auto& id : docs) EXPECT_TRUE(groups.insert(id.substr(0, id.find('#'))).second) << id;
  EXPECT_EQ(groups.size(), 2u);
}

TEST_P(LawService, EveryWriteIsInTheAuditLog) {
  auto d = import(td::kLawV1, "test:thu-vien");
  auto decree = import(td::kDecree, "test:tu-sach");
  (void)import(td::kLawV1, "test:thu-vien");  // unchanged: no write, no entry
  (void)import(td::kLawV2, "test:thu-vien");
  auto meta = law().get(d.id);
  ASSERT_TRUE(meta.ok() && meta->has_value());
  ASSERT_TRUE(law().update(actor_, d.id, **meta, "Điều 1. Mới\nNội dung mới.", "2027-01-01").ok());
  ASSERT_TRUE(law().set_status(actor_, d.id, "het_hieu_luc", "2030-01-01", "hết hạn").ok());
  ASSERT_TRUE(law().relate(actor_, d.id, decree.slug, "thay_the", "").ok());
  ASSERT_TRUE(law().set_published(actor_, d.id, false).ok());
  ASSERT_TRUE(law().set_published(actor_, d.id, true).ok());
  std::multiset<std::string> actions;
  for (const auto& e : audit()) {
    actions.insert(e.action);
    EXPECT_EQ(e.actor, "kiểm thử") << e.action;
    EXPECT_EQ(e.entity, "law_document");
  }
  EXPECT_EQ(actions.count("law.import"), 3u) << "two creates and one update; the unchanged re-import wrote nothing";
  EXPECT_EQ(actions.count("law.update"), 1u);
  EXPECT_EQ(actions.count("law.status"), 1u);
  EXPECT_EQ(actions.count("law.relate"), 1u);
  EXPECT_EQ(actions.count("law.unpublish"), 1u);
  EXPECT_EQ(actions.count("law.publish"), 1u);
  auto verify = app().accounts->audit_verify();
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok);
}

TEST_P(LawService, ReindexRebuildsTheIndexFromTheDatabase) {
  auto d = import(td::kLawV1, "test:thu-vien");
  app().jobs->drain();
  ASSERT_TRUE(app().index->clear().ok());
  ASSERT_TRUE(app().index->commit().ok());
  EXPECT_TRUE(found("mượn sách").empty());
  size_t calls = 0;
  auto n = law().reindex([&](size_t done, size_t total) {
    ++calls;
    EXPECT_LE(done, total);
  });
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1u);
  EXPECT_EQ(calls, 1u);
  auto hits = found("mượn sách");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0], std::to_string(d.id) + "#2");
}

TEST_P(LawService, SearchesKeepTheOldIndexUntilAReindexIsComplete) {
  auto d = import(td::kLawV1, "test:thu-vien");
  app().jobs->drain();
  ASSERT_FALSE(found("mượn sách").empty());
  size_t calls = 0;
  auto n = law().reindex([&](size_t, size_t) {
    ++calls;
    EXPECT_FALSE(found("mượn sách").empty()) << "a reader searched while the index was being rebuilt";
  });
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(calls, 1u);
  auto hits = found("mượn sách");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0], std::to_string(d.id) + "#2");
}

INSTANTIATE_TEST_SUITE_P(Backends, LawService, ::testing::ValuesIn(pbgdpl::testing::backends()));

}  // namespace
}  // namespace pbgdpl::law
