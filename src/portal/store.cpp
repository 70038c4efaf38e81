#include "portal/store.h"

#include "core/time.h"

namespace pbgdpl::portal::store {

using storage::Null;
using storage::Params;
using storage::Row;
using storage::Value;

namespace {

constexpr const char* kItemCols =
    "i.id, i.kind, i.format, i.slug, i.title, i.summary, i.body, i.category, i.audiences, i.topics, i.legal_refs, "
    "i.language, i.source_id, i.media_url, i.cover_media_id, i.audio_media_id, i.org_code, i.org_name, i.status, "
    "i.version, i.featured, i.publish_at, i.unpublish_at, i.published_at, i.review_note, i.tts_path, i.tts_hash, "
    "i.author, i.created_at, i.updated_at";

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t nl = s.find('\n', pos);
    if (nl == std::string::npos) nl = s.size();
    if (nl > pos) out.push_back(s.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

std::string join_lines(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) {
    if (!s.empty()) s += '\n';
    s += x;
  }
  return s;
}

Item item_of(const Row& r) {
  Item it;
  size_t i = 0;
  it.id = r.i64(i++);
  it.kind = r.str(i++);
  it.format = r.str(i++);
  it.slug = r.str(i++);
  it.title = r.str(i++);
  it.summary = r.str(i++);
  it.body = r.str(i++);
  it.category = r.str(i++);
  it.audiences = split_lines(r.str(i++));
  it.topics = split_lines(r.str(i++));
  it.legal_refs = split_lines(r.str(i++));
  it.language = r.str(i++);
  it.source_id = r.opt_i64(i++);
  it.media_url = r.str(i++);
  it.cover_media_id = r.opt_i64(i++);
  it.audio_media_id = r.opt_i64(i++);
  it.org_code = r.str(i++);
  it.org_name = r.str(i++);
  it.status = r.str(i++);
  it.version = r.i64(i++);
  it.featured = r.i64(i++) != 0;
  it.publish_at = r.opt_i64(i++);
  it.unpublish_at = r.opt_i64(i++);
  it.published_at = r.opt_i64(i++);
  it.review_note = r.str(i++);
  it.tts_path = r.str(i++);
  it.tts_hash = r.str(i++);
  it.author = r.str(i++);
  it.created_at = r.i64(i++);
  it.updated_at = r.i64(i++);
  return it;
}

Result<std::vector<Item>> items_of(Result<storage::Rows> rows) {
  if (!rows) return rows.take_error();
  std::vector<Item> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(item_of(r));
  return out;
}

Params editable(const Item& it) {
  return {it.kind,
          it.format,
          it.title,
          it.summary,
          it.body,
          it.category,
          join_lines(it.audiences),
          join_lines(it.topics),
          join_lines(it.legal_refs),
          it.language,
          storage::opt(it.source_id),
          it.media_url,
          storage::opt(it.cover_media_id),
          storage::opt(it.audio_media_id),
          it.org_code,
          it.org_name,
          it.status,
          static_cast<int64_t>(it.featured),
          storage::opt(it.publish_at),
          storage::opt(it.unpublish_at),
          storage::opt(it.published_at),
          it.review_note,
          it.author,
          it.updated_at};
}

std::string where_of(const ListFilter& f, Params& p) {
  std::string w = " WHERE 1=1";
  auto eq = [&](const char* col, const std::string& v) {
    if (v.empty()) return;
    w += std::string(" AND i.") + col + " = ?";
    p.push_back(v);
  };
  if (f.public_only) w += " AND i.status = 'published'";
  eq("kind", f.kind);
  eq("format", f.format);
  eq("category", f.category);
  eq("language", f.language);
  eq("org_code", f.org_code);
  eq("status", f.status);
  if (f.featured_only) w += " AND i.featured = 1";
  if (!f.audience.empty()) {
    w += " AND EXISTS (SELECT 1 FROM portal_item_tags t WHERE t.item_id = i.id AND t.kind = 'audience' AND t.value = ?)";
    p.push_back(f.audience);
  }
  if (!f.topic.empty()) {
    w += " AND EXISTS (SELECT 1 FROM portal_item_tags t WHERE t.item_id = i.id AND t.kind = 'topic' AND t.value = ?)";
    p.push_back(f.topic);
  }
  return w;
}

Media media_of(const Row& r) {
  Media m;
  size_t i = 0;
  m.id = r.i64(i++);
  m.kind = r.str(i++);
  m.mime = r.str(i++);
  m.filename = r.str(i++);
  m.size = r.i64(i++);
  m.sha256 = r.str(i++);
  m.path = r.str(i++);
  m.width = static_cast<int>(r.i64(i++));
  m.height = static_cast<int>(r.i64(i++));
  m.duration_ms = r.i64(i++);
  m.alt = r.str(i++);
  m.transcript = r.str(i++);
  m.org_code = r.str(i++);
  m.author = r.str(i++);
  m.created_at = r.i64(i++);
  return m;
}
constexpr const char* kMediaCols =
    "id, kind, mime, filename, size, sha256, path, width, height, duration_ms, alt, transcript, org_code, author, "
    "created_at";

Result<std::vector<Media>> medias_of(Result<storage::Rows> rows) {
  if (!rows) return rows.take_error();
  std::vector<Media> out;
  for (const auto& r : *rows) out.push_back(media_of(r));
  return out;
}

}  // namespace

Result<std::optional<Item>> by_id(Conn& c, int64_t id) {
  auto r = c.one(std::string("SELECT ") + kItemCols + " FROM portal_items i WHERE i.id = ?", {id});
  if (!r) return r.take_error();
  if (!r->has_value()) return std::optional<Item>{};
  return std::optional<Item>(item_of(**r));
}

Result<std::optional<Item>> by_slug(Conn& c, const std::string& slug) {
  auto r = c.one(std::string("SELECT ") + kItemCols + " FROM portal_items i WHERE i.slug = ?", {slug});
  if (!r) return r.take_error();
  if (!r->has_value()) return std::optional<Item>{};
  return std::optional<Item>(item_of(**r));
}

Result<std::vector<Item>> list(Conn& c, const ListFilter& f) {
  Params p;
  std::string sql = std::string("SELECT ") + kItemCols + " FROM portal_items i" + where_of(f, p);
  sql += f.public_only ? " ORDER BY i.published_at DESC, i.id DESC" : " ORDER BY i.updated_at DESC, i.id DESC";
  sql += " LIMIT ? OFFSET ?";
  p.push_back(static_cast<int64_t>(f.limit));
  p.push_back(static_cast<int64_t>(f.offset));
  return items_of(c.query(sql, p));
}

Result<int64_t> count(Conn& c, const ListFilter& f) {
  Params p;
  auto r = c.one("SELECT COUNT(*) FROM portal_items i" + where_of(f, p), p);
  if (!r) return r.take_error();
  return r->has_value() ? (*r)->i64(0) : 0;
}

Result<bool> slug_taken(Conn& c, const std::string& slug) {
  auto r = c.one("SELECT 1 FROM portal_items WHERE slug = ?", {slug});
  if (!r) return r.take_error();
  return r->has_value();
}

Result<int64_t> insert(Conn& c, const Item& it) {
  Params p = editable(it);
  p.push_back(it.slug);
  p.push_back(it.version);
  p.push_back(it.created_at);
  auto r = c.query(
      "INSERT INTO portal_items (kind, format, title, summary, body, category, audiences, topics, legal_refs, "
      "language, source_id, media_url, cover_media_id, audio_media_id, org_code, org_name, status, featured, "
      "publish_at, unpublish_at, published_at, review_note, author, updated_at, slug, version, created_at) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
      p);
  if (!r) return r.take_error();
  return r->rows.at(0).i64(0);
}

Result<bool> update_if_version(Conn& c, const Item& it, int64_t expected_version) {
  Params p = editable(it);
  p.push_back(it.id);
  p.push_back(expected_version);
  auto n = c.exec(
      "UPDATE portal_items SET kind = ?, format = ?, title = ?, summary = ?, body = ?, category = ?, audiences = ?, "
      "topics = ?, legal_refs = ?, language = ?, source_id = ?, media_url = ?, cover_media_id = ?, "
      "audio_media_id = ?, org_code = ?, org_name = ?, status = ?, featured = ?, publish_at = ?, unpublish_at = ?, "
      "published_at = ?, review_note = ?, author = ?, updated_at = ?, version = version + 1 "
      "WHERE id = ? AND version = ?",
      p);
  if (!n) return n.take_error();
  return *n == 1;
}

Status replace_tags(Conn& c, int64_t item_id, const Item& it) {
  if (auto r = c.exec("DELETE FROM portal_item_tags WHERE item_id = ?", {item_id}); !r) return r.take_error();
  for (const auto& [kind, values] : {std::pair<const char*, const std::vector<std::string>*>{"audience", &it.audiences},
                                     {"topic", &it.topics}})
    for (const auto& v : *values)
      if (auto r = c.exec("INSERT INTO portal_item_tags (item_id, kind, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                          {item_id, std::string(kind), v});
          !r)
        return r.take_error();
  return {};
}

Status replace_item_media(Conn& c, int64_t item_id, const std::vector<int64_t>& ids) {
  if (auto r = c.exec("DELETE FROM portal_item_media WHERE item_id = ?", {item_id}); !r) return r.take_error();
  int ord = 0;
  for (auto id : ids)
    if (auto r = c.exec("INSERT INTO portal_item_media (item_id, media_id, ord) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                        {item_id, id, static_cast<int64_t>(ord++)});
        !r)
      return r.take_error();
  return {};
}

Result<std::vector<int64_t>> item_media_ids(Conn& c, int64_t item_id) {
  auto r = c.query("SELECT media_id FROM portal_item_media WHERE item_id = ? ORDER BY ord", {item_id});
  if (!r) return r.take_error();
  std::vector<int64_t> out;
  for (const auto& row : *r) out.push_back(row.i64(0));
  return out;
}

Result<std::vector<Item>> translations(Conn& c, int64_t source_id) {
  return items_of(c.query(std::string("SELECT ") + kItemCols +
                              " FROM portal_items i WHERE i.source_id = ? AND i.status = 'published' ORDER BY i.language",
                          {source_id}));
}

Status set_tts(Conn& c, int64_t item_id, const std::string& path, const std::string& hash) {
  auto r = c.exec("UPDATE portal_items SET tts_path = ?, tts_hash = ? WHERE id = ?", {path, hash, item_id});
  if (!r) return r.take_error();
  return {};
}

Result<std::vector<int64_t>> published_ids(Conn& c) {
  auto r = c.query("SELECT id FROM portal_items WHERE status = 'published' ORDER BY id");
  if (!r) return r.take_error();
  std::vector<int64_t> out;
  for (const auto& row : *r) out.push_back(row.i64(0));
  return out;
}

Result<std::vector<std::pair<std::string, int64_t>>> topic_counts(Conn& c, int limit) {
  auto r = c.query(
      "SELECT t.value, COUNT(*) FROM portal_item_tags t JOIN portal_items i ON i.id = t.item_id "
      "WHERE t.kind = 'topic' AND i.status = 'published' GROUP BY t.value ORDER BY COUNT(*) DESC, t.value LIMIT ?",
      {static_cast<int64_t>(limit)});
  if (!r) return r.take_error();
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& row : *r) out.emplace_back(row.str(0), row.i64(1));
  return out;
}

Status add_revision(Conn& c, const Revision& rv) {
  auto r = c.exec(
      "INSERT INTO portal_revisions (item_id, version, title, summary, body, author, note, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {rv.item_id, rv.version, rv.title, rv.summary, rv.body, rv.author, rv.note, rv.created_at});
  if (!r) return r.take_error();
  return {};
}

Result<std::vector<Revision>> revisions(Conn& c, int64_t item_id) {
  auto r = c.query(
      "SELECT id, item_id, version, title, summary, body, author, note, created_at FROM portal_revisions "
      "WHERE item_id = ? ORDER BY version DESC, id DESC",
      {item_id});
  if (!r) return r.take_error();
  std::vector<Revision> out;
  for (const auto& row : *r)
    out.push_back({row.i64(0), row.i64(1), row.i64(2), row.str(3), row.str(4), row.str(5), row.str(6), row.str(7),
                   row.i64(8)});
  return out;
}

Result<int64_t> insert_media(Conn& c, const Media& m) {
  auto r = c.query(
      "INSERT INTO portal_media (kind, mime, filename, size, sha256, path, width, height, duration_ms, alt, "
      "transcript, org_code, author, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
      {m.kind, m.mime, m.filename, m.size, m.sha256, m.path, static_cast<int64_t>(m.width),
       static_cast<int64_t>(m.height), m.duration_ms, m.alt, m.transcript, m.org_code, m.author, m.created_at});
  if (!r) return r.take_error();
  return r->rows.at(0).i64(0);
}

Result<std::optional<Media>> media_by_id(Conn& c, int64_t id) {
  auto r = c.one(std::string("SELECT ") + kMediaCols + " FROM portal_media WHERE id = ?", {id});
  if (!r) return r.take_error();
  if (!r->has_value()) return std::optional<Media>{};
  return std::optional<Media>(media_of(**r));
}

Result<std::optional<Media>> media_by_sha(Conn& c, const std::string& sha, const std::string& org_code) {
  auto r = c.one(std::string("SELECT ") + kMediaCols + " FROM portal_media WHERE sha256 = ? AND org_code = ?",
                 {sha, org_code});
  if (!r) return r.take_error();
  if (!r->has_value()) return std::optional<Media>{};
  return std::optional<Media>(media_of(**r));
}

Result<std::vector<Media>> media_by_ids(Conn& c, const std::vector<int64_t>& ids) {
  if (ids.empty()) return std::vector<Media>{};
  std::string sql = std::string("SELECT ") + kMediaCols + " FROM portal_media WHERE id IN (";
  Params p;
  for (size_t i = 0; i < ids.size(); ++i) {
    sql += i ? ",?" : "?";
    p.push_back(ids[i]);
  }
  sql += ")";
  auto got = medias_of(c.query(sql, p));
  if (!got) return got;
  // Keep the caller's order.
  std::vector<Media> out;
  for (auto id : ids)
    for (const auto& m : *got)
      if (m.id == id) out.push_back(m);
  return out;
}

Result<std::vector<Media>> media_list(Conn& c, int offset, int limit) {
  return medias_of(c.query(std::string("SELECT ") + kMediaCols + " FROM portal_media ORDER BY id DESC LIMIT ? OFFSET ?",
                           {static_cast<int64_t>(limit), static_cast<int64_t>(offset)}));
}

Status update_media_text(Conn& c, int64_t id, const std::string& alt, const std::string& transcript) {
  auto r = c.exec("UPDATE portal_media SET alt = ?, transcript = ? WHERE id = ?", {alt, transcript, id});
  if (!r) return r.take_error();
  if (*r == 0) return core::Error::of(core::ErrorCode::NotFound, "Không tìm thấy tệp này trong thư viện.");
  return {};
}

Result<int64_t> insert_rating(Conn& c, const Rating& rt, const std::string& client) {
  auto r = c.query(
      "INSERT INTO portal_ratings (path, item_id, org_code, score, comment, month, client, created_at) "
      "VALUES (?,?,?,?,?,?,?,?) RETURNING id",
      {rt.path, storage::opt(rt.item_id), rt.org_code, static_cast<int64_t>(rt.score), rt.comment, rt.month, client,
       rt.created_at});
  if (!r) return r.take_error();
  return r->rows.at(0).i64(0);
}

Result<int64_t> ratings_since(Conn& c, const std::string& client, int64_t since) {
  auto r = c.one("SELECT COUNT(*) FROM portal_ratings WHERE client = ? AND created_at >= ?", {client, since});
  if (!r) return r.take_error();
  return r->has_value() ? (*r)->i64(0) : 0;
}

Result<int64_t> ratings_of_path_since(Conn& c, const std::string& client, const std::string& path, int64_t since) {
  auto r = c.one("SELECT COUNT(*) FROM portal_ratings WHERE client = ? AND path = ? AND created_at >= ?",
                 {client, path, since});
  if (!r) return r.take_error();
  return r->has_value() ? (*r)->i64(0) : 0;
}

Result<std::vector<RatingStat>> rating_stats(Conn& c, const std::string& by, int limit) {
  std::string sql;
  if (by == "month")
    sql = "SELECT r.month, r.month, COUNT(*), AVG(r.score * 1.0), SUM(CASE WHEN r.score >= 4 THEN 1 ELSE 0 END) "
          "FROM portal_ratings r GROUP BY r.month ORDER BY r.month DESC LIMIT ?";
  else if (by == "org")
    sql = "SELECT r.org_code, COALESCE(MAX(i.org_name), r.org_code), COUNT(*), AVG(r.score * 1.0), "
          "SUM(CASE WHEN r.score >= 4 THEN 1 ELSE 0 END) FROM portal_ratings r "
          "LEFT JOIN portal_items i ON i.id = r.item_id GROUP BY r.org_code ORDER BY COUNT(*) DESC LIMIT ?";
  else
    sql = "SELECT r.path, COALESCE(MAX(i.title), r.path), COUNT(*), AVG(r.score * 1.0), "
          "SUM(CASE WHEN r.score >= 4 THEN 1 ELSE 0 END) FROM portal_ratings r "
          "LEFT JOIN portal_items i ON i.id = r.item_id GROUP BY r.path ORDER BY COUNT(*) DESC LIMIT ?";
  auto r = c.query(sql, {static_cast<int64_t>(limit)});
  if (!r) return r.take_error();
  std::vector<RatingStat> out;
  for (const auto& row : *r) {
    RatingStat s;
    s.key = row.str(0);
    s.label = row.str(1);
    s.count = row.i64(2);
    s.average = row.f64(3);
    s.satisfied = row.i64(4);
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<Rating>> recent_comments(Conn& c, int limit) {
  auto r = c.query(
      "SELECT id, path, item_id, org_code, score, comment, month, created_at FROM portal_ratings "
      "WHERE comment <> '' ORDER BY id DESC LIMIT ?",
      {static_cast<int64_t>(limit)});
  if (!r) return r.take_error();
  std::vector<Rating> out;
  for (const auto& row : *r)
    out.push_back({row.i64(0), row.str(1), row.opt_i64(2), row.str(3), static_cast<int>(row.i64(4)), row.str(5),
                   row.str(6), row.i64(7)});
  return out;
}

Status put_link_check(Conn& c, const LinkCheck& l) {
  auto r = c.exec(
      "INSERT INTO portal_link_checks (org_code, url, ok, status, checked_at) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (org_code) DO UPDATE SET url = excluded.url, ok = excluded.ok, status = excluded.status, "
      "checked_at = excluded.checked_at",
      {l.org_code, l.url, static_cast<int64_t>(l.ok), l.status, l.checked_at});
  if (!r) return r.take_error();
  return {};
}

Result<std::vector<LinkCheck>> link_checks(Conn& c) {
  auto r = c.query("SELECT org_code, url, status, ok, checked_at FROM portal_link_checks");
  if (!r) return r.take_error();
  std::vector<LinkCheck> out;
  for (const auto& row : *r) out.push_back({row.str(0), row.str(1), row.str(2), row.i64(3) != 0, row.i64(4)});
  return out;
}

}  // namespace pbgdpl::portal::store
