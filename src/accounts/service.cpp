#include "accounts/service.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "accounts/store.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/time.h"
#include "core/utf8.h"

void pbgdpl_embed_pbgdpl_accounts_accounts();

namespace pbgdpl::accounts {

using core::Error;
using core::ErrorCode;
using http::Principal;
using nlohmann::json;
using storage::Conn;

void register_accounts_assets() { pbgdpl_embed_pbgdpl_accounts_accounts(); }

namespace {
constexpr int64_t kAuditLock = 0x61756474;  // "audt"
const std::string kGenesis(64, '0');

Error invalid(std::string msg, std::string field) {
  return Error::of(ErrorCode::Validation, std::move(msg), std::move(field));
}

std::string audit_hash(const AuditEntry& e) {
  std::string s = e.prev_hash;
  auto add = [&](std::string_view v) {
    s += '\x1f';
    s.append(v);
  };
  add(std::to_string(e.id));
  add(std::to_string(e.at));
  add(e.actor_id ? std::to_string(*e.actor_id) : "");
  add(e.actor);
  add(e.action);
  add(e.entity);
  add(e.entity_id);
  add(e.summary);
  add(e.ip);
  add(e.request_id);
  return core::sha256_hex(s);
}

json org_json(const Org& o) {
  return {{"code", o.code}, {"name", o.name}, {"type", org_type_code(o.type)}, {"parent", o.parent_code},
          {"portal_url", o.portal_url}};
}

json user_json(const User& u) {
  return {{"email", u.email}, {"phone", u.phone}, {"name", u.name}, {"org_id", u.org_id ? json(*u.org_id) : json()},
          {"status", u.status}};
}

bool valid_code(std::string_view s) {
  if (s.size() < 2 || s.size() > 40) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

bool valid_url(std::string_view s) {
  if (!(s.starts_with("https://") || s.starts_with("http://"))) return false;
  if (s.size() > 300) return false;
  return std::none_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == '"' || c == '<' || c == '>' || c == '\\';
  });
}

// RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF.
std::vector<std::pair<int, std::vector<std::string>>> parse_csv(std::string_view s, std::string& err) {
  std::vector<std::pair<int, std::vector<std::string>>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  int line = 1, row_line = 1;
  size_t i = 0;
  if (s.starts_with("\xEF\xBB\xBF")) i = 3;  // BOM from Excel
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < s.size() && s[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty()) {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
      if (any || !field.empty()) {
        row.push_back(std::move(field));
        rows.emplace_back(row_line, std::move(row));
      }
      row.clear();
      field.clear();
      any = false;
      ++line;
      row_line = line;
    } else {
      field += c;
      any = true;
    }
  }
  if (quoted) err = "dòng " + std::to_string(row_line) + ": thiếu dấu nháy kép đóng";
  if (any || !field.empty()) {
    row.push_back(std::move(field));
    rows.emplace_back(row_line, std::move(row));
  }
  return rows;
}
}  // namespace

// ---- validation ---------------------------------------------------------------------------

Result<std::string> normalize_email(std::string_view s) {
  auto t = std::string(core::trim(s));
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  auto at = t.find('@');
  bool ok = !t.empty() && t.size() <= 254 && at != std::string::npos && at > 0 && at == t.rfind('@') &&
            t.find('.', at) != std::string::npos && t.back() != '.' && t[at + 1] != '.' &&
            std::none_of(t.begin(), t.end(), [](unsigned char c) {
              return c <= 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' || c == '\\';
            });
  if (!ok) return invalid("Địa chỉ thư điện tử không hợp lệ (ví dụ đúng: ten@example.vn).", "email");
  return t;
}

Result<std::string> normalize_phone(std::string_view s) {
  std::string d;
  for (char c : core::trim(s)) {
    if (c == ' ' || c == '.' || c == '-') continue;
    d += c;
  }
  if (d.starts_with("+84")) d = "0" + d.substr(3);
  else if (d.starts_with("84") && d.size() == 11) d = "0" + d.substr(2);
  bool ok = (d.size() == 10 || d.size() == 11) && d[0] == '0' &&
            std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!ok) return invalid("Số điện thoại không hợp lệ (ví dụ đúng: 0912345678 hoặc +84912345678).", "phone");
  return d;
}

Status check_password(std::string_view pw) {
  size_t n = core::utf8_length(pw);
  if (n < 8) return invalid("Mật khẩu phải có ít nhất 8 ký tự.", "password");
  if (pw.size() > 512) return invalid("Mật khẩu quá dài (tối đa 512 byte).", "password");
  if (std::all_of(pw.begin(), pw.end(), [&](char c) { return c == pw[0]; }))
    return invalid("Mật khẩu quá dễ đoán: không dùng một ký tự lặp lại.", "password");
  return {};
}

Result<std::string> check_name(std::string_view s, std::string_view field, size_t max_len) {
  auto t = std::string(core::trim(s));
  if (!core::utf8_valid(t)) return Error::of(ErrorCode::InvalidUtf8, "Dữ liệu không phải văn bản UTF-8 hợp lệ.", std::string(field));
  size_t n = core::utf8_length(t);
  if (n < 2) return invalid("Tên phải có ít nhất 2 ký tự.", std::string(field));
  if (n > max_len) return invalid("Tên quá dài (tối đa " + std::to_string(max_len) + " ký tự).", std::string(field));
  if (core::has_control_chars(t) || t.find('\n') != std::string::npos)
    return invalid("Tên chứa ký tự điều khiển không hợp lệ.", std::string(field));
  return t;
}

// ---- core --------------------------------------------------------------------------------

const char* const kTimingEqualizerHash =
    "$argon2id$v=19$m=65536,t=2,p=1$cCRSuVXqNI/hbl1YU9tuzQ$UM9GFCNpGKHQ3R/blqUS06ig8ntsiidQPt3zTq6gAMQ";

Service::Service(storage::Database& db, ServiceOptions o) : db_(db), opt_(std::move(o)) {}

Status Service::init() {
  // A fixed Argon2id string with the same cost as real hashes (a test checks that it needs
  // no rehash): hashing one at every start cost 0.4 s and 64 MiB of peak memory.
  dummy_hash_ = kTimingEqualizerHash;
  auto r = db_.write([&](Conn& c) -> Result<std::string> {
    PBGDPL_TRY(c.exec("INSERT INTO settings (key, value) VALUES ('secret', ?) ON CONFLICT (key) DO NOTHING",
                      {core::random_hex(32)}));
    auto row = c.one("SELECT value FROM settings WHERE key = 'secret'");
    if (!row) return row.take_error();
    return (*row)->str(0);
  });
  if (!r) return r.take_error();
  secret_ = std::move(*r);
  return {};
}

std::string Service::csrf_for(std::string_view binding) const {
  return core::hmac_sha256_hex(secret_, std::string("csrf:") + std::string(binding)).substr(0, 40);
}

bool Service::can(const Principal& p, Permission perm, const std::string& org_path) {
  if (p.system_admin) return true;
  for (const auto& g : p.grants) {
    auto r = parse_role(g.role);
    if (!r || !role_allows(*r, perm)) continue;
    if (g.org_path.empty()) return true;
    if (!org_path.empty() && org_path.rfind(g.org_path, 0) == 0) return true;
  }
  return false;
}

bool Service::can_somewhere(const Principal& p, Permission perm) {
  if (p.system_admin) return true;
  return std::any_of(p.grants.begin(), p.grants.end(), [&](const http::Grant& g) {
    auto r = parse_role(g.role);
    return r && role_allows(*r, perm);
  });
}

Principal Service::system_principal() {
  Principal p;
  p.name = "cli";
  p.system_admin = true;
  p.roles = {"system_admin"};
  return p;
}

Actor Service::actor_of(const http::Request& r) {
  Actor a;
  if (r.user.signed_in()) {
    a.user_id = r.user.user_id;
    a.name = r.user.name;
  } else {
    a.name = "anonymous";
  }
  a.ip = r.remote_ip;
  a.request_id = r.request_id;
  return a;
}

// ---- audit -------------------------------------------------------------------------------

Status Service::record(Conn& c, const Actor& a, std::string_view action, std::string_view entity,
                       std::string_view entity_id, json before, json after) {
  PBGDPL_TRY(c.lock_serial(kAuditLock));
  auto head = store::audit_head(c);
  if (!head) return head.take_error();
  AuditEntry e;
  e.id = head->has_value() ? (*head)->first + 1 : 1;
  e.prev_hash = head->has_value() ? (*head)->second : kGenesis;
  e.at = core::now_ms();
  e.actor_id = a.user_id;
  e.actor = a.name;
  e.action = std::string(action);
  e.entity = std::string(entity);
  e.entity_id = std::string(entity_id);
  e.summary = json{{"before", std::move(before)}, {"after", std::move(after)}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
  e.ip = a.ip;
  e.request_id = a.request_id;
  e.hash = audit_hash(e);
  auto id = store::audit_insert(c, e);
  if (!id) return id.take_error();
  PBGDPL_TRY(c.exec("INSERT INTO settings (key, value) VALUES ('audit_head', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    {std::to_string(e.id) + ":" + e.hash}));
  return {};
}

Result<std::vector<AuditEntry>> Service::audit_page(const Principal& who, int64_t before_id, int limit,
                                                    const std::string& entity) {
  if (!can(who, Permission::ViewAudit, "") && !can_somewhere(who, Permission::ViewAudit))
    return Error::of(ErrorCode::Forbidden);
  if (!who.system_admin)
    return Error::of(ErrorCode::Forbidden, "Chỉ quản trị hệ thống được xem toàn bộ nhật ký.");
  if (before_id <= 0) before_id = INT64_MAX;
  return db_.read([&](Conn& c) { return store::audit_page(c, before_id, std::clamp(limit, 1, 200), entity); });
}

Result<AuditVerifyReport> Service::audit_verify() {
  return db_.read([&](Conn& c) -> Result<AuditVerifyReport> {
    // The rows and the recorded head must come from one snapshot, or a row appended between
    // the last page and the head read looks like a deleted tail. SQLite read transactions
    // are snapshots already; PostgreSQL's default (READ COMMITTED) is not.
    if (c.backend() == storage::Backend::Postgres)
      PBGDPL_TRY(c.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"));
    AuditVerifyReport rep;
    std::string prev = kGenesis;
    int64_t expect = 1, after = 0;
    for (;;) {
      auto page = store::audit_range(c, after, 1000);
      if (!page) return page.take_error();
      if (page->empty()) break;
      for (const auto& e : *page) {
        ++rep.rows;
        if (e.id != expect) {
          rep.problems.push_back("thiếu dòng " + std::to_string(expect) +
                                 (e.id - expect > 1 ? "–" + std::to_string(e.id - 1) : "") + " (đã bị xóa?)");
        }
        if (e.prev_hash != prev)
          rep.problems.push_back("dòng " + std::to_string(e.id) + ": không khớp mã băm của dòng trước");
        if (audit_hash(e) != e.hash)
          rep.problems.push_back("dòng " + std::to_string(e.id) + ": nội dung đã bị sửa (mã băm không khớp)");
        prev = e.hash;
        expect = e.id + 1;
        after = e.id;
      }
    }
    auto head = c.one("SELECT value FROM settings WHERE key = 'audit_head'");
    if (!head) return head.take_error();
    if (head->has_value()) {
      std::string want = (*head)->str(0);
      std::string have = std::to_string(expect - 1) + ":" + prev;
      if (want != have)
        rep.problems.push_back("dòng cuối của nhật ký không khớp đầu chuỗi đã ghi (" + want.substr(0, want.find(':')) +
                               "): các dòng cuối đã bị xóa hoặc sửa");
    } else if (rep.rows > 0) {
      rep.problems.push_back("thiếu bản ghi đầu chuỗi nhật ký");
    }
    rep.ok = rep.problems.empty();
    return rep;
  });
}

// ---- organizations -------------------------------------------------------------------------

namespace {
// Validates an org input against the database; parent permission checked by the caller.
Result<Org> validate_org(Conn& c, const OrgInput& in, std::optional<int64_t> self_id) {
  Org o;
  o.code = std::string(core::trim(in.code));
  if (!valid_code(o.code))
    return invalid("Mã đơn vị gồm 2–40 ký tự chữ không dấu, số, '-', '_' hoặc '.'.", "code");
  auto name = check_name(in.name, "name", 200);
  if (!name) return name.take_error();
  o.name = std::move(*name);
  auto type = parse_org_type(core::trim(in.type));
  if (!type) return invalid("Loại đơn vị không hợp lệ (tinh, so_nganh, doan_the, xa_phuong, khac).", "type");
  o.type = *type;
  if (self_id && o.type == OrgType::Commune) {
    auto kids = c.one("SELECT COUNT(*) FROM orgs WHERE parent_id = ?", {*self_id});
    if (!kids) return kids.take_error();
    if ((*kids)->i64(0) > 0)
      return invalid("Đơn vị đang có đơn vị trực thuộc nên không thể là xã/phường; hãy chuyển các đơn vị trực thuộc trước.",
                     "type");
  }
  o.portal_url = std::string(core::trim(in.portal_url));
  if (!o.portal_url.empty() && !valid_url(o.portal_url))
    return invalid("Địa chỉ cổng thông tin phải bắt đầu bằng http:// hoặc https://.", "portal_url");
  auto pc = std::string(core::trim(in.parent_code));
  if (pc.empty()) {
    if (o.type != OrgType::Province) return invalid("Đơn vị này cần có đơn vị cấp trên.", "parent_code");
  } else {
    if (o.type == OrgType::Province) return invalid("Đơn vị cấp tỉnh không có đơn vị cấp trên.", "parent_code");
    auto p = store::org_by_code(c, pc);
    if (!p) return p.take_error();
    if (!p->has_value()) return invalid("Không tìm thấy đơn vị cấp trên có mã '" + pc + "'.", "parent_code");
    if (self_id && (*p)->path.find("/" + std::to_string(*self_id) + "/") != std::string::npos)
      return invalid("Không thể chọn chính đơn vị này hoặc đơn vị cấp dưới làm cấp trên.", "parent_code");
    if ((*p)->type == OrgType::Commune) return invalid("Xã/phường không có đơn vị trực thuộc trong hệ thống.", "parent_code");
    o.parent_id = (*p)->id;
    o.parent_code = pc;
    o.path = (*p)->path;  // parent's path, used by the caller for the permission check
  }
  return o;
}
// Editing an org needs rights over the org itself; moving it also needs rights over the new
// place: the new parent, or the whole system when it becomes a root (a province).
bool may_edit_org(const Principal& who, const Org& old, const Org& now) {
  if (!Service::can(who, Permission::ManageOrgs, old.path)) return false;
  if (now.parent_id == old.parent_id) return true;
  return Service::can(who, Permission::ManageOrgs, now.parent_id ? now.path : std::string());
}
}  // namespace

Result<Org> Service::create_org(const Principal& who, const Actor& a, const OrgInput& in) {
  return db_.write([&](Conn& c) -> Result<Org> {
    auto o = validate_org(c, in, std::nullopt);
    if (!o) return o.take_error();
    if (!can(who, Permission::ManageOrgs, o->path))
      return Error::of(ErrorCode::Forbidden, "Bạn không có quyền tạo đơn vị ở vị trí này trong cây tổ chức.");
    auto existing = store::org_by_code(c, o->code);
    if (!existing) return existing.take_error();
    if (existing->has_value()) return Error::of(ErrorCode::Conflict, "Mã đơn vị '" + o->code + "' đã tồn tại.", "code");
    o->created_at = o->updated_at = core::now_ms();
    auto made = store::org_insert(c, *o);
    if (!made) return made.take_error();
    PBGDPL_TRY(record(c, a, "org.create", "org", made->code, nullptr, org_json(*made)));
    return made;
  });
}

Result<Org> Service::update_org(const Principal& who, const Actor& a, const std::string& code, const OrgInput& in) {
  return db_.write([&](Conn& c) -> Result<Org> {
    auto old = store::org_by_code(c, code);
    if (!old) return old.take_error();
    if (!old->has_value()) return Error::of(ErrorCode::NotFound, "Không tìm thấy đơn vị có mã '" + code + "'.");
    OrgInput fixed = in;
    fixed.code = code;
    auto o = validate_org(c, fixed, (*old)->id);
    if (!o) return o.take_error();
    if (!may_edit_org(who, **old, *o)) return Error::of(ErrorCode::Forbidden, "Bạn không có quyền sửa đơn vị này.");
    o->id = (*old)->id;
    o->created_at = (*old)->created_at;
    o->updated_at = core::now_ms();
    PBGDPL_TRY(store::org_update(c, *o));
    auto now = store::org_by_id(c, o->id);
    if (!now) return now.take_error();
    PBGDPL_TRY(record(c, a, "org.update", "org", code, org_json(**old), org_json(**now)));
    return **now;
  });
}

Result<std::optional<Org>> Service::find_org(const std::string& code) {
  return db_.read([&](Conn& c) { return store::org_by_code(c, code); });
}

Result<std::vector<Org>> Service::list_orgs(int64_t after_id, int limit) {
  return db_.read([&](Conn& c) { return store::orgs_list(c, after_id, std::clamp(limit, 1, 500)); });
}

Result<std::vector<Org>> Service::org_tree() {
  return db_.read([&](Conn& c) { return store::orgs_all(c); });
}

Result<ImportReport> Service::import_orgs_csv(const Principal& who, const Actor& a, std::string_view csv) {
  if (!core::utf8_valid(csv))
    return Error::of(ErrorCode::InvalidUtf8, "Tệp CSV không phải văn bản UTF-8 (hãy lưu với mã hóa UTF-8).");
  std::string perr;
  auto rows = parse_csv(csv, perr);
  if (!perr.empty()) return invalid("Tệp CSV lỗi cú pháp: " + perr, "file");
  if (rows.empty()) return invalid("Tệp CSV trống.", "file");
  const std::vector<std::string> want = {"code", "name", "type", "parent_code", "portal_url"};
  auto header = rows.front().second;
  for (auto& h : header) h = std::string(core::trim(h));
  if (header.size() < 4 || !std::equal(header.begin(), header.begin() + 4, want.begin()))
    return invalid("Dòng tiêu đề phải là: code,name,type,parent_code,portal_url", "file");
  ImportReport rep;
  auto r = db_.write([&](Conn& c) -> Result<ImportReport> {
    // Rows may name a parent that appears later in the file: retry until no progress.
    std::vector<std::pair<int, OrgInput>> pending;
    std::set<std::string> seen;
    for (size_t i = 1; i < rows.size(); ++i) {
      const auto& [line, cells] = rows[i];
      if (cells.size() < 4 || cells.size() > 5) {
        rep.errors.push_back("dòng " + std::to_string(line) + ": cần 4 hoặc 5 cột, có " + std::to_string(cells.size()));
        continue;
      }
      OrgInput in{cells[0], cells[1], cells[2], cells[3], cells.size() > 4 ? cells[4] : ""};
      auto code = std::string(core::trim(in.code));
      if (!seen.insert(code).second) {
        rep.errors.push_back("dòng " + std::to_string(line) + ": mã đơn vị '" + code + "' bị lặp trong tệp");
        continue;
      }
      pending.emplace_back(line, std::move(in));
    }
    while (!pending.empty()) {
      std::vector<std::pair<int, OrgInput>> later;
      std::vector<std::pair<int, Error>> errs;
      for (auto& [line, in] : pending) {
        auto existing = store::org_by_code(c, std::string(core::trim(in.code)));
        if (!existing) return existing.take_error();
        auto o = validate_org(c, in, existing->has_value() ? std::optional<int64_t>((*existing)->id) : std::nullopt);
        if (!o) {
          auto e = o.take_error();
          if (e.field == "parent_code" && e.message.starts_with("Không tìm thấy")) {
            later.emplace_back(line, in);
            errs.emplace_back(line, e);
            continue;
          }
          rep.errors.push_back("dòng " + std::to_string(line) + ": " + e.message);
          continue;
        }
        bool allowed = existing->has_value() ? may_edit_org(who, **existing, *o) : can(who, Permission::ManageOrgs, o->path);
        if (!allowed) {
          rep.errors.push_back("dòng " + std::to_string(line) + ": bạn không có quyền với đơn vị cấp trên này");
          continue;
        }
        int64_t now = core::now_ms();
        if (existing->has_value()) {
          o->id = (*existing)->id;
          o->created_at = (*existing)->created_at;
          o->updated_at = now;
          auto before = org_json(**existing);
          auto after = org_json(*o);
          if (before == after) continue;
          PBGDPL_TRY(store::org_update(c, *o));
          PBGDPL_TRY(record(c, a, "org.update", "org", o->code, before, after));
          ++rep.updated;
        } else {
          o->created_at = o->updated_at = now;
          auto made = store::org_insert(c, *o);
          if (!made) return made.take_error();
          PBGDPL_TRY(record(c, a, "org.create", "org", made->code, nullptr, org_json(*made)));
          ++rep.created;
        }
      }
      if (later.size() == pending.size()) {
        for (auto& [line, e] : errs) rep.errors.push_back("dòng " + std::to_string(line) + ": " + e.message);
        break;
      }
      pending = std::move(later);
    }
    if (!rep.errors.empty()) {
      std::sort(rep.errors.begin(), rep.errors.end(), [](const std::string& x, const std::string& y) {
        return std::atoi(x.c_str() + 5) < std::atoi(y.c_str() + 5);
      });
      std::string msg = "Không nhập tệp vì có " + std::to_string(rep.errors.size()) + " dòng lỗi:";
      for (const auto& e : rep.errors) msg += "\n- " + e;
      return invalid(msg, "file");  // rolls the whole import back
    }
    return rep;
  });
  return r;
}

// ---- users ---------------------------------------------------------------------------------

namespace {
struct CheckedUser {
  User user;
  std::optional<Role> role;
  std::optional<Org> org;
};

Result<CheckedUser> check_user(Conn& c, const UserInput& in) {
  CheckedUser cu;
  if (!in.email.empty()) {
    auto e = normalize_email(in.email);
    if (!e) return e.take_error();
    cu.user.email = *e;
  }
  if (!in.phone.empty()) {
    auto p = normalize_phone(in.phone);
    if (!p) return p.take_error();
    cu.user.phone = *p;
  }
  if (cu.user.email.empty() && cu.user.phone.empty())
    return invalid("Cần địa chỉ thư điện tử hoặc số điện thoại.", "email");
  // Without a name, the login stands in: the mailbox part when it reads like a name, else the
  // whole address or the phone number (so "x@…" or a phone-only account still gets one).
  std::string fallback = cu.user.email.substr(0, cu.user.email.find('@'));
  if (fallback.size() < 2) fallback = cu.user.email.empty() ? cu.user.phone : cu.user.email;
  auto name = check_name(in.name.empty() ? fallback : in.name, "name");
  if (!name) return name.take_error();
  cu.user.name = *name;
  PBGDPL_TRY(check_password(in.password));
  if (!cu.user.email.empty() && in.password == cu.user.email)
    return invalid("Mật khẩu không được trùng địa chỉ thư điện tử.", "password");
  if (!in.role.empty()) {
    cu.role = parse_role(in.role);
    if (!cu.role) return invalid("Vai trò không hợp lệ: " + in.role, "role");
  }
  if (!in.org_code.empty()) {
    auto o = store::org_by_code(c, std::string(core::trim(in.org_code)));
    if (!o) return o.take_error();
    if (!o->has_value()) return invalid("Không tìm thấy đơn vị có mã '" + in.org_code + "'.", "org");
    cu.org = **o;
    cu.user.org_id = cu.org->id;
  }
  for (const auto& login : {cu.user.email, cu.user.phone}) {
    if (login.empty()) continue;
    auto existing = store::user_by_login(c, login);
    if (!existing) return existing.take_error();
    if (existing->has_value())
      return Error::of(ErrorCode::Conflict, "Đã có tài khoản dùng " + login + ".",
                       login == cu.user.email ? "email" : "phone");
  }
  return cu;
}
}  // namespace

Result<User> Service::create_user(const Principal& who, const Actor& a, const UserInput& in) {
  std::string hash;
  auto r = db_.write([&](Conn& c) -> Result<User> {
    auto cu = check_user(c, in);
    if (!cu) return cu.take_error();
    std::string scope = cu->org ? cu->org->path : "";
    if (!can(who, Permission::ManageUsers, scope))
      return Error::of(ErrorCode::Forbidden, "Bạn không có quyền tạo tài khoản cho đơn vị này.");
    if (cu->role == Role::SystemAdmin && !who.system_admin)
      return Error::of(ErrorCode::Forbidden, "Chỉ quản trị hệ thống được cấp quyền quản trị hệ thống.");
    bool needs_org = cu->role && *cu->role != Role::SystemAdmin && *cu->role != Role::Citizen && *cu->role != Role::Business;
    if (needs_org && !cu->org) return invalid("Vai trò này cần chọn đơn vị (phạm vi quyền).", "org");
    if (hash.empty()) hash = core::password_hash(in.password);
    User u = cu->user;
    u.created_at = core::now_ms();
    auto id = store::user_insert(c, u, hash);
    if (!id) return id.take_error();
    u.id = *id;
    if (cu->role) {
      std::optional<int64_t> scope_id = needs_org ? cu->user.org_id : std::nullopt;
      PBGDPL_TRY(store::role_add(c, u.id, *cu->role, scope_id));
    }
    auto after = user_json(u);
    after["role"] = cu->role ? std::string(role_code(*cu->role)) : "";
    PBGDPL_TRY(record(c, a, "user.create", "user", std::to_string(u.id), nullptr, after));
    auto roles = store::roles_of(c, u.id);
    if (!roles) return roles.take_error();
    u.roles = std::move(*roles);
    return u;
  });
  return r;
}

Result<User> Service::register_user(const Actor& a, UserInput in) {
  if (in.role.empty()) in.role = "citizen";
  if (in.role != "citizen" && in.role != "business")
    return invalid("Chỉ có thể tự đăng ký tài khoản người dân hoặc doanh nghiệp.", "role");
  in.org_code.clear();
  Principal self;  // registration needs no rights: grant citizen/business only
  self.system_admin = true;
  return create_user(self, a, in);
}

Result<std::optional<User>> Service::find_user(int64_t id) {
  return db_.read([&](Conn& c) -> Result<std::optional<User>> {
    auto u = store::user_by_id(c, id);
    if (!u) return u.take_error();
    if (u->has_value()) {
      auto roles = store::roles_of(c, id);
      if (!roles) return roles.take_error();
      (*u)->roles = std::move(*roles);
    }
    return u;
  });
}

Result<std::optional<User>> Service::find_user_for(const Principal& who, int64_t id) {
  return db_.read([&](Conn& c) -> Result<std::optional<User>> {
    auto u = store::user_by_id(c, id);
    if (!u) return u.take_error();
    if (!u->has_value()) return u;
    bool allowed = who.system_admin;
    if (!allowed && (*u)->org_id) {
      auto o = store::org_by_id(c, *(*u)->org_id);
      if (!o) return o.take_error();
      allowed = o->has_value() && can(who, Permission::ManageUsers, (*o)->path);
    }
    if (!allowed) {
      auto grants = store::grants_of(c, id);
      if (!grants) return grants.take_error();
      for (const auto& [role, org_id, path] : *grants)
        if (!path.empty() && can(who, Permission::ManageUsers, path)) allowed = true;
    }
    if (!allowed) return Error::of(ErrorCode::Forbidden, "Tài khoản này không thuộc đơn vị bạn quản lý.");
    auto roles = store::roles_of(c, id);
    if (!roles) return roles.take_error();
    (*u)->roles = std::move(*roles);
    return u;
  });
}

Result<std::vector<User>> Service::list_users(const Principal& who, int64_t after_id, int limit) {
  std::string scope;
  if (!who.system_admin) {
    for (const auto& g : who.grants) {
      auto r = parse_role(g.role);
      if (r && role_allows(*r, Permission::ManageUsers)) {
        scope = g.org_path;
        break;
      }
    }
    if (scope.empty()) return Error::of(ErrorCode::Forbidden);
  }
  return db_.read([&](Conn& c) -> Result<std::vector<User>> {
    auto users = store::users_list(c, after_id, std::clamp(limit, 1, 200), scope);
    if (!users) return users.take_error();
    for (auto& u : *users) {
      auto roles = store::roles_of(c, u.id);
      if (!roles) return roles.take_error();
      u.roles = std::move(*roles);
    }
    return users;
  });
}

Status Service::grant_role(const Principal& who, const Actor& a, int64_t user_id, const std::string& role,
                           const std::string& org_code) {
  return db_.write([&](Conn& c) -> Status {
    auto r = parse_role(role);
    if (!r) return invalid(role.empty() ? "Hãy chọn vai trò." : "Vai trò không hợp lệ: " + role, "role");
    auto u = store::user_by_id(c, user_id);
    if (!u) return u.take_error();
    if (!u->has_value()) return Error::of(ErrorCode::NotFound, "Không tìm thấy tài khoản.");
    std::optional<int64_t> org_id;
    std::string path;
    if (!org_code.empty() && *r != Role::SystemAdmin) {  // system_admin is always system-wide
      auto o = store::org_by_code(c, org_code);
      if (!o) return o.take_error();
      if (!o->has_value()) return invalid("Không tìm thấy đơn vị có mã '" + org_code + "'.", "org");
      org_id = (*o)->id;
      path = (*o)->path;
    } else if (*r != Role::SystemAdmin && *r != Role::Citizen && *r != Role::Business) {
      return invalid("Vai trò này cần chọn đơn vị (phạm vi quyền).", "org");
    }
    if (!can(who, Permission::ManageUsers, path) || (*r == Role::SystemAdmin && !who.system_admin))
      return Error::of(ErrorCode::Forbidden, "Bạn không có quyền cấp vai trò này ở đơn vị này.");
    auto st = store::role_add(c, user_id, *r, org_id);
    if (!st) {
      if (st.error().code == ErrorCode::Conflict) return Error::of(ErrorCode::Conflict, "Tài khoản đã có vai trò này.");
      return st;
    }
    return record(c, a, "user.grant", "user", std::to_string(user_id), nullptr,
                  {{"role", role}, {"org", org_code}});
  });
}

Status Service::revoke_role(const Principal& who, const Actor& a, int64_t user_id, const std::string& role,
                            const std::string& org_code) {
  return db_.write([&](Conn& c) -> Status {
    auto r = parse_role(role);
    if (!r) return invalid(role.empty() ? "Hãy chọn vai trò." : "Vai trò không hợp lệ: " + role, "role");
    std::optional<int64_t> org_id;
    std::string path;
    if (!org_code.empty() && *r != Role::SystemAdmin) {  // system_admin is always system-wide
      auto o = store::org_by_code(c, org_code);
      if (!o) return o.take_error();
      if (!o->has_value()) return invalid("Không tìm thấy đơn vị có mã '" + org_code + "'.", "org");
      org_id = (*o)->id;
      path = (*o)->path;
    }
    if (!can(who, Permission::ManageUsers, path) || (*r == Role::SystemAdmin && !who.system_admin))
      return Error::of(ErrorCode::Forbidden, "Bạn không có quyền thu hồi vai trò này.");
    if (*r == Role::SystemAdmin) {
      auto n = store::count_role(c, Role::SystemAdmin);
      if (!n) return n.take_error();
      if (*n <= 1) return Error::of(ErrorCode::Conflict, "Không thể thu hồi quyền của quản trị hệ thống cuối cùng.");
    }
    auto removed = store::role_remove(c, user_id, *r, org_id);
    if (!removed) return removed.take_error();
    if (*removed == 0) return Error::of(ErrorCode::NotFound, "Tài khoản không có vai trò này ở đơn vị này.");
    return record(c, a, "user.revoke", "user", std::to_string(user_id), {{"role", role}, {"org", org_code}}, nullptr);
  });
}

Status Service::set_user_status(const Principal& who, const Actor& a, int64_t user_id, bool active) {
  return db_.write([&](Conn& c) -> Status {
    auto u = store::user_by_id(c, user_id);
    if (!u) return u.take_error();
    if (!u->has_value()) return Error::of(ErrorCode::NotFound, "Không tìm thấy tài khoản.");
    std::string path;
    if ((*u)->org_id) {
      auto o = store::org_by_id(c, *(*u)->org_id);
      if (!o) return o.take_error();
      if (o->has_value()) path = (*o)->path;
    }
    if (!can(who, Permission::ManageUsers, path)) return Error::of(ErrorCode::Forbidden);
    // Locking someone out needs rights over everything they hold: a unit admin cannot lock
    // a system administrator or another unit's admin who merely belongs to its unit.
    auto grants = store::grants_of(c, user_id);
    if (!grants) return grants.take_error();
    for (const auto& [role, org_id, org_path] : *grants) {
      (void)org_id;
      if (role == "citizen" || role == "business") continue;  // grant nothing to outrank
      if (!can(who, Permission::ManageUsers, org_path) || (role == "system_admin" && !who.system_admin))
        return Error::of(ErrorCode::Forbidden, "Tài khoản này có quyền ngoài phạm vi quản lý của bạn.");
    }
    if (who.user_id == user_id && !active) return invalid("Bạn không thể tự khóa tài khoản của mình.", "status");
    std::string st = active ? "active" : "disabled";
    if ((*u)->status == st) return Status{};
    PBGDPL_TRY(store::user_set_status(c, user_id, st));
    if (!active) PBGDPL_TRY(store::sessions_delete_user(c, user_id));
    return record(c, a, active ? "user.enable" : "user.disable", "user", std::to_string(user_id),
                  {{"status", (*u)->status}}, {{"status", st}});
  });
}

Status Service::change_password(const Actor& a, int64_t user_id, const std::string& old_pw, const std::string& new_pw) {
  PBGDPL_TRY(check_password(new_pw));
  auto hash = core::password_hash(new_pw);
  return db_.write([&](Conn& c) -> Status {
    auto cur = store::user_password_hash(c, user_id);
    if (!cur) return cur.take_error();
    if (!core::password_verify(*cur, old_pw)) return invalid("Mật khẩu hiện tại không đúng.", "old_password");
    PBGDPL_TRY(store::user_set_password(c, user_id, hash));
    return record(c, a, "user.password", "user", std::to_string(user_id), nullptr, {{"changed", true}});
  });
}

Result<bool> Service::ensure_admin(const std::string& email, const std::string& password) {
  auto n = db_.read([](Conn& c) { return store::count_role(c, Role::SystemAdmin); });
  if (!n) return n.take_error();
  if (*n > 0) return false;
  Actor a;
  a.name = "cli";
  UserInput in;
  in.email = email;
  in.name = "Quản trị hệ thống";
  in.role = "system_admin";
  in.password = password;
  auto u = create_user(system_principal(), a, in);
  if (!u) return u.take_error();
  return true;
}

// ---- sign-in -----------------------------------------------------------------------------

Result<LoginResult> Service::login(const std::string& login_in, const std::string& password, const std::string& ip,
                                   const std::string& ua, const std::string& old_session) {
  std::string login = std::string(core::trim(login_in));
  if (login.find('@') != std::string::npos) {
    auto e = normalize_email(login);
    if (e) login = *e;
  } else if (auto p = normalize_phone(login)) {
    login = *p;
  }
  if (login.empty() || password.empty())
    return invalid("Vui lòng nhập tài khoản và mật khẩu.", "login");
  const int64_t now = core::now_ms();
  const int64_t since = now - int64_t{opt_.failure_window_min} * 60'000;
  const std::string akey = "acct:" + login, ikey = "ip:" + ip;
  auto throttled = db_.read([&](Conn& c) -> Result<bool> {
    auto a = store::failures_since(c, akey, since);
    if (!a) return a.take_error();
    auto i = store::failures_since(c, ikey, since);
    if (!i) return i.take_error();
    return *a >= opt_.max_failures_per_account || *i >= opt_.max_failures_per_ip;
  });
  if (!throttled) return throttled.take_error();
  if (*throttled)
    return Error::of(ErrorCode::TooManyRequests, "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau " +
                                                     std::to_string(opt_.failure_window_min) + " phút.");
  auto found = db_.read([&](Conn& c) -> Result<std::optional<std::pair<User, std::string>>> {
    auto u = store::user_by_login(c, login);
    if (!u) return u.take_error();
    if (!u->has_value()) return std::optional<std::pair<User, std::string>>{};
    auto h = store::user_password_hash(c, (*u)->id);
    if (!h) return h.take_error();
    return std::optional<std::pair<User, std::string>>(std::make_pair(**u, *h));
  });
  if (!found) return found.take_error();
  // Verify against a dummy hash when the account does not exist: same time either way.
  bool ok = core::password_verify(found->has_value() ? (*found)->second : dummy_hash_, password) &&
            found->has_value() && (*found)->first.status == "active";
  if (!ok) {
    auto st = db_.write([&](Conn& c) -> Status {
      PBGDPL_TRY(store::failure_add(c, akey, now));
      return store::failure_add(c, ikey, now);
    });
    if (!st) return st.take_error();
    return Error::of(ErrorCode::Unauthorized, "Tài khoản hoặc mật khẩu không đúng.", "login");
  }
  const User& u = (*found)->first;
  LoginResult res;
  res.session_token = core::random_token(32);
  res.user_id = u.id;
  res.max_age_s = int64_t{opt_.session_absolute_h} * 3600;
  bool rehash = core::password_needs_rehash((*found)->second);
  std::string new_hash = rehash ? core::password_hash(password) : "";
  auto st = db_.write([&](Conn& c) -> Status {
    if (!old_session.empty()) PBGDPL_TRY(store::session_delete(c, core::sha256_hex(old_session)));
    PBGDPL_TRY(store::session_insert(c, core::sha256_hex(res.session_token), u.id, now, now + res.max_age_s * 1000, ip, ua));
    PBGDPL_TRY(store::failures_clear(c, akey));
    PBGDPL_TRY(store::user_touch_login(c, u.id, now));
    if (rehash) PBGDPL_TRY(store::user_set_password(c, u.id, new_hash));
    Actor a{u.id, u.name, ip, ""};
    return record(c, a, "session.login", "user", std::to_string(u.id), nullptr, {{"ip", ip}});
  });
  if (!st) return st.take_error();
  return res;
}

Status Service::logout(const Actor& a, const std::string& token) {
  if (token.empty()) return {};
  return db_.write([&](Conn& c) -> Status {
    auto hash = core::sha256_hex(token);
    auto s = store::session_get(c, hash);
    if (!s) return s.take_error();
    if (!s->has_value()) return Status{};
    PBGDPL_TRY(store::session_delete(c, hash));
    return record(c, a, "session.logout", "user", std::to_string((*s)->user_id), nullptr, nullptr);
  });
}

Result<Principal> Service::principal_of(Conn& c, const User& u) {
  Principal p;
  p.user_id = u.id;
  p.name = u.name;
  p.email = u.email;
  p.org_id = u.org_id.value_or(0);
  auto grants = store::grants_of(c, u.id);
  if (!grants) return grants.take_error();
  for (auto& [role, org_id, path] : *grants) {
    if (role == "system_admin") p.system_admin = true;
    if (std::find(p.roles.begin(), p.roles.end(), role) == p.roles.end()) p.roles.push_back(role);
    p.grants.push_back({role, org_id, path});
  }
  return p;
}

Result<std::optional<Principal>> Service::session_principal(const std::string& token) {
  if (token.empty() || token.size() > 100) return std::optional<Principal>{};
  const auto hash = core::sha256_hex(token);
  const int64_t now = core::now_ms();
  bool touch = false, expired = false;
  auto r = db_.read([&](Conn& c) -> Result<std::optional<Principal>> {
    auto s = store::session_get(c, hash);
    if (!s) return s.take_error();
    if (!s->has_value()) return std::optional<Principal>{};
    if (now > (*s)->expires_at || now - (*s)->last_seen_at > int64_t{opt_.session_idle_min} * 60'000) {
      expired = true;
      return std::optional<Principal>{};
    }
    touch = now - (*s)->last_seen_at > 60'000;
    auto u = store::user_by_id(c, (*s)->user_id);
    if (!u) return u.take_error();
    if (!u->has_value() || (*u)->status != "active") return std::optional<Principal>{};
    auto p = principal_of(c, **u);
    if (!p) return p.take_error();
    p->session_hash = hash;
    return std::optional<Principal>(std::move(*p));
  });
  if (!r) return r;
  if (expired || touch) {
    auto st = db_.write([&](Conn& c) {
      return expired ? store::session_delete(c, hash) : store::session_touch(c, hash, now);
    });
    if (!st) core::log_warn("session update failed: {}", st.error().message);
  }
  return r;
}

Result<std::optional<Principal>> Service::token_principal(const std::string& token) {
  if (!token.starts_with("pbg_") || token.size() > 100) return std::optional<Principal>{};
  const auto hash = core::sha256_hex(token);
  std::optional<int64_t> token_id;
  auto r = db_.read([&](Conn& c) -> Result<std::optional<Principal>> {
    auto t = store::token_lookup(c, hash);
    if (!t) return t.take_error();
    if (!t->has_value()) return std::optional<Principal>{};
    token_id = (*t)->first;
    auto u = store::user_by_id(c, (*t)->second);
    if (!u) return u.take_error();
    if (!u->has_value() || (*u)->status != "active") return std::optional<Principal>{};
    auto p = principal_of(c, **u);
    if (!p) return p.take_error();
    p->via_token = true;
    return std::optional<Principal>(std::move(*p));
  });
  if (r && r->has_value() && token_id) {
    (void)db_.write([&](Conn& c) { return store::token_touch(c, *token_id, core::now_ms()); });
  }
  return r;
}

Result<std::pair<ApiToken, std::string>> Service::create_token(const Actor& a, int64_t user_id, const std::string& name_in) {
  auto name = check_name(name_in, "name", 80);
  if (!name) return name.take_error();
  std::string raw = "pbg_" + core::random_token(30);
  return db_.write([&](Conn& c) -> Result<std::pair<ApiToken, std::string>> {
    int64_t now = core::now_ms();
    auto id = store::token_insert(c, user_id, *name, core::sha256_hex(raw), raw.substr(0, 10), now);
    if (!id) return id.take_error();
    PBGDPL_TRY(record(c, a, "token.create", "api_token", std::to_string(*id), nullptr,
                      {{"name", *name}, {"user_id", user_id}, {"prefix", raw.substr(0, 10)}}));
    return std::make_pair(ApiToken{*id, *name, raw.substr(0, 10), now, std::nullopt, std::nullopt}, raw);
  });
}

Status Service::revoke_token(const Actor& a, int64_t user_id, int64_t token_id) {
  return db_.write([&](Conn& c) -> Status {
    auto n = store::token_revoke(c, user_id, token_id, core::now_ms());
    if (!n) return n.take_error();
    if (*n == 0) return Error::of(ErrorCode::NotFound, "Không tìm thấy khóa API này.");
    return record(c, a, "token.revoke", "api_token", std::to_string(token_id), nullptr, {{"revoked", true}});
  });
}

Result<std::vector<ApiToken>> Service::tokens(int64_t user_id) {
  return db_.read([&](Conn& c) { return store::tokens_of(c, user_id); });
}

Status Service::request_password_reset(const std::string& login_in, const std::string& ip) {
  const int64_t now = core::now_ms();
  const std::string ikey = "reset:" + ip;
  auto email = normalize_email(login_in);
  if (!email) return email.take_error();
  return db_.write([&](Conn& c) -> Status {
    auto n = store::failures_since(c, ikey, now - 3600'000);
    if (!n) return n.take_error();
    if (*n >= 5)
      return Error::of(ErrorCode::TooManyRequests, "Bạn đã yêu cầu đặt lại mật khẩu quá nhiều lần. Vui lòng thử lại sau.");
    PBGDPL_TRY(store::failure_add(c, ikey, now));
    auto u = store::user_by_login(c, *email);
    if (!u) return u.take_error();
    if (!u->has_value() || (*u)->status != "active") return Status{};
    std::string token = core::random_token(32);
    PBGDPL_TRY(store::reset_insert(c, core::sha256_hex(token), (*u)->id, now, now + 3600'000));
    json mail = {{"to", *email},
                 {"subject", "Đặt lại mật khẩu tài khoản PBGDPL"},
                 {"body", "Xin chào " + (*u)->name + ",\n\nĐể đặt lại mật khẩu, hãy mở liên kết sau trong vòng 1 giờ:\n" +
                              opt_.public_url + "/dat-lai-mat-khau?token=" + token +
                              "\n\nNếu bạn không yêu cầu, hãy bỏ qua thư này."}};
    auto job = storage::enqueue(c, "mail.send", mail.dump());
    if (!job) return job.take_error();
    return record(c, Actor{std::nullopt, "anonymous", ip, ""}, "user.reset_request", "user",
                  std::to_string((*u)->id), nullptr, nullptr);
  });
}

Status Service::reset_password(const std::string& token, const std::string& new_password, const std::string& ip) {
  PBGDPL_TRY(check_password(new_password));
  auto hash = core::password_hash(new_password);
  return db_.write([&](Conn& c) -> Status {
    auto uid = store::reset_take(c, core::sha256_hex(token), core::now_ms());
    if (!uid) return uid.take_error();
    if (!uid->has_value())
      return invalid("Liên kết đặt lại mật khẩu không hợp lệ hoặc đã hết hạn. Vui lòng yêu cầu lại.", "token");
    PBGDPL_TRY(store::user_set_password(c, **uid, hash));
    PBGDPL_TRY(store::sessions_delete_user(c, **uid));
    // Owning the mailbox is proof enough: lift the sign-in lock the forgotten password caused.
    auto u = store::user_by_id(c, **uid);
    if (!u) return u.take_error();
    if (u->has_value()) {
      if (!(*u)->email.empty()) PBGDPL_TRY(store::failures_clear(c, "acct:" + (*u)->email));
      if (!(*u)->phone.empty()) PBGDPL_TRY(store::failures_clear(c, "acct:" + (*u)->phone));
    }
    return record(c, Actor{**uid, "reset", ip, ""}, "user.password_reset", "user", std::to_string(**uid), nullptr,
                  {{"changed", true}});
  });
}

void Service::register_jobs(storage::JobQueue& q, std::shared_ptr<MailSender> sender) {
  q.handle("mail.send", [sender](const storage::Job& j) -> Status {
    auto m = json::parse(j.payload, nullptr, false);
    if (m.is_discarded()) return Error::of(ErrorCode::BadRequest, "bad mail payload");
    return sender->send(Mail{m.value("to", ""), m.value("subject", ""), m.value("body", "")});
  });
}

}  // namespace pbgdpl::accounts
