#include "law/service.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "accounts/service.h"
#include "core/log.h"
#include "core/time.h"
#include "core/utf8.h"
#include "law/store.h"
#include "law/tree.h"
#include "text/normalize.h"

void pbgdpl_embed_pbgdpl_law_law();

namespace pbgdpl::law {

using core::Error;
using core::ErrorCode;
using nlohmann::json;
using storage::Conn;

void register_law_assets() { pbgdpl_embed_pbgdpl_law_law(); }

namespace {

Error invalid(std::string msg, std::string field) { return Error::of(ErrorCode::Validation, std::move(msg), std::move(field)); }

bool valid_date(const std::string& d) {
  if (d.empty()) return true;
  int y, m, day;
  char tail;
  return d.size() == 10 && std::sscanf(d.c_str(), "%4d-%2d-%2d%c", &y, &m, &day, &tail) == 3 && y > 1900 && y < 2200 &&
         m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

json meta_json(const Document& d) {
  return {{"doc_type", d.doc_type}, {"number", d.number},       {"title", d.title},   {"issuer", d.issuer},
          {"issued_on", d.issued_on}, {"effective_on", d.effective_on}, {"expires_on", d.expires_on},
          {"status", d.status},     {"published", d.published}, {"field", d.field},   {"scope", d.scope},
          {"signer", d.signer},     {"language", d.language}};
}

std::string content_json(const ParsedDocument& p) {
  json j = {{"preamble", p.preamble}, {"body", tree_to_json(p.body)}, {"closing", p.closing}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

ParsedDocument content_from(const std::string& s) {
  ParsedDocument p;
  auto j = json::parse(s, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return p;
  p.preamble = j.value("preamble", "");
  p.closing = j.value("closing", "");
  if (j.contains("body")) p.body = tree_from_json(j["body"]);
  return p;
}

constexpr const char* kIndexJob = "law.index";

}  // namespace

Status validate_meta(const DocumentMeta& m) {
  if (!valid_code(doc_types(), m.doc_type)) return invalid("Loại văn bản không hợp lệ.", "doc_type");
  if (!valid_code(statuses(), m.status)) return invalid("Tình trạng hiệu lực không hợp lệ.", "status");
  auto title = core::trim(m.title);
  if (core::utf8_length(title) < 3) return invalid("Tên văn bản phải có ít nhất 3 ký tự.", "title");
  if (core::utf8_length(title) > 500) return invalid("Tên văn bản quá dài (tối đa 500 ký tự).", "title");
  for (const auto* f : {&m.title, &m.number, &m.issuer, &m.signer, &m.field})
    if (core::has_control_chars(*f)) return invalid("Dữ liệu chứa ký tự điều khiển không hợp lệ.", "title");
  if (m.number.size() > 80) return invalid("Số ký hiệu quá dài.", "number");
  for (const auto& [v, f] : {std::pair{&m.issued_on, "issued_on"}, {&m.effective_on, "effective_on"}, {&m.expires_on, "expires_on"}})
    if (!valid_date(*v)) return invalid("Ngày phải có dạng NNNN-TT-NN (ví dụ 2024-07-01).", f);
  if (m.scope != "trung_uong" && m.scope != "dia_phuong") return invalid("Phạm vi phải là trung ương hoặc địa phương.", "scope");
  return {};
}

Service::Service(storage::Database& db, search::Index* index) : db_(db), index_(index) {}

void Service::register_jobs(storage::JobQueue& q) {
  q.handle(kIndexJob, [this](const storage::Job& j) -> Status {
    auto p = json::parse(j.payload, nullptr, false);
    if (p.is_discarded() || !p.contains("id")) return Error::of(ErrorCode::BadRequest, "bad law.index payload");
    return index_document(p["id"].get<int64_t>());
  });
}

Result<std::string> Service::unique_slug(Conn& c, const DocumentMeta& m, int64_t self) {
  // Short, readable, stable: up to ~50 characters of the title (whole words) plus the number.
  std::string base = text::slugify(m.title, 200);
  if (base.size() > 50) {
    auto cut = base.rfind('-', 50);
    base.resize(cut == std::string::npos || cut < 20 ? 50 : cut);
  }
  if (!m.number.empty()) base += "-" + text::slugify(m.number, 30);
  if (base.empty()) base = "van-ban";
  std::string slug = base;
  for (int i = 2; i < 1000; ++i) {
    auto taken = store::slug_taken(c, slug, self);
    if (!taken) return taken.take_error();
    if (!*taken) return slug;
    slug = base + "-" + std::to_string(i);
  }
  return Error::of(ErrorCode::Conflict, "Không tạo được địa chỉ riêng cho văn bản.");
}

Result<ImportResult> Service::import(const accounts::Actor& a, const ImportInput& in) {
  PBGDPL_TRY(validate_meta(in.meta));
  const auto provisions = flatten(in.parsed.body);
  const std::string content = content_json(in.parsed);
  return db_.write([&](Conn& c) -> Result<ImportResult> {
    ImportResult res;
    res.articles = provisions.size();
    auto existing = in.source_key.empty() ? Result<std::optional<Document>>(std::optional<Document>{})
                                          : store::by_source(c, in.source_key);
    if (!existing) return existing.take_error();
    const int64_t now = core::now_ms();
    if (existing->has_value()) {
      Document d = **existing;
      auto cur = store::version_at(c, d.id, "");
      if (!cur) return cur.take_error();
      Document next = d;
      static_cast<DocumentMeta&>(next) = in.meta;
      next.published = d.published;  // publishing is the approver's decision, not the source file's
      bool same_meta = meta_json(next) == meta_json(d);
      bool same_text = cur->has_value() && (*cur)->tree == content && (*cur)->valid_from == in.valid_from;
      res.id = d.id;
      res.slug = d.slug;
      if (same_meta && same_text) {
        res.outcome = ImportOutcome::Unchanged;
        return res;
      }
      next.updated_at = now;
      PBGDPL_TRY(store::update(c, next));  // slug kept: addresses stay stable across re-imports
      if (!same_text) {
        if (cur->has_value() && (*cur)->valid_from == in.valid_from) {
          PBGDPL_TRY(c.exec("UPDATE law_versions SET tree = ?, source_text = ? WHERE id = ?",
                            {content, in.source_text, (*cur)->id}));
        } else {
          auto v = store::add_version(c, d.id, {0, in.valid_from, content, in.source_text, "nhập lại", 0});
          if (!v) return v.take_error();
        }
        PBGDPL_TRY(store::replace_provisions(c, d.id, provisions));
      }
      if (next.status != d.status) PBGDPL_TRY(store::add_status(c, d.id, {next.status, next.effective_on, "nhập lại", 0}));
      PBGDPL_TRY(accounts::Service::record(c, a, "law.import", "law_document", std::to_string(d.id), meta_json(d),
                                           meta_json(next)));
      res.outcome = ImportOutcome::Updated;
    } else {
      Document d;
      static_cast<DocumentMeta&>(d) = in.meta;
      d.source_key = in.source_key;
      d.created_at = d.updated_at = now;
      auto slug = unique_slug(c, d, 0);
      if (!slug) return slug.take_error();
      d.slug = *slug;
      auto id = store::insert(c, d);
      if (!id) return id.take_error();
      d.id = *id;
      auto v = store::add_version(c, d.id, {0, in.valid_from, content, in.source_text, "bản gốc", 0});
      if (!v) return v.take_error();
      PBGDPL_TRY(store::add_status(c, d.id, {d.status, d.effective_on, "", 0}));
      PBGDPL_TRY(store::replace_provisions(c, d.id, provisions));
      PBGDPL_TRY(accounts::Service::record(c, a, "law.import", "law_document", std::to_string(d.id), nullptr, meta_json(d)));
      res.id = d.id;
      res.slug = d.slug;
      res.outcome = ImportOutcome::Created;
    }
    auto job = storage::enqueue(c, kIndexJob, json({{"id", res.id}}).dump());
    if (!job) return job.take_error();
    return res;
  });
}

Result<Document> Service::create(const accounts::Actor& a, DocumentMeta meta, const std::string& text_in) {
  PBGDPL_TRY(validate_meta(meta));
  if (!core::utf8_valid(text_in)) return Error::of(ErrorCode::InvalidUtf8, "Nội dung không phải văn bản UTF-8 hợp lệ.", "text");
  if (core::trim(text_in).empty()) return invalid("Hãy nhập nội dung văn bản.", "text");
  ImportInput in;
  in.meta = std::move(meta);
  in.parsed = parse_text(text_in);
  in.source_text = text_in;
  auto r = import(a, in);
  if (!r) return r.take_error();
  auto d = get(r->id);
  if (!d) return d.take_error();
  return **d;
}

Result<Document> Service::update(const accounts::Actor& a, int64_t id, DocumentMeta meta, const std::string& text_in,
                                 const std::string& valid_from) {
  PBGDPL_TRY(validate_meta(meta));
  if (!valid_date(valid_from)) return invalid("Ngày áp dụng phải có dạng NNNN-TT-NN.", "valid_from");
  if (!core::utf8_valid(text_in)) return Error::of(ErrorCode::InvalidUtf8, "Nội dung không phải văn bản UTF-8 hợp lệ.", "text");
  auto r = db_.write([&](Conn& c) -> Result<Document> {
    auto cur = store::by_id(c, id);
    if (!cur) return cur.take_error();
    if (!cur->has_value()) return Error::of(ErrorCode::NotFound, "Không tìm thấy văn bản.");
    Document d = **cur;
    Document next = d;
    static_cast<DocumentMeta&>(next) = meta;
    next.updated_at = core::now_ms();
    PBGDPL_TRY(store::update(c, next));
    if (next.status != d.status) PBGDPL_TRY(store::add_status(c, id, {next.status, next.effective_on, "sửa thông tin", 0}));
    if (!core::trim(text_in).empty()) {
      auto parsed = parse_text(text_in);
      auto v = store::add_version(c, id, {0, valid_from, content_json(parsed), text_in, "sửa nội dung", 0});
      if (!v) return v.take_error();
      PBGDPL_TRY(store::replace_provisions(c, id, flatten(parsed.body)));
    }
    PBGDPL_TRY(accounts::Service::record(c, a, "law.update", "law_document", std::to_string(id), meta_json(d), meta_json(next)));
    auto job = storage::enqueue(c, kIndexJob, json({{"id", id}}).dump());
    if (!job) return job.take_error();
    return next;
  });
  return r;
}

Status Service::set_published(const accounts::Actor& a, int64_t id, bool published) {
  return db_.write([&](Conn& c) -> Status {
    auto cur = store::by_id(c, id);
    if (!cur) return cur.take_error();
    if (!cur->has_value()) return Error::of(ErrorCode::NotFound, "Không tìm thấy văn bản.");
    Document d = **cur;
    if (d.published == published) return Status{};
    d.published = published;
    d.updated_at = core::now_ms();
    PBGDPL_TRY(store::update(c, d));
    PBGDPL_TRY(accounts::Service::record(c, a, published ? "law.publish" : "law.unpublish", "law_document",
                                         std::to_string(id), {{"published", !published}}, {{"published", published}}));
    auto job = storage::enqueue(c, kIndexJob, json({{"id", id}}).dump());
    if (!job) return job.take_error();
    return Status{};
  });
}

Status Service::set_status(const accounts::Actor& a, int64_t id, const std::string& status, const std::string& since,
                           const std::string& note) {
  if (!valid_code(statuses(), status)) return invalid("Tình trạng hiệu lực không hợp lệ.", "status");
  if (!valid_date(since)) return invalid("Ngày phải có dạng NNNN-TT-NN.", "since");
  return db_.write([&](Conn& c) -> Status {
    auto cur = store::by_id(c, id);
    if (!cur) return cur.take_error();
    if (!cur->has_value()) return Error::of(ErrorCode::NotFound, "Không tìm thấy văn bản.");
    Document d = **cur;
    std::string before = d.status;
    d.status = status;
    if (status == "het_hieu_luc" && d.expires_on.empty()) d.expires_on = since;
    d.updated_at = core::now_ms();
    PBGDPL_TRY(store::update(c, d));
    PBGDPL_TRY(store::add_status(c, id, {status, since, note, 0}));
    PBGDPL_TRY(accounts::Service::record(c, a, "law.status", "law_document", std::to_string(id), {{"status", before}},
                                         {{"status", status}, {"since", since}, {"note", note}}));
    auto job = storage::enqueue(c, kIndexJob, json({{"id", id}}).dump());
    if (!job) return job.take_error();
    return Status{};
  });
}

Status Service::relate(const accounts::Actor& a, int64_t from, const std::string& other, const std::string& type,
                       const std::string& note) {
  bool known = false;
  for (const auto& k : relation_kinds()) known |= type == k.code;
  if (!known) return invalid("Loại quan hệ không hợp lệ.", "type");
  return db_.write([&](Conn& c) -> Status {
    auto to = store::by_slug(c, other);
    if (!to) return to.take_error();
    if (!to->has_value()) {
      to = store::by_number(c, other);
      if (!to) return to.take_error();
    }
    if (!to->has_value()) return invalid("Không tìm thấy văn bản '" + other + "' trong thư viện.", "other");
    if ((*to)->id == from) return invalid("Một văn bản không thể có quan hệ với chính nó.", "other");
    auto st = store::add_relation(c, from, (*to)->id, type, note);
    if (!st) {
      if (st.error().code == ErrorCode::Conflict) return Error::of(ErrorCode::Conflict, "Quan hệ này đã có.");
      return st;
    }
    return accounts::Service::record(c, a, "law.relate", "law_document", std::to_string(from), nullptr,
                                     {{"to", (*to)->id}, {"type", type}, {"note", note}});
  });
}

Result<std::optional<Document>> Service::get(int64_t id) {
  return db_.read([&](Conn& c) { return store::by_id(c, id); });
}

Result<std::optional<Document>> Service::find_by_number(const std::string& number) {
  return db_.read([&](Conn& c) { return store::by_number(c, number); });
}

Result<std::optional<View>> Service::view(const std::string& slug, const std::string& as_at, bool include_unpublished) {
  if (!valid_date(as_at)) return invalid("Ngày xem phải có dạng NNNN-TT-NN.", "ngay");
  return db_.read([&](Conn& c) -> Result<std::optional<View>> {
    auto d = store::by_slug(c, slug);
    if (!d) return d.take_error();
    if (!d->has_value() || (!(*d)->published && !include_unpublished)) return std::optional<View>{};
    View v;
    v.doc = **d;
    v.as_at = as_at;
    auto ver = store::version_at(c, v.doc.id, as_at);
    if (!ver) return ver.take_error();
    if (ver->has_value()) {
      v.content = content_from((*ver)->tree);
      v.version_from = (*ver)->valid_from;
    }
    auto rel = store::relations(c, v.doc.id);
    if (!rel) return rel.take_error();
    v.relations = std::move(*rel);
    auto hist = store::status_history(c, v.doc.id);
    if (!hist) return hist.take_error();
    v.history = std::move(*hist);
    auto vers = store::versions(c, v.doc.id);
    if (!vers) return vers.take_error();
    for (const auto& x : *vers) v.versions.emplace_back(x.id, x.valid_from);
    return std::optional<View>(std::move(v));
  });
}

Result<std::vector<Document>> Service::list(const std::string& doc_type, const std::string& status, int64_t cursor,
                                            int limit, bool include_unpublished) {
  store::ListFilter f{doc_type, status, include_unpublished, cursor, std::clamp(limit, 1, 100)};
  return db_.read([&](Conn& c) { return store::list(c, f); });
}

Result<std::vector<std::pair<std::string, int64_t>>> Service::counts() {
  return db_.read([&](Conn& c) { return store::count_by_type(c); });
}

Result<std::vector<Provision>> Service::provisions(int64_t id) {
  return db_.read([&](Conn& c) { return store::provisions(c, id); });
}

Result<std::vector<Document>> Service::suggest(const std::string& prefix, int limit) {
  std::string f;
  for (char ch : text::fold(prefix))
    if (std::isalnum(static_cast<unsigned char>(ch)) || ch == ' ' || ch == '/' || ch == '-') f += ch;
  auto t = std::string(core::trim(f));
  if (t.size() < 2) return std::vector<Document>{};
  return db_.read([&](Conn& c) { return store::suggest(c, t, std::clamp(limit, 1, 20)); });
}

Status Service::index_document(int64_t id, bool commit) {
  if (!index_) return {};
  auto data = db_.read([&](Conn& c) -> Result<std::pair<std::optional<Document>, std::vector<Provision>>> {
    auto d = store::by_id(c, id);
    if (!d) return d.take_error();
    std::vector<Provision> ps;
    if (d->has_value()) {
      auto p = store::provisions(c, id);
      if (!p) return p.take_error();
      ps = std::move(*p);
    }
    return std::make_pair(std::move(*d), std::move(ps));
  });
  if (!data) return data.take_error();
  const std::string group = "d:" + std::to_string(id);
  PBGDPL_TRY(index_->remove_group(group));
  const auto& [doc, provs] = *data;
  if (doc && doc->published) {
    int64_t date = 0;
    if (doc->issued_on.size() == 10)
      date = std::atoll(doc->issued_on.substr(0, 4).c_str()) * 10000 + std::atoll(doc->issued_on.substr(5, 2).c_str()) * 100 +
             std::atoll(doc->issued_on.substr(8, 2).c_str());
    for (const auto& p : provs) {
      search::IndexDoc x;
      x.id = "a:" + std::to_string(id) + ":" + p.anchor;
      x.group = group;
      x.group_title = doc->title;
      x.fields = {{p.title, 2}, {p.text, 1}};
      x.facets = {{"type", doc->doc_type},   {"status", doc->status}, {"issuer", doc->issuer},
                  {"field", doc->field},     {"scope", doc->scope},   {"language", doc->language},
                  {"year", doc->issued_on.substr(0, 4)}};
      x.date = date;
      x.payload = json({{"id", std::to_string(id) + "#" + p.number},
                        {"doc", id},
                        {"slug", doc->slug},
                        {"title", doc->title},
                        {"number", doc->number},
                        {"status", doc->status},
                        {"article", p.number},
                        {"anchor", p.anchor},
                        {"heading", p.title},
                        {"path", p.path}})
                      .dump(-1, ' ', false, json::error_handler_t::replace);
      x.snippet_text = p.text;
      PBGDPL_TRY(index_->put(x));
    }
  }
  return commit ? index_->commit() : Status{};
}

Result<size_t> Service::reindex(const std::function<void(size_t, size_t)>& progress) {
  if (!index_) return Error::of(ErrorCode::Unavailable, "Chưa có chỉ mục tìm kiếm.");
  auto ids = db_.read([&](Conn& c) { return store::all_ids(c); });
  if (!ids) return ids.take_error();
  // One commit at the end, not one per document: searches keep the old index until the new
  // one is complete (Xapian itself writes out every 10,000 articles), and a large library
  // does not pay a commit, an fsync, per document.
  PBGDPL_TRY(index_->clear());
  size_t done = 0;
  for (auto id : *ids) {
    PBGDPL_TRY(index_document(id, false));
    ++done;
    if (progress) progress(done, ids->size());
  }
  PBGDPL_TRY(index_->commit());
  return done;
}

Result<search::Results> Service::search(const SearchRequest& r) {
  if (!index_) return Error::of(ErrorCode::Unavailable, "Tìm kiếm tạm thời không khả dụng.");
  search::Query q;
  q.text = r.q;
  q.filters = r.filters;
  if (!r.all_statuses && !q.filters.count("status")) q.filters["status"] = {"con_hieu_luc", "het_hieu_luc_mot_phan"};
  q.collapse = r.level == "document";
  q.by_date = r.by_date;
  q.offset = r.offset;
  q.limit = std::clamp<size_t>(r.limit, 1, 50);
  q.facets = {"type", "status", "issuer", "year", "field", "scope"};
  return index_->search(q);
}

}  // namespace pbgdpl::law
