// The whole application over HTTP (in-process server, browser-like client), on both backends:
// the "done when" flow (administrator signs in, creates an organization and a user, sees both
// in the audit log), citizen registration, and bad input of every kind → the right 4xx in
// Vietnamese, never a 500.
#include "app/app.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <regex>

#include "core/time.h"
#include "support.h"

namespace pbgdpl::app {
namespace {

using nlohmann::json;
using pbgdpl::testing::Browser;
using pbgdpl::testing::HttpResponse;
using pbgdpl::testing::TestServer;

constexpr const char* kAdminEmail = "quantri@anhoa.gov.vn";
constexpr const char* kAdminPassword = "Quan-tri-An-Hoa-2025";
constexpr const char* kXss = "<script>alert(1)</script>";
constexpr const char* kXssEscaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
constexpr const char* kSqli = "'; DROP TABLE users; --";
constexpr const char* kSqliEscaped = "&#39;; DROP TABLE users; --";

std::string cookie_line(const HttpResponse& r, const std::string& name) {
  for (const auto& c : r.all("set-cookie"))
    if (c.rfind(name + "=", 0) == 0) return c;
  return "";
}

class AppHttp : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { start({}); }
  void start(core::Config c) {
    server_.reset();
    server_ = std::make_unique<TestServer>(GetParam(), std::move(c));
    auto made = server_->app().accounts->ensure_admin(kAdminEmail, kAdminPassword);
    ASSERT_TRUE(made.ok() && *made);
  }
  uint16_t port() const { return server_->port(); }
  Browser admin() {
    Browser b(port());
    EXPECT_TRUE(b.login(kAdminEmail, kAdminPassword));
    return b;
  }
  int64_t count(const std::string& table, const std::string& where = "", const storage::Params& p = {}) {
    auto r = server_->app().db->read([&](storage::Conn& c) {
      return c.one("SELECT COUNT(*) FROM " + table + (where.empty() ? "" : " WHERE " + where), p);
    });
    EXPECT_TRUE(r.ok());
    return r.ok() && r->has_value() ? (*r)->i64(0) : -1;
  }
  /// Never a 500, never an unescaped script from our payloads.
  static void expect_safe(const HttpResponse& r, const std::string& what) {
    EXPECT_GT(r.status, 0) << what;
    EXPECT_LT(r.status, 500) << what << "\n" << r.body;
    EXPECT_EQ(r.body.find("<script>alert"), std::string::npos) << what << ": raw script in page";
  }
  std::unique_ptr<TestServer> server_;
};

TEST_P(AppHttp, AdministratorCreatesAnOrgAndAUserAndSeesBothInTheAuditLog) {
  Browser b(port());
  auto anon = b.get("/quan-tri");
  ASSERT_EQ(anon.status, 303);
  EXPECT_EQ(anon.header("location"), "/dang-nhap?next=%2Fquan-tri");

  // Sign in through the form, landing where we wanted to go.
  auto form = b.get("/dang-nhap?next=%2Fquan-tri");
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("name=\"next\" value=\"/quan-tri\""), std::string::npos);
  auto in = b.post_form("/dang-nhap", {{"login", kAdminEmail}, {"password", kAdminPassword}, {"next", "/quan-tri"}});
  ASSERT_EQ(in.status, 303) << in.body;
  EXPECT_EQ(in.header("location"), "/quan-tri");
  auto home = b.get("/quan-tri");
  ASSERT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("Xin chào, <strong>Quản trị hệ thống</strong>"), std::string::npos);

  // Create an organization.
  ASSERT_EQ(b.get("/quan-tri/don-vi").status, 200);
  auto made = b.post_form("/quan-tri/don-vi", {{"code", "AH"}, {"name", "Tỉnh An Hòa"}, {"type", "tinh"},
                                               {"parent_code", ""}, {"portal_url", "https://anhoa.gov.vn"}});
  ASSERT_EQ(made.status, 303) << made.body;
  auto orgs = b.get("/quan-tri/don-vi");
  EXPECT_NE(orgs.body.find("Đã tạo đơn vị Tỉnh An Hòa."), std::string::npos) << "flash shown once";
  EXPECT_NE(orgs.body.find("<a href=\"/quan-tri/don-vi/AH\">AH</a>"), std::string::npos);
  auto sub = b.post_form("/quan-tri/don-vi", {{"code", "AH-STP"}, {"name", "Sở Tư pháp"}, {"type", "so_nganh"},
                                              {"parent_code", "AH"}, {"portal_url", ""}});
  ASSERT_EQ(sub.status, 303) << sub.body;
  // Duplicate code → 409 with the form kept.
  b.get("/quan-tri/don-vi");
  auto dup = b.post_form("/quan-tri/don-vi", {{"code", "AH"}, {"name", "Tỉnh trùng"}, {"type", "tinh"}});
  EXPECT_EQ(dup.status, 409);
  EXPECT_NE(dup.body.find("Mã đơn vị &#39;AH&#39; đã tồn tại."), std::string::npos) << dup.body;
  EXPECT_NE(dup.body.find("value=\"Tỉnh trùng\""), std::string::npos);

  // Create a user in it.
  ASSERT_EQ(b.get("/quan-tri/nguoi-dung").status, 200);
  auto user = b.post_form("/quan-tri/nguoi-dung", {{"name", "Trần Văn Biên"}, {"email", "bien.tap@anhoa.gov.vn"},
                                                   {"phone", "0912 345 678"}, {"org_code", "AH-STP"},
                                                   {"role", "editor"}, {"password", "Bien-tap-2025"}});
  ASSERT_EQ(user.status, 303) << user.body;
  std::smatch m;
  auto loc = user.header("location");
  ASSERT_TRUE(std::regex_match(loc, m, std::regex("/quan-tri/nguoi-dung/(\\d+)"))) << loc;
  auto page = b.get(loc);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Trần Văn Biên"), std::string::npos);
  EXPECT_NE(page.body.find("Biên tập viên – Sở Tư pháp"), std::string::npos) << page.body;

  // Both in the audit log, with who did it.
  auto log = b.get("/quan-tri/nhat-ky");
  ASSERT_EQ(log.status, 200);
  EXPECT_NE(log.body.find("<td>org.create</td><td>org AH</td>"), std::string::npos) << log.body;
  EXPECT_NE(log.body.find("<td>org.create</td><td>org AH-STP</td>"), std::string::npos);
  EXPECT_NE(log.body.find("<td>user.create</td><td>user " + m[1].str() + "</td>"), std::string::npos);
  EXPECT_NE(log.body.find("bien.tap@anhoa.gov.vn"), std::string::npos);
  EXPECT_NE(log.body.find("<td>Quản trị hệ thống<br>"), std::string::npos);
  auto filtered = b.get("/quan-tri/nhat-ky?entity=org");
  EXPECT_EQ(filtered.body.find("user.create"), std::string::npos);
  EXPECT_NE(filtered.body.find("org.create"), std::string::npos);

  // The new editor can sign in but has no admin pages.
  Browser editor(port());
  ASSERT_TRUE(editor.login("0912345678", "Bien-tap-2025"));
  EXPECT_EQ(editor.get("/quan-tri").status, 403);
  EXPECT_EQ(editor.get("/quan-tri/nhat-ky").status, 403);

  auto verify = server_->app().accounts->audit_verify();
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok);
}

TEST_P(AppHttp, AdminCsvImportAndOrgEditThroughThePages) {
  Browser b = admin();
  b.get("/quan-tri/don-vi");
  auto ok = b.post_form("/quan-tri/don-vi/nhap",
                        {{"csv", "code,name,type,parent_code,portal_url\nAH-X1,Xã Một,xa_phuong,AH,\nAH,Tỉnh An Hòa,tinh,,\n"}});
  ASSERT_EQ(ok.status, 303) << ok.body;
  auto list = b.get("/quan-tri/don-vi");
  EXPECT_NE(list.body.find("Đã nhập: 2 đơn vị mới, 0 đơn vị cập nhật."), std::string::npos);
  auto bad = b.post_form("/quan-tri/don-vi/nhap",
                         {{"csv", "code,name,type,parent_code\nAH-X2,Xã Hai,xa_phuong,AH-X1\nAH-X3,Xã Ba,xa,AH\n"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("dòng 2:"), std::string::npos) << bad.body;
  EXPECT_NE(bad.body.find("dòng 3:"), std::string::npos);
  EXPECT_NE(bad.body.find("AH-X3,Xã Ba,xa,AH"), std::string::npos) << "the text is kept for fixing";
  EXPECT_EQ(count("orgs"), 2);

  auto edit = b.get("/quan-tri/don-vi/AH-X1");
  ASSERT_EQ(edit.status, 200);
  auto saved = b.post_form("/quan-tri/don-vi/AH-X1", {{"name", "Xã Một Mới"}, {"type", "xa_phuong"}, {"parent_code", "AH"}});
  EXPECT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(b.get("/quan-tri/don-vi/KHONG-CO").status, 404);
}

/// What a browser would submit for the form posting to `action` when nobody touches it: every
/// input's value and, for a select, the option marked selected (else the first one).
std::vector<std::pair<std::string, std::string>> untouched_form(const std::string& html, const std::string& action) {
  std::vector<std::pair<std::string, std::string>> out;
  auto start = html.find("<form method=\"post\" action=\"" + action + "\">");
  if (start == std::string::npos) return out;
  std::string form = html.substr(start, html.find("</form>", start) - start);
  static const std::regex input(R"re(<input[^>]*name="([^"]+)"[^>]*value="([^"]*)")re");
  for (std::sregex_iterator it(form.begin(), form.end(), input), end; it != end; ++it)
    out.emplace_back((*it)[1], (*it)[2]);
  static const std::regex select(R"re(<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>)re");
  static const std::regex selected(R"re(<option value="([^"]*)" selected>)re");
  static const std::regex first(R"re(<option value="([^"]*)")re");
  for (std::sregex_iterator it(form.begin(), form.end(), select), end; it != end; ++it) {
    std::string options = (*it)[2];
    std::smatch m;
    if (std::regex_search(options, m, selected) || std::regex_search(options, m, first)) out.emplace_back((*it)[1], m[1]);
  }
  return out;
}

TEST_P(AppHttp, FormsKeepTheCurrentChoiceOfEverySelect) {
  auto& accounts = *server_->app().accounts;
  auto root = accounts::Service::system_principal();
  ASSERT_TRUE(accounts.create_org(root, {}, {"AH", "Tỉnh An Hòa", "tinh", "", ""}).ok());
  ASSERT_TRUE(accounts.create_org(root, {}, {"AH-X1", "Xã Một", "xa_phuong", "AH", ""}).ok());
  Browser b = admin();
  // Editing only the name: the type select must arrive as it was.
  auto page = b.get("/quan-tri/don-vi/AH-X1");
  ASSERT_EQ(page.status, 200);
  auto fields = untouched_form(page.body, "/quan-tri/don-vi/AH-X1");
  ASSERT_GE(fields.size(), 4u);
  for (auto& [k, v] : fields)
    if (k == "name") v = "Xã Một (sáp nhập)";
  auto saved = b.post_form("/quan-tri/don-vi/AH-X1", fields);
  EXPECT_EQ(saved.status, 303) << saved.body;
  auto now = accounts.find_org("AH-X1");
  ASSERT_TRUE(now.ok() && now->has_value());
  EXPECT_EQ((*now)->name, "Xã Một (sáp nhập)");
  EXPECT_EQ((*now)->type, accounts::OrgType::Commune);
  // After a refused create, the chosen type and role are still chosen.
  b.get("/quan-tri/don-vi");
  auto bad = b.post_form("/quan-tri/don-vi", {{"code", "AH-X2"}, {"name", "Xã Hai"}, {"type", "xa_phuong"},
                                              {"parent_code", "KHONG-CO"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("<option value=\"xa_phuong\" selected>"), std::string::npos);
  b.get("/quan-tri/nguoi-dung");
  auto badu = b.post_form("/quan-tri/nguoi-dung", {{"name", "Cán bộ"}, {"email", "cb@example.vn"}, {"org_code", "KHONG-CO"},
                                                   {"role", "approver"}, {"password", "Mat-khau-2025"}});
  EXPECT_EQ(badu.status, 422);
  EXPECT_NE(badu.body.find("<option value=\"approver\" selected>"), std::string::npos);
}

TEST_P(AppHttp, UserFormsStartWithNoRoleChosen) {
  // The first option used to be "Quản trị hệ thống": a form sent without touching the select
  // created a system administrator.
  ASSERT_TRUE(server_->app().accounts->create_org(accounts::Service::system_principal(), {},
                                                  {"AH", "Tỉnh An Hòa", "tinh", "", ""}).ok());
  Browser b = admin();
  auto page = b.get("/quan-tri/nguoi-dung");
  auto fields = untouched_form(page.body, "/quan-tri/nguoi-dung");
  for (auto& [k, v] : fields) {
    if (k == "name") v = "Cán bộ mới";
    if (k == "email") v = "moi@example.vn";
    if (k == "org_code") v = "AH";
  }
  fields.emplace_back("password", "Mat-khau-2025");
  auto r = b.post_form("/quan-tri/nguoi-dung", fields);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_NE(r.body.find("Hãy chọn vai trò"), std::string::npos);
  EXPECT_EQ(count("user_roles", "role = 'system_admin'"), 1);
  EXPECT_EQ(count("users", "email = 'moi@example.vn'"), 0);
  // Same on a user's page: granting without choosing does nothing.
  auto id = server_->app().accounts->create_user(accounts::Service::system_principal(), {},
                                                 {"cb@example.vn", "", "Cán bộ", "AH", "editor", "Mat-khau-2025"});
  ASSERT_TRUE(id.ok());
  auto up = b.get("/quan-tri/nguoi-dung/" + std::to_string(id->id));
  auto grant = untouched_form(up.body, "/quan-tri/nguoi-dung/" + std::to_string(id->id) + "/vai-tro");
  for (auto& [k, v] : grant)
    if (k == "org_code") v = "AH";
  auto g = b.post_form("/quan-tri/nguoi-dung/" + std::to_string(id->id) + "/vai-tro", grant);
  EXPECT_EQ(g.status, 422) << g.body;
  EXPECT_EQ(count("user_roles", "role = 'system_admin'"), 1);
}

TEST_P(AppHttp, CitizenRegistersAndSignsIn) {
  Browser c(port());
  auto form = c.get("/dang-ky");
  ASSERT_EQ(form.status, 200);
  auto mismatch = c.post_form("/dang-ky", {{"kind", "citizen"}, {"name", "Lò Văn Páo"}, {"email", "pao@example.vn"},
                                           {"password", "Mat-khau-2025"}, {"password2", "khac-han"}});
  EXPECT_EQ(mismatch.status, 422);
  EXPECT_NE(mismatch.body.find("Hai lần nhập mật khẩu không khớp."), std::string::npos);
  EXPECT_NE(mismatch.body.find("value=\"Lò Văn Páo\""), std::string::npos);
  auto r = c.post_form("/dang-ky", {{"kind", "citizen"}, {"name", "Lò Văn Páo"}, {"email", "Pao@Example.vn"},
                                    {"phone", "+84 987 654 321"}, {"password", "Mat-khau-2025"},
                                    {"password2", "Mat-khau-2025"}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("location"), "/dang-nhap");
  auto again = c.get("/dang-nhap");
  EXPECT_NE(again.body.find("Đăng ký thành công. Mời bạn đăng nhập."), std::string::npos);
  ASSERT_TRUE(c.login("pao@example.vn", "Mat-khau-2025"));
  auto me = c.get("/tai-khoan");
  ASSERT_EQ(me.status, 200);
  EXPECT_NE(me.body.find("Lò Văn Páo"), std::string::npos);
  EXPECT_NE(me.body.find("0987654321"), std::string::npos);
  EXPECT_NE(me.body.find("Người dân"), std::string::npos);
  // A citizen has no business in the admin area.
  auto adm = c.get("/quan-tri");
  EXPECT_EQ(adm.status, 403);
  EXPECT_NE(adm.body.find("Bạn không có quyền thực hiện thao tác này."), std::string::npos);
  EXPECT_EQ(c.get("/quan-tri/nguoi-dung").status, 403);
  c.get("/");
  auto post = c.post_form("/quan-tri/don-vi", {{"code", "AH"}, {"name", "Tỉnh"}, {"type", "tinh"}});
  EXPECT_EQ(post.status, 403);
  EXPECT_EQ(count("orgs"), 0);
  // Registering the same address twice is a conflict.
  Browser d(port());
  d.get("/dang-ky");
  auto dup = d.post_form("/dang-ky", {{"kind", "business"}, {"name", "Công ty A"}, {"email", "pao@example.vn"},
                                      {"password", "Mat-khau-2025"}, {"password2", "Mat-khau-2025"}});
  EXPECT_EQ(dup.status, 409);
  EXPECT_NE(dup.body.find("Đã có tài khoản dùng pao@example.vn."), std::string::npos);
}

TEST_P(AppHttp, AnonymousGetsRedirectedToSignIn) {
  Browser b(port());
  for (const char* path : {"/quan-tri", "/quan-tri/don-vi", "/quan-tri/nguoi-dung", "/quan-tri/nhat-ky", "/tai-khoan"}) {
    auto r = b.get(path);
    EXPECT_EQ(r.status, 303) << path;
    EXPECT_EQ(r.header("location"), "/dang-nhap?next=" + http::percent_encode(path)) << path;
  }
  // The next parameter cannot send people off-site.
  b.get("/dang-nhap");
  auto r = b.post_form("/dang-nhap", {{"login", kAdminEmail}, {"password", kAdminPassword}, {"next", "//evil.example/"}});
  ASSERT_EQ(r.status, 303);
  EXPECT_EQ(r.header("location"), "/");
}

// ---- CSRF --------------------------------------------------------------------------------------

TEST_P(AppHttp, CrossSiteFormPostsAreRefusedAndSignedInOnesNeedTheSessionToken) {
  // Anonymous forms carry no token; a post that the browser marks as coming from another
  // site is refused, whatever it carries.
  Browser anon(port());
  anon.get("/dang-ky");
  std::vector<std::pair<std::string, std::string>> fields = {
      {"kind", "citizen"}, {"name", "Người thử"}, {"email", "thu@example.vn"}, {"password", "Mat-khau-2025"},
      {"password2", "Mat-khau-2025"}};
  const std::string body = pbgdpl::testing::form_encode(fields);
  const std::string form = "application/x-www-form-urlencoded";
  const std::string host = "127.0.0.1:" + std::to_string(port());
  for (const auto& hostile : std::vector<std::map<std::string, std::string>>{
           {{"Sec-Fetch-Site", "cross-site"}},
           {{"Sec-Fetch-Site", "same-site"}, {"Origin", "http://" + host}},
           {{"Origin", "http://evil.example"}},
           {{"Origin", "null"}},
           {{"Origin", "http://" + host + ".evil.example"}}}) {
    auto h = hostile;
    h["Content-Type"] = form;
    auto r = anon.send("POST", "/dang-ky", body, h);
    EXPECT_EQ(r.status, 403) << h.begin()->first << ": " << h.begin()->second;
    EXPECT_NE(r.body.find("Biểu mẫu đã hết hạn hoặc không hợp lệ"), std::string::npos) << r.body;
    EXPECT_NE(r.header("content-type").find("text/html"), std::string::npos);
  }
  EXPECT_EQ(count("users", "email = 'thu@example.vn'"), 0);
  // The same form from our own page (as a browser sends it) works.
  auto ok = anon.send("POST", "/dang-ky", body,
                      {{"Content-Type", form}, {"Sec-Fetch-Site", "same-origin"}, {"Origin", "http://" + host}});
  EXPECT_EQ(ok.status, 303) << ok.body;
  EXPECT_EQ(count("users", "email = 'thu@example.vn'"), 1);
  // Our own origin without Fetch Metadata (an older browser) works too.
  auto older = Browser(port()).send(
      "POST", "/dang-ky",
      pbgdpl::testing::form_encode({{"kind", "citizen"}, {"name", "Người thử hai"}, {"email", "thu2@example.vn"},
                                    {"password", "Mat-khau-2025"}, {"password2", "Mat-khau-2025"}}),
      {{"Content-Type", form}, {"Origin", "http://" + host}});
  EXPECT_EQ(older.status, 303) << older.body;

  // Signed in: the token is bound to the session, not the anonymous cookie.
  Browser b = admin();
  auto admin_none = b.post_form("/quan-tri/don-vi", {{"code", "AH"}, {"name", "Tỉnh An Hòa"}, {"type", "tinh"}}, false);
  EXPECT_EQ(admin_none.status, 403);
  Browser other_admin = admin();
  auto admin_other_token = b.post_form(
      "/quan-tri/don-vi", {{"code", "AH"}, {"name", "Tỉnh An Hòa"}, {"type", "tinh"}, {"_csrf", other_admin.csrf()}}, false);
  EXPECT_EQ(admin_other_token.status, 403) << "another session's token";
  auto admin_forged = b.post_form(
      "/quan-tri/don-vi", {{"code", "AH"}, {"name", "Tỉnh An Hòa"}, {"type", "tinh"}, {"_csrf", std::string(40, 'a')}}, false);
  EXPECT_EQ(admin_forged.status, 403);
  EXPECT_EQ(count("orgs"), 0);
  // Accept: application/json gets the error as JSON.
  auto j = b.send("POST", "/quan-tri/don-vi", "code=AH", {{"Content-Type", "application/x-www-form-urlencoded"},
                                                          {"Accept", "application/json"}});
  EXPECT_EQ(j.status, 403);
  EXPECT_EQ(json::parse(j.body)["error"]["code"], "csrf_failed");
}

TEST_P(AppHttp, JsonApiWithASessionCookieNeedsTheCsrfHeader) {
  Browser b = admin();
  std::string body = R"({"code":"AH","name":"Tỉnh An Hòa","type":"tinh"})";
  auto no = b.send("POST", "/api/v1/accounts/orgs", body, {{"Content-Type", "application/json"}});
  EXPECT_EQ(no.status, 403);
  auto j = json::parse(no.body, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << no.body;
  EXPECT_EQ(j["error"]["code"], "csrf_failed");
  EXPECT_FALSE(j["error"]["message"].get<std::string>().empty());
  auto wrong = b.send("POST", "/api/v1/accounts/orgs", body,
                      {{"Content-Type", "application/json"}, {"X-CSRF-Token", std::string(40, '0')}});
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(count("orgs"), 0);
  auto yes = b.send("POST", "/api/v1/accounts/orgs", body,
                    {{"Content-Type", "application/json"}, {"X-CSRF-Token", b.csrf()}});
  EXPECT_EQ(yes.status, 201) << yes.body;
  EXPECT_EQ(json::parse(yes.body)["code"], "AH");
  // Bad JSON and wrong types are 4xx JSON errors.
  auto broken = b.send("POST", "/api/v1/accounts/orgs", "{\"code\":", {{"Content-Type", "application/json"},
                                                                       {"X-CSRF-Token", b.csrf()}});
  EXPECT_EQ(broken.status, 400) << broken.body;
  auto typed = b.send("POST", "/api/v1/accounts/orgs", R"({"code":5,"name":"x","type":"tinh"})",
                      {{"Content-Type", "application/json"}, {"X-CSRF-Token", b.csrf()}});
  EXPECT_EQ(typed.status, 422) << typed.body;
  EXPECT_EQ(json::parse(typed.body)["error"]["field"], "code");
}

// ---- sessions and cookies -----------------------------------------------------------------------

TEST_P(AppHttp, ExpiredOrUnknownSessionIsAnonymousAndTheCookieIsCleared) {
  Browser b = admin();
  ASSERT_EQ(b.get("/quan-tri").status, 200);
  ASSERT_TRUE(server_->app().db->write([](storage::Conn& c) { return c.exec("UPDATE sessions SET expires_at = 1"); }).ok());
  auto r = b.get("/");
  EXPECT_EQ(r.status, 200);
  auto line = cookie_line(r, "sid");
  EXPECT_NE(line.find("Max-Age=0"), std::string::npos) << line;
  EXPECT_NE(r.body.find("<a href=\"/dang-nhap\">Đăng nhập</a>"), std::string::npos);
  EXPECT_EQ(b.cookies().count("sid"), 0u);
  EXPECT_EQ(b.get("/quan-tri").status, 303);

  Browser u(port());
  u.cookies()["sid"] = "khong-ton-tai";
  auto unk = u.get("/");
  EXPECT_EQ(unk.status, 200);
  EXPECT_NE(cookie_line(unk, "sid").find("Max-Age=0"), std::string::npos);
  // A form posted with a dead session is an anonymous post: "sign in first", nothing made.
  Browser x(port());
  x.cookies()["sid"] = "khong-ton-tai";
  auto post = x.send("POST", "/quan-tri/don-vi", "code=AH&name=T&type=tinh&_csrf=abc",
                     {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(post.status, 401);
  EXPECT_NE(post.body.find("Cần đăng nhập"), std::string::npos) << post.body;
  EXPECT_EQ(count("orgs"), 0);
}

TEST_P(AppHttp, IdleSessionsEndOverHttp) {
  Browser b = admin();
  ASSERT_TRUE(server_->app().db->write([](storage::Conn& c) {
    return c.exec("UPDATE sessions SET last_seen_at = ?", {core::now_ms() - 121 * 60'000});
  }).ok());
  EXPECT_EQ(b.get("/quan-tri").status, 303);
  EXPECT_EQ(count("sessions"), 0);
}

TEST_P(AppHttp, SessionCookieIsSecureOnlyBehindATrustedTlsProxy) {
  auto login_via = [&](bool forwarded_https) {
    Browser b(port());
    std::map<std::string, std::string> h;
    if (forwarded_https) h = {{"X-Forwarded-Proto", "https"}, {"X-Forwarded-For", "203.0.113.9"}};
    b.get("/dang-nhap", h);
    h["Content-Type"] = "application/x-www-form-urlencoded";
    auto r = b.send("POST", "/dang-nhap",
                    pbgdpl::testing::form_encode({{"login", kAdminEmail}, {"password", kAdminPassword},
                                                  {"_csrf", b.csrf()}}),
                    h);
    EXPECT_EQ(r.status, 303) << r.body;
    return r;
  };
  // Not trusted: the header is ignored.
  auto plain = login_via(true);
  auto line = cookie_line(plain, "sid");
  EXPECT_NE(line.find("HttpOnly"), std::string::npos);
  EXPECT_NE(line.find("SameSite=Lax"), std::string::npos);
  EXPECT_EQ(line.find("Secure"), std::string::npos) << line;

  core::Config c;
  c.trust_proxy = true;
  start(c);
  auto tls = login_via(true);
  line = cookie_line(tls, "sid");
  EXPECT_NE(line.find("; Secure"), std::string::npos) << line;
  EXPECT_NE(line.find("HttpOnly"), std::string::npos);
  EXPECT_NE(line.find("SameSite=Lax"), std::string::npos);
  EXPECT_EQ(tls.header("strict-transport-security"), "max-age=31536000");
  auto http = login_via(false);
  EXPECT_EQ(cookie_line(http, "sid").find("Secure"), std::string::npos);
  // The audit log records the client address the proxy reported.
  auto ip = server_->app().db->read([](storage::Conn& c) {
    return c.one("SELECT ip FROM audit_log WHERE action = 'session.login' ORDER BY id LIMIT 1");
  });
  ASSERT_TRUE(ip.ok() && ip->has_value());
  EXPECT_EQ((*ip)->str(0), "203.0.113.9");
}

// ---- bad input ------------------------------------------------------------------------------------

TEST_P(AppHttp, InvalidUtf8InAFormIs400NotCsrfOrServerError) {
  Browser anon(port());
  anon.get("/dang-ky");
  auto r = anon.send("POST", "/dang-ky",
                     "_csrf=" + anon.csrf() + "&kind=citizen&name=%FF%FE&email=a%40b.vn&password=x&password2=x",
                     {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("UTF-8"), std::string::npos) << r.body;
  Browser b = admin();
  for (const char* path : {"/quan-tri/don-vi", "/quan-tri/nguoi-dung", "/dang-nhap"}) {
    auto x = b.send("POST", path, "_csrf=" + b.csrf() + "&name=T%C3&code=A%FF",
                    {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(x.status, 400) << path << "\n" << x.body;
  }
  // Raw invalid bytes (not escaped) too, and a broken escape.
  auto raw = b.send("POST", "/quan-tri/don-vi", "_csrf=" + b.csrf() + "&name=\xff\xfe&code=AB&type=tinh",
                    {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(raw.status, 400) << raw.body;
  auto esc = b.send("POST", "/quan-tri/don-vi", "_csrf=" + b.csrf() + "&name=%G1",
                    {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(esc.status, 400) << esc.body;
  EXPECT_EQ(count("orgs"), 0);
}

TEST_P(AppHttp, InjectionStringsAreStoredAsTextAndRenderedEscaped) {
  Browser b = admin();
  ASSERT_EQ(server_->app().accounts->create_org(accounts::Service::system_principal(), {}, {"AH", "Tỉnh An Hòa", "tinh", "", ""}).ok(),
            true);
  int n = 0;
  for (const std::string payload : {kXss, kSqli}) {
    const std::string esc = payload == kXss ? kXssEscaped : kSqliEscaped;
    const std::string tag = std::to_string(++n);
    // Organization form: the name is free text and is kept; every other field is refused.
    b.get("/quan-tri/don-vi");
    auto ok = b.post_form("/quan-tri/don-vi", {{"code", "AH-P" + tag}, {"name", payload}, {"type", "so_nganh"},
                                               {"parent_code", "AH"}, {"portal_url", ""}});
    expect_safe(ok, "org name");
    EXPECT_EQ(ok.status, 303) << ok.body;
    auto list = b.get("/quan-tri/don-vi");
    expect_safe(list, "org list");
    EXPECT_NE(list.body.find(esc), std::string::npos) << "escaped name shown";
    for (const char* field : {"code", "type", "parent_code", "portal_url"}) {
      std::vector<std::pair<std::string, std::string>> f = {
          {"code", "AH-Q" + tag}, {"name", "Đơn vị thử"}, {"type", "so_nganh"}, {"parent_code", "AH"}, {"portal_url", ""}};
      for (auto& kv : f)
        if (kv.first == field) kv.second = payload;
      b.get("/quan-tri/don-vi");
      auto r = b.post_form("/quan-tri/don-vi", f);
      expect_safe(r, std::string("org ") + field);
      EXPECT_EQ(r.status, 422) << field;
    }
    // User form.
    b.get("/quan-tri/nguoi-dung");
    auto u = b.post_form("/quan-tri/nguoi-dung", {{"name", payload}, {"email", "u" + tag + "@example.vn"}, {"phone", ""},
                                                  {"org_code", "AH"}, {"role", "editor"}, {"password", "Mat-khau-2025"}});
    expect_safe(u, "user name");
    EXPECT_EQ(u.status, 303) << u.body;
    auto up = b.get(u.header("location"));
    expect_safe(up, "user page");
    EXPECT_NE(up.body.find(esc), std::string::npos);
    for (const char* field : {"email", "phone", "org_code", "role"}) {
      std::vector<std::pair<std::string, std::string>> f = {{"name", "Cán bộ thử"}, {"email", "v" + tag + "@example.vn"},
                                                            {"phone", ""}, {"org_code", "AH"}, {"role", "editor"},
                                                            {"password", "Mat-khau-2025"}};
      for (auto& kv : f)
        if (kv.first == field) kv.second = payload;
      b.get("/quan-tri/nguoi-dung");
      auto r = b.post_form("/quan-tri/nguoi-dung", f);
      expect_safe(r, std::string("user ") + field);
      EXPECT_EQ(r.status, 422) << field << "\n" << r.body;
      if (std::string(field) != "role") {
        EXPECT_NE(r.body.find(esc), std::string::npos) << field << ": input kept, escaped";
      }
    }
    // Registration form.
    Browser c(port());
    c.get("/dang-ky");
    auto reg = c.post_form("/dang-ky", {{"kind", "citizen"}, {"name", payload}, {"email", "dan" + tag + "@example.vn"},
                                        {"phone", ""}, {"password", "Mat-khau-2025"}, {"password2", "Mat-khau-2025"}});
    expect_safe(reg, "register name");
    EXPECT_EQ(reg.status, 303) << reg.body;
    for (const char* field : {"email", "phone"}) {
      std::vector<std::pair<std::string, std::string>> f = {{"kind", "citizen"}, {"name", "Người dân thử"},
                                                            {"email", "x" + tag + "@example.vn"}, {"phone", ""},
                                                            {"password", "Mat-khau-2025"}, {"password2", "Mat-khau-2025"}};
      for (auto& kv : f)
        if (kv.first == field) kv.second = payload;
      c.get("/dang-ky");
      auto r = c.post_form("/dang-ky", f);
      expect_safe(r, std::string("register ") + field);
      EXPECT_EQ(r.status, 422) << field;
      EXPECT_NE(r.body.find(esc), std::string::npos) << field;
    }
    // The login form echoes the login back escaped.
    c.get("/dang-nhap");
    auto li = c.post_form("/dang-nhap", {{"login", payload}, {"password", payload}});
    expect_safe(li, "login");
    EXPECT_EQ(li.status, 401);
    ASSERT_TRUE(c.login("dan" + tag + "@example.vn", "Mat-khau-2025"));
    auto acc = c.get("/tai-khoan");
    expect_safe(acc, "account page");
    EXPECT_NE(acc.body.find(esc), std::string::npos);
    // The audit log shows it escaped as well.
    auto log = b.get("/quan-tri/nhat-ky");
    expect_safe(log, "audit");
  }
  // Stored verbatim, and the tables are all still there.
  EXPECT_EQ(count("orgs", "name = ?", {std::string(kXss)}), 1);
  EXPECT_EQ(count("orgs", "name = ?", {std::string(kSqli)}), 1);
  EXPECT_EQ(count("users", "name = ?", {std::string(kSqli)}), 2);
  EXPECT_EQ(count("users", "name = ?", {std::string(kXss)}), 2);
  auto verify = server_->app().accounts->audit_verify();
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok);
}

TEST_P(AppHttp, OversizedFormIs413) {
  Browser anon(port());
  anon.get("/dang-ky");
  std::string big = "_csrf=" + anon.csrf() + "&name=" + std::string((1 << 20) + 100, 'a');
  auto r = anon.send("POST", "/dang-ky", big, {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(r.body.find("vượt quá dung lượng cho phép"), std::string::npos) << r.body.substr(0, 500);
  // The import form takes up to 2 MiB of CSV; beyond that it is refused too.
  Browser b = admin();
  std::string csv = "code,name,type,parent_code\n";
  while (csv.size() < (2u << 20) + 1000) csv += "AH-X,Xã,xa_phuong,AH\n";
  auto big_csv = b.post_form("/quan-tri/don-vi/nhap", {{"csv", csv}});
  EXPECT_EQ(big_csv.status, 413);
  EXPECT_EQ(count("orgs"), 0);
}

TEST_P(AppHttp, PublicPagesAndProbesAnswer) {
  Browser b(port());
  auto home = b.get("/");
  EXPECT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("<html lang=\"vi\""), std::string::npos);
  EXPECT_EQ(home.header("set-cookie"), "") << "an anonymous visitor gets no cookie: the page is the same for all";
  EXPECT_EQ(b.get("/healthz").status, 200);
  EXPECT_EQ(b.get("/don-vi").status, 200);
  auto missing = b.get("/khong-co-trang-nay");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("Không tìm thấy trang"), std::string::npos);
  auto api404 = b.get("/api/v1/accounts/khong-co");
  EXPECT_EQ(api404.status, 404);
  EXPECT_EQ(json::parse(api404.body)["error"]["code"], "not_found");
  auto bad_cursor = b.get("/api/v1/accounts/orgs?cursor=abc");
  EXPECT_EQ(bad_cursor.status, 400);
  auto bad_limit = b.get("/api/v1/accounts/orgs?limit=100000");
  EXPECT_EQ(bad_limit.status, 400);
}

INSTANTIATE_TEST_SUITE_P(Backends, AppHttp, ::testing::ValuesIn(pbgdpl::testing::backends()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
}  // namespace pbgdpl::app
