#include "accounts/routes.h"

#include <nlohmann/json.hpp>

#include "core/crypto.h"
#include "core/time.h"
#include "core/utf8.h"

namespace pbgdpl::accounts {

using core::Error;
using core::ErrorCode;
using http::Request;
using http::Response;
using nlohmann::json;

namespace {

constexpr size_t kCsvMaxBody = 2 << 20;

bool is_safe_method(std::string_view m) { return m == "GET" || m == "HEAD" || m == "OPTIONS"; }

void require_signed_in(const Request& req) {
  if (!req.user.signed_in()) http::fail(ErrorCode::Unauthorized);
}

Response login_redirect(const Request& req) {
  return Response::redirect("/dang-nhap?next=" + http::percent_encode(req.target));
}

json org_view(const Org& o) {
  return {{"id", o.id},
          {"code", o.code},
          {"name", o.name},
          {"type", org_type_code(o.type)},
          {"type_label", org_type_label(o.type)},
          {"parent_code", o.parent_code},
          {"portal_url", o.portal_url},
          {"depth", o.depth()},
          {"indent", std::string(static_cast<size_t>(std::max(0, o.depth())) * 2, ' ')},
          {"created_at", core::iso8601(o.created_at)}};
}

json user_view(const User& u) {
  json roles = json::array();
  for (const auto& g : u.roles)
    roles.push_back({{"role", role_code(g.role)},
                     {"label", role_label(g.role)},
                     {"org_code", g.org_code},
                     {"org_name", g.org_name}});
  return {{"id", u.id},
          {"email", u.email},
          {"phone", u.phone},
          {"name", u.name},
          {"org_name", u.org_name},
          {"status", u.status},
          {"active", u.status == "active"},
          {"created_at", core::iso8601(u.created_at)},
          {"roles", roles}};
}

// Options of a <select>, the current choice marked, so a form sent back unchanged (or
// re-shown after an error) keeps it instead of silently falling back to the first option.
json role_options(std::string_view selected = "") {
  json out = json::array();
  for (auto r : all_roles())
    out.push_back({{"code", role_code(r)}, {"label", role_label(r)}, {"selected", role_code(r) == selected}});
  return out;
}

json type_options(std::string_view selected = "") {
  json out = json::array();
  for (auto t : {OrgType::Province, OrgType::Department, OrgType::MassOrg, OrgType::Commune, OrgType::Other})
    out.push_back({{"code", org_type_code(t)}, {"label", org_type_label(t)}, {"selected", org_type_code(t) == selected}});
  return out;
}

json error_view(const Error& e) { return {{"message", e.message}, {"field", e.field}}; }

int64_t cursor_of(const Request& req) {
  auto c = req.query.get("cursor");
  if (c.empty()) return 0;
  try {
    return std::stoll(c);
  } catch (...) {
    http::fail(Error::of(ErrorCode::BadRequest, "Tham số cursor không hợp lệ."));
  }
}

int limit_of(const Request& req, int def) {
  auto l = req.query.get("limit");
  if (l.empty()) return def;
  try {
    int v = std::stoi(l);
    if (v < 1 || v > 200) throw std::out_of_range("limit");
    return v;
  } catch (...) {
    http::fail(Error::of(ErrorCode::BadRequest, "Tham số limit phải là số từ 1 đến 200."));
  }
}

std::string jstr(const json& j, const char* k) {
  auto it = j.find(k);
  if (it == j.end() || it->is_null()) return "";
  if (!it->is_string()) http::fail(Error::of(ErrorCode::Validation, std::string("Trường '") + k + "' phải là chuỗi.", k));
  return it->get<std::string>();
}

}  // namespace

bool cross_site(const Request& req) {
  auto site = req.header("sec-fetch-site");
  if (!site.empty()) return site != "same-origin" && site != "none";
  auto origin = req.header("origin");
  if (origin.empty()) return false;  // not a browser's cross-site request: every current one sends Origin on POST
  auto scheme = origin.find("://");
  if (origin == "null" || scheme == std::string_view::npos) return true;
  auto host = origin.substr(scheme + 3);
  auto want = req.header("host");
  return host.size() != want.size() ||
         !std::equal(host.begin(), host.end(), want.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}

http::Before auth_middleware(Service& svc) {
  return [&svc](Request& req, const http::Route& route) -> std::optional<Response> {
    if (route.options.bare) return std::nullopt;
    auto auth = req.header("authorization");
    if (!auth.empty()) {
      if (!auth.starts_with("Bearer "))
        http::fail(Error::of(ErrorCode::Unauthorized, "Tiêu đề Authorization phải có dạng: Bearer <khóa API>."));
      auto p = http::unwrap(svc.token_principal(std::string(core::trim(auth.substr(7)))));
      if (!p) http::fail(Error::of(ErrorCode::Unauthorized, "Khóa API không hợp lệ hoặc đã bị thu hồi."));
      req.user = std::move(*p);
    } else if (auto sid = req.cookie("sid")) {
      auto p = http::unwrap(svc.session_principal(*sid));
      if (p) {
        req.user = std::move(*p);
      } else {
        req.set_cookies.push_back(http::make_cookie("sid", "", req.secure, 0));
      }
    }
    if (req.user.signed_in() && !req.user.via_token) req.csrf_token = svc.csrf_for(req.user.session_hash);
    if (is_safe_method(req.method) || req.user.via_token || route.options.csrf_exempt) return std::nullopt;
    // Anonymous visitors carry no token: their pages are the same for everyone (and so
    // cacheable). What a forged cross-site form could do in their name (register, sign in,
    // rate, set display preferences) is refused by the browser's own word on where the
    // request comes from (Fetch Metadata, then Origin) — see DESIGN.md, "CSRF".
    if (!req.user.signed_in()) {
      if (cross_site(req)) http::fail(ErrorCode::CsrfFailed);
      return std::nullopt;
    }
    std::string sent(req.header("x-csrf-token"));
    if (sent.empty() && req.header("content-type").find("application/x-www-form-urlencoded") != std::string_view::npos) {
      // A body that is not a valid form (bad escapes, invalid UTF-8) is the client's error
      // (400), not a missing token: say what is wrong. Nothing has been changed yet.
      auto f = req.form();
      if (!f) http::fail(f.take_error());
      sent = f->get("_csrf");
    }
    if (sent.empty() || !core::constant_time_equal(sent, req.csrf_token)) http::fail(ErrorCode::CsrfFailed);
    return std::nullopt;
  };
}

void register_routes(http::Router& r, Service& svc, const web::Site& site) {
  // ---- sign-in ----------------------------------------------------------------------------
  r.get("/dang-nhap", [&](Request& req) {
    if (req.user.signed_in()) return Response::redirect(web::safe_next(req.query.get("next")));
    return site.page(req, "Đăng nhập", "login", {{"next", web::safe_next(req.query.get("next"))}});
  });
  r.post("/dang-nhap", [&](Request& req) {
    auto f = http::unwrap(req.form());
    auto next = web::safe_next(f.get("next"));
    auto res = svc.login(f.get("login"), f.get("password"), req.remote_ip, std::string(req.header("user-agent")),
                         req.cookie("sid").value_or(""));
    if (!res) {
      auto e = res.take_error();
      return site.page(req, "Đăng nhập", "login", {{"next", next}, {"login", f.get("login")}, {"error", error_view(e)}},
                       core::error_status(e.code));
    }
    auto out = Response::redirect(next);
    // The middleware may have queued "sid=; Max-Age=0" for a stale cookie; it would be sent
    // after this one and sign the person straight out again.
    std::erase_if(req.set_cookies, [](const std::string& c) { return c.rfind("sid=", 0) == 0; });
    out.add_cookie(http::make_cookie("sid", res->session_token, req.secure, res->max_age_s));
    return out;
  });
  r.post("/dang-xuat", [&](Request& req) {
    http::unwrap(svc.logout(Service::actor_of(req), req.cookie("sid").value_or("")));
    auto out = web::redirect_with_flash("/", "Bạn đã đăng xuất.");
    out.add_cookie(http::make_cookie("sid", "", req.secure, 0));
    return out;
  });
  r.get("/dang-ky", [&](Request& req) { return site.page(req, "Đăng ký tài khoản", "register", {{"kind_citizen", true}}); });
  r.post("/dang-ky", [&](Request& req) {
    auto f = http::unwrap(req.form());
    UserInput in{f.get("email"), f.get("phone"), f.get("name"), "", f.get("kind") == "business" ? "business" : "citizen",
                 f.get("password")};
    json back = {{"email", in.email}, {"phone", in.phone}, {"name", in.name},
                 {"kind_business", in.role == "business"}, {"kind_citizen", in.role != "business"}};
    if (f.get("password") != f.get("password2")) {
      back["error"] = error_view(Error::of(ErrorCode::Validation, "Hai lần nhập mật khẩu không khớp.", "password2"));
      return site.page(req, "Đăng ký tài khoản", "register", back, 422);
    }
    auto u = svc.register_user(Service::actor_of(req), in);
    if (!u) {
      auto e = u.take_error();
      back["error"] = error_view(e);
      return site.page(req, "Đăng ký tài khoản", "register", back, core::error_status(e.code));
    }
    return web::redirect_with_flash("/dang-nhap", "Đăng ký thành công. Mời bạn đăng nhập.");
  });
  r.get("/quen-mat-khau", [&](Request& req) { return site.page(req, "Quên mật khẩu", "forgot", json::object()); });
  r.post("/quen-mat-khau", [&](Request& req) {
    auto f = http::unwrap(req.form());
    auto st = svc.request_password_reset(f.get("email"), req.remote_ip);
    if (!st) {
      auto e = st.take_error();
      return site.page(req, "Quên mật khẩu", "forgot", {{"email", f.get("email")}, {"error", error_view(e)}},
                       core::error_status(e.code));
    }
    return site.page(req, "Quên mật khẩu", "forgot", {{"sent", true}});
  });
  r.get("/dat-lai-mat-khau", [&](Request& req) {
    return site.page(req, "Đặt lại mật khẩu", "reset", {{"token", req.query.get("token")}});
  });
  r.post("/dat-lai-mat-khau", [&](Request& req) {
    auto f = http::unwrap(req.form());
    json back = {{"token", f.get("token")}};
    if (f.get("password") != f.get("password2")) {
      back["error"] = error_view(Error::of(ErrorCode::Validation, "Hai lần nhập mật khẩu không khớp.", "password2"));
      return site.page(req, "Đặt lại mật khẩu", "reset", back, 422);
    }
    auto st = svc.reset_password(f.get("token"), f.get("password"), req.remote_ip);
    if (!st) {
      auto e = st.take_error();
      back["error"] = error_view(e);
      return site.page(req, "Đặt lại mật khẩu", "reset", back, core::error_status(e.code));
    }
    return web::redirect_with_flash("/dang-nhap", "Đã đặt lại mật khẩu. Mời bạn đăng nhập bằng mật khẩu mới.");
  });

  // ---- my account -------------------------------------------------------------------------
  auto account_page = [&](Request& req, json extra, int status) {
    auto u = http::unwrap(svc.find_user(req.user.user_id));
    if (!u) http::fail(ErrorCode::Unauthorized);
    json tokens = json::array();
    for (const auto& t : http::unwrap(svc.tokens(req.user.user_id)))
      tokens.push_back({{"id", t.id}, {"name", t.name}, {"prefix", t.prefix},
                        {"created_at", core::vn_datetime(t.created_at)},
                        {"last_used", t.last_used_at ? core::vn_datetime(*t.last_used_at) : "chưa dùng"},
                        {"revoked", t.revoked_at.has_value()}});
    extra["me"] = user_view(*u);
    extra["tokens"] = tokens;
    return site.page(req, "Tài khoản của tôi", "account", extra, status);
  };
  r.get("/tai-khoan", [&, account_page](Request& req) {
    if (!req.user.signed_in()) return login_redirect(req);
    return account_page(req, json::object(), 200);
  });
  r.post("/tai-khoan/khoa-api", [&, account_page](Request& req) {
    require_signed_in(req);
    auto f = http::unwrap(req.form());
    auto t = svc.create_token(Service::actor_of(req), req.user.user_id, f.get("name"));
    if (!t) {
      auto e = t.take_error();
      return account_page(req, {{"error", error_view(e)}}, core::error_status(e.code));
    }
    return account_page(req, {{"new_token", t->second}}, 200);
  });
  r.post("/tai-khoan/khoa-api/{id:int}/thu-hoi", [&](Request& req) {
    require_signed_in(req);
    http::unwrap(svc.revoke_token(Service::actor_of(req), req.user.user_id, req.param_int("id")));
    return web::redirect_with_flash("/tai-khoan", "Đã thu hồi khóa API.");
  });
  r.post("/tai-khoan/mat-khau", [&, account_page](Request& req) {
    require_signed_in(req);
    auto f = http::unwrap(req.form());
    auto st = svc.change_password(Service::actor_of(req), req.user.user_id, f.get("old_password"), f.get("password"));
    if (!st) {
      auto e = st.take_error();
      return account_page(req, {{"pw_error", error_view(e)}}, core::error_status(e.code));
    }
    return web::redirect_with_flash("/tai-khoan", "Đã đổi mật khẩu.");
  });

  // ---- administration ---------------------------------------------------------------------
  auto require_admin = [](const Request& req) {
    require_signed_in(req);
    if (!Service::can_somewhere(req.user, Permission::ManageUsers) &&
        !Service::can_somewhere(req.user, Permission::ManageOrgs))
      http::fail(ErrorCode::Forbidden);
  };
  r.get("/quan-tri", [&, require_admin](Request& req) {
    if (!req.user.signed_in()) return login_redirect(req);
    require_admin(req);
    auto orgs = http::unwrap(svc.org_tree());
    auto recent = svc.audit_page(req.user, 0, 10);
    json d = {{"org_count", orgs.size()}, {"system_admin", req.user.system_admin}};
    if (recent) {
      json rows = json::array();
      for (const auto& e : *recent)
        rows.push_back({{"at", core::vn_datetime(e.at)}, {"actor", e.actor}, {"action", e.action},
                        {"entity", e.entity}, {"entity_id", e.entity_id}});
      d["recent"] = rows;
    }
    return site.page(req, "Quản trị", "admin_home", d);
  });

  auto orgs_page = [&](Request& req, json extra, int status) {
    json list = json::array();
    for (const auto& o : http::unwrap(svc.org_tree())) list.push_back(org_view(o));
    extra["orgs"] = list;
    std::string chosen = extra.contains("form") ? extra["form"].value("type", "") : "";
    extra["types"] = type_options(chosen);
    return site.page(req, "Quản lý đơn vị", "admin_orgs", extra, status);
  };
  r.get("/quan-tri/don-vi", [&, require_admin, orgs_page](Request& req) {
    if (!req.user.signed_in()) return login_redirect(req);
    require_admin(req);
    return orgs_page(req, json::object(), 200);
  });
  r.post("/quan-tri/don-vi", [&, require_admin, orgs_page](Request& req) {
    require_admin(req);
    auto f = http::unwrap(req.form());
    OrgInput in{f.get("code"), f.get("name"), f.get("type"), f.get("parent_code"), f.get("portal_url")};
    auto o = svc.create_org(req.user, Service::actor_of(req), in);
    if (!o) {
      auto e = o.take_error();
      return orgs_page(req, {{"error", error_view(e)}, {"form", {{"code", in.code}, {"name", in.name}, {"type", in.type},
                              {"parent_code", in.parent_code}, {"portal_url", in.portal_url}}}},
                       core::error_status(e.code));
    }
    return web::redirect_with_flash("/quan-tri/don-vi", "Đã tạo đơn vị " + o->name + ".");
  });
  r.post("/quan-tri/don-vi/nhap", [&, require_admin, orgs_page](Request& req) {
    require_admin(req);
    auto f = http::unwrap(req.form());
    auto rep = svc.import_orgs_csv(req.user, Service::actor_of(req), f.get("csv"));
    if (!rep) {
      auto e = rep.take_error();
      return orgs_page(req, {{"import_error", error_view(e)}, {"csv", f.get("csv")}}, core::error_status(e.code));
    }
    return web::redirect_with_flash("/quan-tri/don-vi", "Đã nhập: " + std::to_string(rep->created) + " đơn vị mới, " +
                                                            std::to_string(rep->updated) + " đơn vị cập nhật.");
  }, {kCsvMaxBody, false});
  r.get("/quan-tri/don-vi/{code}", [&, require_admin](Request& req) {
    if (!req.user.signed_in()) return login_redirect(req);
    require_admin(req);
    auto o = http::unwrap(svc.find_org(req.param("code")));
    if (!o) http::fail(ErrorCode::NotFound);
    return site.page(req, "Sửa đơn vị", "admin_org_edit",
                     {{"org", org_view(*o)}, {"types", type_options(org_type_code(o->type))}});
  });
  r.post("/quan-tri/don-vi/{code}", [&, require_admin](Request& req) {
    require_admin(req);
    auto f = http::unwrap(req.form());
    OrgInput in{req.param("code"), f.get("name"), f.get("type"), f.get("parent_code"), f.get("portal_url")};
    auto o = svc.update_org(req.user, Service::actor_of(req), req.param("code"), in);
    if (!o) {
      auto e = o.take_error();
      auto cur = http::unwrap(svc.find_org(req.param("code")));
      if (!cur) http::fail(e);
      // Show what was submitted, so the fix is one change away.
      auto shown = org_view(*cur);
      shown["name"] = in.name;
      shown["parent_code"] = in.parent_code;
      shown["portal_url"] = in.portal_url;
      return site.page(req, "Sửa đơn vị", "admin_org_edit",
                       {{"org", shown}, {"types", type_options(in.type)}, {"error", error_view(e)}},
                       core::error_status(e.code));
    }
    return web::redirect_with_flash("/quan-tri/don-vi", "Đã lưu đơn vị " + o->name + ".");
  });

  auto users_page = [&](Request& req, json extra, int status) {
    int64_t cursor = cursor_of(req);
    auto users = http::unwrap(svc.list_users(req.user, cursor, 50));
    json list = json::array();
    for (const auto& u : users) list.push_back(user_view(u));
    extra["users"] = list;
    if (users.size() == 50) extra["next_cursor"] = users.back().id;
    extra["roles"] = role_options(extra.contains("form") ? extra["form"].value("role", "") : "");
    return site.page(req, "Quản lý người dùng", "admin_users", extra, status);
  };
  r.get("/quan-tri/nguoi-dung", [&, require_admin, users_page](Request& req) {
    if (!req.user.signed_in()) return login_redirect(req);
    require_admin(req);
    return users_page(req, json::object(), 200);
  });
  r.post("/quan-tri/nguoi-dung", [&, require_admin, users_page](Request& req) {
    require_admin(req);
    auto f = http::unwrap(req.form());
    UserInput in{f.get("email"), f.get("phone"), f.get("name"), f.get("org_code"), f.get("role"), f.get("password")};
    // An account made here is always made for a job: no role is a slip, not a choice.
    auto u = in.role.empty() ? Result<User>(Error::of(ErrorCode::Validation, "Hãy chọn vai trò cho tài khoản.", "role"))
                             : svc.create_user(req.user, Service::actor_of(req), in);
    if (!u) {
      auto e = u.take_error();
      return users_page(req, {{"error", error_view(e)}, {"form", {{"email", in.email}, {"phone", in.phone},
                               {"name", in.name}, {"org_code", in.org_code}, {"role", in.role}}}},
                        core::error_status(e.code));
    }
    return web::redirect_with_flash("/quan-tri/nguoi-dung/" + std::to_string(u->id), "Đã tạo tài khoản " + u->name + ".");
  });
  r.get("/quan-tri/nguoi-dung/{id:int}", [&, require_admin](Request& req) {
    if (!req.user.signed_in()) return login_redirect(req);
    require_admin(req);
    auto u = http::unwrap(svc.find_user_for(req.user, req.param_int("id")));
    if (!u) http::fail(ErrorCode::NotFound);
    return site.page(req, "Tài khoản " + u->name, "admin_user", {{"u", user_view(*u)}, {"role_options", role_options()}});
  });
  r.post("/quan-tri/nguoi-dung/{id:int}/vai-tro", [&, require_admin](Request& req) {
    require_admin(req);
    auto f = http::unwrap(req.form());
    auto id = req.param_int("id");
    auto st = f.get("action") == "revoke"
                  ? svc.revoke_role(req.user, Service::actor_of(req), id, f.get("role"), f.get("org_code"))
                  : svc.grant_role(req.user, Service::actor_of(req), id, f.get("role"), f.get("org_code"));
    http::unwrap(std::move(st));
    return web::redirect_with_flash("/quan-tri/nguoi-dung/" + std::to_string(id), "Đã cập nhật vai trò.");
  });
  r.post("/quan-tri/nguoi-dung/{id:int}/trang-thai", [&, require_admin](Request& req) {
    require_admin(req);
    auto f = http::unwrap(req.form());
    auto id = req.param_int("id");
    http::unwrap(svc.set_user_status(req.user, Service::actor_of(req), id, f.get("active") == "1"));
    return web::redirect_with_flash("/quan-tri/nguoi-dung/" + std::to_string(id), "Đã cập nhật trạng thái tài khoản.");
  });
  r.get("/quan-tri/nhat-ky", [&](Request& req) {
    if (!req.user.signed_in()) return login_redirect(req);
    int64_t cursor = cursor_of(req);
    auto rows = http::unwrap(svc.audit_page(req.user, cursor, 50, req.query.get("entity")));
    json list = json::array();
    for (const auto& e : rows)
      list.push_back({{"id", e.id}, {"at", core::vn_datetime(e.at)}, {"actor", e.actor}, {"action", e.action},
                      {"entity", e.entity}, {"entity_id", e.entity_id}, {"summary", e.summary}, {"ip", e.ip},
                      {"hash", e.hash.substr(0, 12)}});
    json d = {{"rows", list}, {"entity", req.query.get("entity")}};
    if (rows.size() == 50) d["next_cursor"] = rows.back().id;
    return site.page(req, "Nhật ký thao tác", "admin_audit", d);
  });

  // ---- JSON API ---------------------------------------------------------------------------
  r.get("/api/v1/accounts/me", [&](Request& req) {
    require_signed_in(req);
    auto u = http::unwrap(svc.find_user(req.user.user_id));
    if (!u) http::fail(ErrorCode::Unauthorized);
    return Response::json(user_view(*u));
  });
  r.get("/api/v1/accounts/orgs", [&](Request& req) {
    int limit = limit_of(req, 100);
    auto orgs = http::unwrap(svc.list_orgs(cursor_of(req), limit));
    json items = json::array();
    for (const auto& o : orgs) items.push_back(org_view(o));
    json out = {{"items", items}, {"next_cursor", nullptr}};
    if (static_cast<int>(orgs.size()) == limit) out["next_cursor"] = std::to_string(orgs.back().id);
    return Response::json(out);
  });
  r.post("/api/v1/accounts/orgs", [&](Request& req) {
    require_signed_in(req);
    auto j = http::unwrap(req.json());
    if (!j.is_object()) http::fail(Error::of(ErrorCode::Validation, "Dữ liệu phải là một đối tượng JSON."));
    OrgInput in{jstr(j, "code"), jstr(j, "name"), jstr(j, "type"), jstr(j, "parent_code"), jstr(j, "portal_url")};
    auto o = http::unwrap(svc.create_org(req.user, Service::actor_of(req), in));
    return Response::json(org_view(o), 201);
  });
  r.get("/api/v1/accounts/users", [&](Request& req) {
    require_signed_in(req);
    int limit = limit_of(req, 50);
    auto users = http::unwrap(svc.list_users(req.user, cursor_of(req), limit));
    json items = json::array();
    for (const auto& u : users) items.push_back(user_view(u));
    json out = {{"items", items}, {"next_cursor", nullptr}};
    if (static_cast<int>(users.size()) == limit) out["next_cursor"] = std::to_string(users.back().id);
    return Response::json(out);
  });
  r.post("/api/v1/accounts/users", [&](Request& req) {
    require_signed_in(req);
    auto j = http::unwrap(req.json());
    if (!j.is_object()) http::fail(Error::of(ErrorCode::Validation, "Dữ liệu phải là một đối tượng JSON."));
    UserInput in{jstr(j, "email"), jstr(j, "phone"), jstr(j, "name"), jstr(j, "org_code"), jstr(j, "role"),
                 jstr(j, "password")};
    auto u = http::unwrap(svc.create_user(req.user, Service::actor_of(req), in));
    return Response::json(user_view(u), 201);
  });
  r.get("/api/v1/accounts/audit", [&](Request& req) {
    require_signed_in(req);
    int limit = limit_of(req, 50);
    auto rows = http::unwrap(svc.audit_page(req.user, cursor_of(req), limit, req.query.get("entity")));
    json items = json::array();
    for (const auto& e : rows)
      items.push_back({{"id", e.id}, {"at", core::iso8601(e.at)}, {"actor", e.actor}, {"actor_id", e.actor_id ? json(*e.actor_id) : json()},
                       {"action", e.action}, {"entity", e.entity}, {"entity_id", e.entity_id},
                       {"summary", json::parse(e.summary, nullptr, false)}, {"hash", e.hash}});
    json out = {{"items", items}, {"next_cursor", nullptr}};
    if (static_cast<int>(rows.size()) == limit) out["next_cursor"] = std::to_string(rows.back().id);
    return Response::json(out);
  });
  r.post("/api/v1/accounts/tokens", [&](Request& req) {
    require_signed_in(req);
    auto j = http::unwrap(req.json());
    if (!j.is_object()) http::fail(Error::of(ErrorCode::Validation, "Dữ liệu phải là một đối tượng JSON."));
    auto t = http::unwrap(svc.create_token(Service::actor_of(req), req.user.user_id, jstr(j, "name")));
    return Response::json({{"id", t.first.id}, {"name", t.first.name}, {"token", t.second}}, 201);
  });
}

}  // namespace pbgdpl::accounts
