#include "law/store.h"

#include "core/time.h"
#include "text/normalize.h"

namespace pbgdpl::law::store {

using storage::Null;
using storage::Row;
using storage::Value;

namespace {
constexpr const char* kCols =
    "SELECT id, slug, COALESCE(source_key, ''), doc_type, number, title, issuer, signer, issued_on, effective_on, "
    "expires_on, status, field, scope, language, published, created_at, updated_at FROM law_documents ";

Document doc_of(const Row& r) {
  Document d;
  d.id = r.i64(0);
  d.slug = r.str(1);
  d.source_key = r.str(2);
  d.doc_type = r.str(3);
  d.number = r.str(4);
  d.title = r.str(5);
  d.issuer = r.str(6);
  d.signer = r.str(7);
  d.issued_on = r.str(8);
  d.effective_on = r.str(9);
  d.expires_on = r.str(10);
  d.status = r.str(11);
  d.field = r.str(12);
  d.scope = r.str(13);
  d.language = r.str(14);
  d.published = r.i64(15) != 0;
  d.created_at = r.i64(16);
  d.updated_at = r.i64(17);
  return d;
}

Result<std::optional<Document>> one_doc(Result<std::optional<Row>> r) {
  if (!r) return r.take_error();
  if (!r->has_value()) return std::optional<Document>{};
  return std::optional<Document>(doc_of(**r));
}

std::string search_key_of(const Document& d) {
  return " " + text::fold(d.title) + " | " + text::fold(d.number);
}

Status ok_or(Result<int64_t> r) {
  if (!r) return r.take_error();
  return {};
}
}  // namespace

Result<std::optional<Document>> by_id(Conn& c, int64_t id) {
  return one_doc(c.one(std::string(kCols) + "WHERE id = ?", {id}));
}
Result<std::optional<Document>> by_slug(Conn& c, const std::string& slug) {
  return one_doc(c.one(std::string(kCols) + "WHERE slug = ?", {slug}));
}
Result<std::optional<Document>> by_source(Conn& c, const std::string& key) {
  return one_doc(c.one(std::string(kCols) + "WHERE source_key = ?", {key}));
}
Result<std::optional<Document>> by_number(Conn& c, const std::string& number) {
  return one_doc(c.one(std::string(kCols) + "WHERE number = ? AND published = 1 ORDER BY id LIMIT 1", {number}));
}

Result<std::vector<Document>> list(Conn& c, const ListFilter& f) {
  std::string sql = std::string(kCols) + "WHERE (? = 0 OR id < ?) AND (? = '' OR doc_type = ?) AND (? = '' OR status = ?)";
  Value after = f.after_id;
  storage::Params p = {after, after, f.doc_type, f.doc_type, f.status, f.status};
  if (!f.include_unpublished) sql += " AND published = 1";
  sql += " ORDER BY id DESC LIMIT ?";
  p.emplace_back(static_cast<int64_t>(f.limit));
  auto rows = c.query(sql, p);
  if (!rows) return rows.take_error();
  std::vector<Document> out;
  for (const auto& r : *rows) out.push_back(doc_of(r));
  return out;
}

Result<std::vector<std::pair<std::string, int64_t>>> count_by_type(Conn& c) {
  auto rows = c.query("SELECT doc_type, COUNT(*) FROM law_documents WHERE published = 1 GROUP BY doc_type ORDER BY 2 DESC");
  if (!rows) return rows.take_error();
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& r : *rows) out.emplace_back(r.str(0), r.i64(1));
  return out;
}

Result<bool> slug_taken(Conn& c, const std::string& slug, int64_t except_id) {
  auto r = c.one("SELECT id FROM law_documents WHERE slug = ? AND id <> ?", {slug, except_id});
  if (!r) return r.take_error();
  return r->has_value();
}

Result<int64_t> insert(Conn& c, const Document& d) {
  auto r = c.one(
      "INSERT INTO law_documents (slug, source_key, doc_type, number, title, issuer, signer, issued_on, effective_on, "
      "expires_on, status, field, scope, language, published, created_at, updated_at, search_key) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {d.slug, d.source_key.empty() ? Value(Null{}) : Value(d.source_key), d.doc_type, d.number, d.title, d.issuer,
       d.signer, d.issued_on, d.effective_on, d.expires_on, d.status, d.field, d.scope, d.language,
       int64_t{d.published ? 1 : 0}, d.created_at, d.updated_at, search_key_of(d)});
  if (!r) return r.take_error();
  return (*r)->i64(0);
}

Status update(Conn& c, const Document& d) {
  return ok_or(c.exec(
      "UPDATE law_documents SET slug = ?, doc_type = ?, number = ?, title = ?, issuer = ?, signer = ?, issued_on = ?, "
      "effective_on = ?, expires_on = ?, status = ?, field = ?, scope = ?, language = ?, published = ?, updated_at = ?, "
      "search_key = ? WHERE id = ?",
      {d.slug, d.doc_type, d.number, d.title, d.issuer, d.signer, d.issued_on, d.effective_on, d.expires_on, d.status,
       d.field, d.scope, d.language, int64_t{d.published ? 1 : 0}, d.updated_at, search_key_of(d), d.id}));
}

Result<int64_t> add_version(Conn& c, int64_t doc_id, const Version& v) {
  auto r = c.one(
      "INSERT INTO law_versions (document_id, valid_from, tree, source_text, note, created_at) VALUES (?, ?, ?, ?, ?, ?) "
      "RETURNING id",
      {doc_id, v.valid_from, v.tree, v.source_text, v.note, core::now_ms()});
  if (!r) return r.take_error();
  return (*r)->i64(0);
}

Result<std::optional<Version>> version_at(Conn& c, int64_t doc_id, const std::string& as_at) {
  auto r = as_at.empty()
               ? c.one("SELECT id, valid_from, tree, source_text, note, created_at FROM law_versions WHERE document_id = ? "
                       "ORDER BY valid_from DESC, id DESC LIMIT 1",
                       {doc_id})
               : c.one("SELECT id, valid_from, tree, source_text, note, created_at FROM law_versions WHERE document_id = ? "
                       "AND (valid_from = '' OR valid_from <= ?) ORDER BY valid_from DESC, id DESC LIMIT 1",
                       {doc_id, as_at});
  if (!r) return r.take_error();
  if (!r->has_value()) return std::optional<Version>{};
  const Row& row = **r;
  return std::optional<Version>(Version{row.i64(0), row.str(1), row.str(2), row.str(3), row.str(4), row.i64(5)});
}

Result<std::vector<Version>> versions(Conn& c, int64_t doc_id) {
  auto rows = c.query(
      "SELECT id, valid_from, note, created_at FROM law_versions WHERE document_id = ? ORDER BY valid_from DESC, id DESC",
      {doc_id});
  if (!rows) return rows.take_error();
  std::vector<Version> out;
  for (const auto& r : *rows) out.push_back(Version{r.i64(0), r.str(1), "", "", r.str(2), r.i64(3)});
  return out;
}

Status add_status(Conn& c, int64_t doc_id, const StatusChange& s) {
  return ok_or(c.exec("INSERT INTO law_status_history (document_id, status, since, note, created_at) VALUES (?, ?, ?, ?, ?)",
                      {doc_id, s.status, s.since, s.note, core::now_ms()}));
}

Result<std::vector<StatusChange>> status_history(Conn& c, int64_t doc_id) {
  auto rows = c.query(
      "SELECT status, since, note, created_at FROM law_status_history WHERE document_id = ? ORDER BY since DESC, id DESC",
      {doc_id});
  if (!rows) return rows.take_error();
  std::vector<StatusChange> out;
  for (const auto& r : *rows) out.push_back({r.str(0), r.str(1), r.str(2), r.i64(3)});
  return out;
}

Status add_relation(Conn& c, int64_t from, int64_t to, const std::string& type, const std::string& note) {
  return ok_or(c.exec("INSERT INTO law_relations (from_id, to_id, type, note, created_at) VALUES (?, ?, ?, ?, ?)",
                      {from, to, type, note, core::now_ms()}));
}

Result<std::vector<Relation>> relations(Conn& c, int64_t doc_id) {
  auto rows = c.query(
      "SELECT r.id, d.id, d.slug, d.title, r.type, r.note, 1 FROM law_relations r JOIN law_documents d ON d.id = r.to_id "
      "WHERE r.from_id = ? "
      "UNION ALL "
      "SELECT r.id, d.id, d.slug, d.title, r.type, r.note, 0 FROM law_relations r JOIN law_documents d ON d.id = r.from_id "
      "WHERE r.to_id = ? ORDER BY 1",
      {doc_id, doc_id});
  if (!rows) return rows.take_error();
  std::vector<Relation> out;
  for (const auto& r : *rows) {
    Relation rel{r.i64(0), r.i64(1), r.str(2), r.str(3), r.str(4), "", r.str(5)};
    for (const auto& k : relation_kinds())
      if (rel.type == k.code) rel.label = r.i64(6) ? k.label : k.reverse_label;
    out.push_back(std::move(rel));
  }
  return out;
}

Status replace_provisions(Conn& c, int64_t doc_id, const std::vector<Provision>& ps) {
  PBGDPL_TRY(c.exec("DELETE FROM law_provisions WHERE document_id = ?", {doc_id}));
  for (const auto& p : ps) {
    PBGDPL_TRY(c.exec(
        "INSERT INTO law_provisions (document_id, anchor, number, title, text, path, ord) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (document_id, anchor) DO NOTHING",
        {doc_id, p.anchor, p.number, p.title, p.text, p.path, int64_t{p.ord}}));
  }
  return {};
}

Result<std::vector<Provision>> provisions(Conn& c, int64_t doc_id) {
  auto rows = c.query(
      "SELECT document_id, anchor, number, title, text, path, ord FROM law_provisions WHERE document_id = ? ORDER BY ord",
      {doc_id});
  if (!rows) return rows.take_error();
  std::vector<Provision> out;
  for (const auto& r : *rows)
    out.push_back({r.i64(0), r.str(1), r.str(2), r.str(3), r.str(4), r.str(5), static_cast<int>(r.i64(6))});
  return out;
}

Result<std::vector<int64_t>> all_ids(Conn& c) {
  auto rows = c.query("SELECT id FROM law_documents ORDER BY id");
  if (!rows) return rows.take_error();
  std::vector<int64_t> out;
  for (const auto& r : *rows) out.push_back(r.i64(0));
  return out;
}

Result<std::vector<Document>> suggest(Conn& c, const std::string& folded_prefix, int limit) {
  // search_key holds " folded title | folded number"; a word-start match is enough here.
  auto rows = c.query(std::string(kCols) + "WHERE published = 1 AND search_key LIKE ? ORDER BY length(title) LIMIT ?",
                      {"% " + folded_prefix + "%", int64_t{limit}});
  if (!rows) return rows.take_error();
  std::vector<Document> out;
  for (const auto& r : *rows) out.push_back(doc_of(r));
  return out;
}

}  // namespace pbgdpl::law::store
