#include "accounts/store.h"

#include "core/time.h"

namespace pbgdpl::accounts::store {

using storage::Null;
using storage::Row;
using storage::Value;

namespace {
constexpr const char* kOrgCols =
    "o.id, o.code, o.name, o.type, o.parent_id, p.code, o.portal_url, o.path, o.created_at, o.updated_at";
constexpr const char* kOrgFrom = " FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id ";

Org org_of(const Row& r) {
  Org o;
  o.id = r.i64(0);
  o.code = r.str(1);
  o.name = r.str(2);
  o.type = parse_org_type(r.str(3)).value_or(OrgType::Other);
  o.parent_id = r.opt_i64(4);
  o.parent_code = r.str(5);
  o.portal_url = r.str(6);
  o.path = r.str(7);
  o.created_at = r.i64(8);
  o.updated_at = r.i64(9);
  return o;
}

constexpr const char* kUserCols =
    "u.id, u.email, u.phone, u.name, u.org_id, o.name, u.status, u.created_at, u.last_login_at";
constexpr const char* kUserFrom = " FROM users u LEFT JOIN orgs o ON o.id = u.org_id ";

User user_of(const Row& r) {
  User u;
  u.id = r.i64(0);
  u.email = r.str(1);
  u.phone = r.str(2);
  u.name = r.str(3);
  u.org_id = r.opt_i64(4);
  u.org_name = r.str(5);
  u.status = r.str(6);
  u.created_at = r.i64(7);
  u.last_login_at = r.opt_i64(8);
  return u;
}

Value opt_text(const std::string& s) { return s.empty() ? Value(Null{}) : Value(s); }

AuditEntry audit_of(const Row& r) {
  AuditEntry e;
  e.id = r.i64(0);
  e.at = r.i64(1);
  e.actor_id = r.opt_i64(2);
  e.actor = r.str(3);
  e.action = r.str(4);
  e.entity = r.str(5);
  e.entity_id = r.str(6);
  e.summary = r.str(7);
  e.ip = r.str(8);
  e.request_id = r.str(9);
  e.prev_hash = r.str(10);
  e.hash = r.str(11);
  return e;
}
constexpr const char* kAuditCols =
    "SELECT id, at, actor_id, actor, action, entity, entity_id, summary, ip, request_id, prev_hash, hash "
    "FROM audit_log ";

template <class T, class F>
Result<std::vector<T>> map_rows(Result<storage::Rows> rows, F f) {
  if (!rows) return rows.take_error();
  std::vector<T> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) out.push_back(f(r));
  return out;
}

template <class T, class F>
Result<std::optional<T>> map_one(Result<std::optional<Row>> row, F f) {
  if (!row) return row.take_error();
  if (!row->has_value()) return std::optional<T>{};
  return std::optional<T>(f(**row));
}
}  // namespace

Result<std::optional<Org>> org_by_code(Conn& c, const std::string& code) {
  return map_one<Org>(c.one(std::string("SELECT ") + kOrgCols + kOrgFrom + "WHERE o.code = ?", {code}), org_of);
}

Result<std::optional<Org>> org_by_id(Conn& c, int64_t id) {
  return map_one<Org>(c.one(std::string("SELECT ") + kOrgCols + kOrgFrom + "WHERE o.id = ?", {id}), org_of);
}

Result<std::vector<Org>> orgs_list(Conn& c, int64_t after_id, int limit) {
  return map_rows<Org>(c.query(std::string("SELECT ") + kOrgCols + kOrgFrom + "WHERE o.id > ? ORDER BY o.id LIMIT ?",
                               {after_id, static_cast<int64_t>(limit)}),
                       org_of);
}

Result<std::vector<Org>> orgs_all(Conn& c) {
  return map_rows<Org>(c.query(std::string("SELECT ") + kOrgCols + kOrgFrom + "ORDER BY o.path"), org_of);
}

Result<int64_t> org_count(Conn& c) {
  auto r = c.one("SELECT COUNT(*) FROM orgs");
  if (!r) return r.take_error();
  return (*r)->i64(0);
}

Result<Org> org_insert(Conn& c, const Org& o) {
  auto r = c.one(
      "INSERT INTO orgs (code, name, type, parent_id, portal_url, path, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, '/', ?, ?) RETURNING id",
      {o.code, o.name, std::string(org_type_code(o.type)), storage::opt(o.parent_id), opt_text(o.portal_url),
       o.created_at, o.updated_at});
  if (!r) return r.take_error();
  Org out = o;
  out.id = (*r)->i64(0);
  std::string parent_path = "/";
  if (o.parent_id) {
    auto p = org_by_id(c, *o.parent_id);
    if (!p) return p.take_error();
    if (p->has_value()) parent_path = (*p)->path;
  }
  out.path = parent_path + std::to_string(out.id) + "/";
  auto u = c.exec("UPDATE orgs SET path = ? WHERE id = ?", {out.path, out.id});
  if (!u) return u.take_error();
  return out;
}

Status org_update(Conn& c, const Org& o) {
  auto old = org_by_id(c, o.id);
  if (!old) return old.take_error();
  if (!old->has_value()) return core::Error::of(core::ErrorCode::NotFound);
  std::string new_path = "/";
  if (o.parent_id) {
    auto p = org_by_id(c, *o.parent_id);
    if (!p) return p.take_error();
    if (p->has_value()) new_path = (*p)->path;
  }
  new_path += std::to_string(o.id) + "/";
  PBGDPL_TRY(c.exec("UPDATE orgs SET name = ?, type = ?, parent_id = ?, portal_url = ?, updated_at = ? WHERE id = ?",
                    {o.name, std::string(org_type_code(o.type)), storage::opt(o.parent_id), opt_text(o.portal_url),
                     o.updated_at, o.id}));
  const std::string& old_path = (*old)->path;
  if (old_path != new_path) {
    // Move the whole subtree: replace the path prefix of every descendant.
    PBGDPL_TRY(c.exec("UPDATE orgs SET path = ? || substr(path, ?) WHERE substr(path, 1, ?) = ?",
                      {new_path, static_cast<int64_t>(old_path.size() + 1), static_cast<int64_t>(old_path.size()),
                       old_path}));
  }
  return {};
}

Result<std::optional<User>> user_by_id(Conn& c, int64_t id) {
  return map_one<User>(c.one(std::string("SELECT ") + kUserCols + kUserFrom + "WHERE u.id = ?", {id}), user_of);
}

Result<std::optional<User>> user_by_login(Conn& c, const std::string& login) {
  return map_one<User>(
      c.one(std::string("SELECT ") + kUserCols + kUserFrom + "WHERE u.email = ? OR u.phone = ?", {login, login}),
      user_of);
}

Result<std::string> user_password_hash(Conn& c, int64_t id) {
  auto r = c.one("SELECT password_hash FROM users WHERE id = ?", {id});
  if (!r) return r.take_error();
  if (!r->has_value()) return core::Error::of(core::ErrorCode::NotFound);
  return (*r)->str(0);
}

Result<std::vector<User>> users_list(Conn& c, int64_t after_id, int limit, const std::string& org_path) {
  if (org_path.empty())
    return map_rows<User>(c.query(std::string("SELECT ") + kUserCols + kUserFrom +
                                      "WHERE u.id > ? ORDER BY u.id LIMIT ?",
                                  {after_id, static_cast<int64_t>(limit)}),
                          user_of);
  return map_rows<User>(c.query(std::string("SELECT ") + kUserCols + kUserFrom +
                                    "WHERE u.id > ? AND substr(o.path, 1, ?) = ? ORDER BY u.id LIMIT ?",
                                {after_id, static_cast<int64_t>(org_path.size()), org_path,
                                 static_cast<int64_t>(limit)}),
                        user_of);
}

Result<int64_t> user_insert(Conn& c, const User& u, const std::string& hash) {
  auto r = c.one(
      "INSERT INTO users (email, phone, name, org_id, password_hash, status, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {opt_text(u.email), opt_text(u.phone), u.name, storage::opt(u.org_id), hash, u.status, u.created_at,
       u.created_at});
  if (!r) return r.take_error();
  return (*r)->i64(0);
}

Status user_set_password(Conn& c, int64_t id, const std::string& hash) {
  auto r = c.exec("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", {hash, core::now_ms(), id});
  if (!r) return r.take_error();
  return {};
}

Status user_set_status(Conn& c, int64_t id, const std::string& status) {
  auto r = c.exec("UPDATE users SET status = ? WHERE id = ?", {status, id});
  if (!r) return r.take_error();
  return {};
}

Status user_touch_login(Conn& c, int64_t id, int64_t at) {
  auto r = c.exec("UPDATE users SET last_login_at = ? WHERE id = ?", {at, id});
  if (!r) return r.take_error();
  return {};
}

Result<std::vector<RoleGrant>> roles_of(Conn& c, int64_t user_id) {
  return map_rows<RoleGrant>(
      c.query("SELECT r.role, r.org_id, o.code, o.name FROM user_roles r LEFT JOIN orgs o ON o.id = r.org_id "
              "WHERE r.user_id = ? ORDER BY r.id",
              {user_id}),
      [](const Row& r) {
        return RoleGrant{parse_role(r.str(0)).value_or(Role::Citizen), r.opt_i64(1), r.str(2), r.str(3)};
      });
}

Result<std::vector<std::tuple<std::string, int64_t, std::string>>> grants_of(Conn& c, int64_t user_id) {
  return map_rows<std::tuple<std::string, int64_t, std::string>>(
      c.query("SELECT r.role, r.org_id, o.path FROM user_roles r LEFT JOIN orgs o ON o.id = r.org_id "
              "WHERE r.user_id = ?",
              {user_id}),
      [](const Row& r) { return std::make_tuple(r.str(0), r.opt_i64(1).value_or(0), r.str(2)); });
}

Status role_add(Conn& c, int64_t user_id, Role role, std::optional<int64_t> org_id) {
  auto r = c.exec("INSERT INTO user_roles (user_id, role, org_id, created_at) VALUES (?, ?, ?, ?)",
                  {user_id, std::string(role_code(role)), storage::opt(org_id), core::now_ms()});
  if (!r) return r.take_error();
  return {};
}

Result<int64_t> role_remove(Conn& c, int64_t user_id, Role role, std::optional<int64_t> org_id) {
  return c.exec("DELETE FROM user_roles WHERE user_id = ? AND role = ? AND COALESCE(org_id, 0) = ?",
                {user_id, std::string(role_code(role)), org_id.value_or(0)});
}

Result<int64_t> count_role(Conn& c, Role role) {
  auto r = c.one("SELECT COUNT(*) FROM user_roles WHERE role = ?", {std::string(role_code(role))});
  if (!r) return r.take_error();
  return (*r)->i64(0);
}

Status session_insert(Conn& c, const std::string& hash, int64_t user_id, int64_t now, int64_t expires_at,
                      const std::string& ip, const std::string& ua) {
  auto r = c.exec(
      "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {hash, user_id, now, now, expires_at, ip, ua.substr(0, 300)});
  if (!r) return r.take_error();
  return {};
}

Result<std::optional<SessionRow>> session_get(Conn& c, const std::string& hash) {
  return map_one<SessionRow>(
      c.one("SELECT user_id, last_seen_at, expires_at FROM sessions WHERE id_hash = ?", {hash}),
      [](const Row& r) { return SessionRow{r.i64(0), r.i64(1), r.i64(2)}; });
}

Status session_touch(Conn& c, const std::string& hash, int64_t now) {
  auto r = c.exec("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", {now, hash});
  if (!r) return r.take_error();
  return {};
}

Status session_delete(Conn& c, const std::string& hash) {
  auto r = c.exec("DELETE FROM sessions WHERE id_hash = ?", {hash});
  if (!r) return r.take_error();
  return {};
}

Status sessions_delete_user(Conn& c, int64_t user_id) {
  auto r = c.exec("DELETE FROM sessions WHERE user_id = ?", {user_id});
  if (!r) return r.take_error();
  return {};
}

Result<int64_t> token_insert(Conn& c, int64_t user_id, const std::string& name, const std::string& hash,
                             const std::string& prefix, int64_t now) {
  auto r = c.one(
      "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
      {user_id, name, hash, prefix, now});
  if (!r) return r.take_error();
  return (*r)->i64(0);
}

Result<std::optional<std::pair<int64_t, int64_t>>> token_lookup(Conn& c, const std::string& hash) {
  return map_one<std::pair<int64_t, int64_t>>(
      c.one("SELECT id, user_id FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL", {hash}),
      [](const Row& r) { return std::make_pair(r.i64(0), r.i64(1)); });
}

Status token_touch(Conn& c, int64_t id, int64_t now) {
  auto r = c.exec("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", {now, id});
  if (!r) return r.take_error();
  return {};
}

Result<std::vector<ApiToken>> tokens_of(Conn& c, int64_t user_id) {
  return map_rows<ApiToken>(
      c.query("SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = ? "
              "ORDER BY id DESC",
              {user_id}),
      [](const Row& r) { return ApiToken{r.i64(0), r.str(1), r.str(2), r.i64(3), r.opt_i64(4), r.opt_i64(5)}; });
}

Result<int64_t> token_revoke(Conn& c, int64_t user_id, int64_t token_id, int64_t now) {
  return c.exec("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
                {now, token_id, user_id});
}

Status failure_add(Conn& c, const std::string& key, int64_t at) {
  auto r = c.exec("INSERT INTO login_failures (key, at) VALUES (?, ?)", {key, at});
  if (!r) return r.take_error();
  return {};
}

Result<int64_t> failures_since(Conn& c, const std::string& key, int64_t since) {
  auto r = c.one("SELECT COUNT(*) FROM login_failures WHERE key = ? AND at >= ?", {key, since});
  if (!r) return r.take_error();
  return (*r)->i64(0);
}

Status failures_clear(Conn& c, const std::string& key) {
  auto r = c.exec("DELETE FROM login_failures WHERE key = ?", {key});
  if (!r) return r.take_error();
  return {};
}

Status reset_insert(Conn& c, const std::string& hash, int64_t user_id, int64_t now, int64_t expires_at) {
  auto r = c.exec("INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                  {hash, user_id, now, expires_at});
  if (!r) return r.take_error();
  return {};
}

Result<std::optional<int64_t>> reset_take(Conn& c, const std::string& hash, int64_t now) {
  auto r = c.one(
      "UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? "
      "RETURNING user_id",
      {now, hash, now});
  if (!r) return r.take_error();
  if (!r->has_value()) return std::optional<int64_t>{};
  return std::optional<int64_t>((*r)->i64(0));
}

Result<std::optional<std::pair<int64_t, std::string>>> audit_head(Conn& c) {
  return map_one<std::pair<int64_t, std::string>>(c.one("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"),
                                                  [](const Row& r) { return std::make_pair(r.i64(0), r.str(1)); });
}

Result<int64_t> audit_insert(Conn& c, const AuditEntry& e) {
  auto r = c.one(
      "INSERT INTO audit_log (id, at, actor_id, actor, action, entity, entity_id, summary, ip, request_id, "
      "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {e.id, e.at, storage::opt(e.actor_id), e.actor, e.action, e.entity, e.entity_id, e.summary, e.ip, e.request_id,
       e.prev_hash, e.hash});
  if (!r) return r.take_error();
  return (*r)->i64(0);
}

Result<std::vector<AuditEntry>> audit_page(Conn& c, int64_t before_id, int limit, const std::string& entity) {
  if (entity.empty())
    return map_rows<AuditEntry>(
        c.query(std::string(kAuditCols) + "WHERE id < ? ORDER BY id DESC LIMIT ?", {before_id, int64_t{limit}}),
        audit_of);
  return map_rows<AuditEntry>(c.query(std::string(kAuditCols) + "WHERE id < ? AND entity = ? ORDER BY id DESC LIMIT ?",
                                      {before_id, entity, int64_t{limit}}),
                              audit_of);
}

Result<std::vector<AuditEntry>> audit_range(Conn& c, int64_t after_id, int limit) {
  return map_rows<AuditEntry>(
      c.query(std::string(kAuditCols) + "WHERE id > ? ORDER BY id LIMIT ?", {after_id, int64_t{limit}}), audit_of);
}

}  // namespace pbgdpl::accounts::store
