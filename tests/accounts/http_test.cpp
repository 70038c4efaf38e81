// Accounts over HTTP: sign-in pages (generic 401, 429 throttle, session rotation and cookie
// flags) and API tokens (Bearer for /api/v1/accounts/me, revoked and forged tokens).
#include "accounts/routes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "fixture.h"
#include "support.h"

namespace pbgdpl::accounts::test {
namespace {

using nlohmann::json;
using pbgdpl::testing::Browser;
using pbgdpl::testing::HttpResponse;
using pbgdpl::testing::TestServer;

class AccountsHttp : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { server_ = std::make_unique<TestServer>(GetParam()); }
  Service& svc() { return *server_->app().accounts; }
  uint16_t port() const { return server_->port(); }
  User make_user(const std::string& email, const std::string& role = "citizen") {
    Actor cli;
    cli.name = "cli";
    auto u = svc().create_user(Service::system_principal(), cli, {email, "", "Người dùng thử", "", role, kPassword});
    EXPECT_TRUE(u.ok()) << (u.ok() ? "" : u.error().message);
    return u.ok() ? *u : User{};
  }
  HttpResponse api(const std::string& method, const std::string& path, const std::string& auth,
                   const std::string& body = "") {
    Browser b(port());
    std::map<std::string, std::string> h;
    if (!auth.empty()) h["Authorization"] = auth;
    if (!body.empty()) h["Content-Type"] = "application/json";
    return b.send(method, path, body, h);
  }
  static std::string cookie_line(const HttpResponse& r, const std::string& name) {
    for (const auto& c : r.all("set-cookie"))
      if (c.rfind(name + "=", 0) == 0) return c;
    return "";
  }
  std::unique_ptr<TestServer> server_;
};

TEST_P(AccountsHttp, BearerTokenWorksUntilRevoked) {
  auto u = make_user("api@example.vn");
  Actor cli;
  auto t = svc().create_token(cli, u.id, "Máy chủ cổng xã");
  ASSERT_TRUE(t.ok());
  auto me = api("GET", "/api/v1/accounts/me", "Bearer " + t->second);
  ASSERT_EQ(me.status, 200) << me.body;
  auto j = json::parse(me.body);
  EXPECT_EQ(j["email"], "api@example.vn");
  EXPECT_EQ(j["roles"][0]["role"], "citizen");
  EXPECT_TRUE(cookie_line(me, "sid").empty()) << "token requests get no session";

  // A token needs no CSRF header for writes.
  auto made = api("POST", "/api/v1/accounts/tokens", "Bearer " + t->second, R"({"name":"Khóa thứ hai"})");
  EXPECT_EQ(made.status, 201) << made.body;
  // But it carries only its owner's rights.
  auto org = api("POST", "/api/v1/accounts/orgs", "Bearer " + t->second,
                 R"({"code":"AH","name":"Tỉnh An Hòa","type":"tinh"})");
  EXPECT_EQ(org.status, 403) << org.body;
  EXPECT_EQ(json::parse(org.body)["error"]["code"], "forbidden");

  ASSERT_TRUE(svc().revoke_token(cli, u.id, t->first.id).ok());
  auto revoked = api("GET", "/api/v1/accounts/me", "Bearer " + t->second);
  EXPECT_EQ(revoked.status, 401);
  auto e = json::parse(revoked.body, nullptr, false);
  ASSERT_FALSE(e.is_discarded()) << revoked.body;
  EXPECT_EQ(e["error"]["code"], "unauthorized");
  EXPECT_EQ(e["error"]["message"], "Khóa API không hợp lệ hoặc đã bị thu hồi.");
}

TEST_P(AccountsHttp, ForgedOrMalformedCredentialsAre401Json) {
  for (const std::string auth : {"Bearer pbg_forgedforgedforgedforgedforged", "Bearer ' OR 1=1 --", "Bearer ",
                                 "Basic YWRtaW46YWRtaW4=", "Bearer pbg_\xff\xfe"}) {
    auto r = api("GET", "/api/v1/accounts/me", auth);
    EXPECT_EQ(r.status, 401) << auth;
    auto j = json::parse(r.body, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << auth << " → " << r.body;
    EXPECT_EQ(j["error"]["code"], "unauthorized");
    EXPECT_FALSE(j["error"]["message"].get<std::string>().empty());
  }
  auto anon = api("GET", "/api/v1/accounts/me", "");
  EXPECT_EQ(anon.status, 401);
  EXPECT_EQ(json::parse(anon.body)["error"]["code"], "unauthorized");
}

TEST_P(AccountsHttp, WrongPasswordIs401AndThrottleIs429OnTheLoginPage) {
  make_user("dan@example.vn");
  Browser b(port());
  b.get("/dang-nhap");
  for (int i = 0; i < 5; ++i) {
    auto r = b.post_form("/dang-nhap", {{"login", "dan@example.vn"}, {"password", "sai-mat-khau"}, {"next", "/"}});
    ASSERT_EQ(r.status, 401) << i;
    EXPECT_NE(r.body.find("Tài khoản hoặc mật khẩu không đúng."), std::string::npos);
    EXPECT_NE(r.body.find("value=\"dan@example.vn\""), std::string::npos) << "the login is kept in the form";
    EXPECT_EQ(b.cookies().count("sid"), 0u);
  }
  auto r = b.post_form("/dang-nhap", {{"login", "dan@example.vn"}, {"password", kPassword}, {"next", "/"}});
  EXPECT_EQ(r.status, 429);
  EXPECT_NE(r.body.find("Đăng nhập sai quá nhiều lần"), std::string::npos);
  EXPECT_EQ(b.cookies().count("sid"), 0u);
}

TEST_P(AccountsHttp, LoginReplacesAPreexistingSidAndSetsSafeCookieFlags) {
  make_user("dan@example.vn");
  Browser b(port());
  b.cookies()["sid"] = "co-dinh-phien-boi-ke-tan-cong";  // session fixation attempt
  b.get("/dang-nhap");
  EXPECT_EQ(b.cookies().count("sid"), 0u) << "an unknown sid is cleared";
  b.cookies()["sid"] = "co-dinh-phien-boi-ke-tan-cong";
  auto r = b.post_form("/dang-nhap", {{"login", "dan@example.vn"}, {"password", kPassword}, {"next", "/tai-khoan"}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("location"), "/tai-khoan");
  auto line = cookie_line(r, "sid");
  ASSERT_FALSE(line.empty());
  // Exactly one sid cookie is set, the new one (a trailing "sid=; Max-Age=0" would log the
  // user straight out again).
  auto set = r.all("set-cookie");
  EXPECT_EQ(std::count_if(set.begin(), set.end(), [](const std::string& c) { return c.rfind("sid=", 0) == 0; }), 1);
  ASSERT_EQ(b.cookies().count("sid"), 1u);
  EXPECT_NE(b.cookies()["sid"], "co-dinh-phien-boi-ke-tan-cong");
  EXPECT_EQ(b.get("/tai-khoan").status, 200) << "signed in right away";
  EXPECT_NE(line.find("HttpOnly"), std::string::npos) << line;
  EXPECT_NE(line.find("SameSite=Lax"), std::string::npos) << line;
  EXPECT_NE(line.find("Path=/"), std::string::npos) << line;
  EXPECT_EQ(line.find("Secure"), std::string::npos) << "plain HTTP without a trusted proxy: " << line;
  EXPECT_NE(line.find("Max-Age=604800"), std::string::npos) << line;

  // Signing in again from the same browser rotates the id; the old one is dead.
  const std::string first = b.cookies()["sid"];
  b.get("/");
  ASSERT_TRUE(b.login("dan@example.vn", kPassword));
  EXPECT_NE(b.cookies()["sid"], first);
  Browser stale(port());
  stale.cookies()["sid"] = first;
  auto acc = stale.get("/tai-khoan");
  EXPECT_EQ(acc.status, 303);
  EXPECT_TRUE(acc.header("location").starts_with("/dang-nhap?next="));
  auto mine = b.get("/tai-khoan");
  EXPECT_EQ(mine.status, 200);
  EXPECT_NE(mine.body.find("dan@example.vn"), std::string::npos);
}

TEST_P(AccountsHttp, LogoutEndsTheSession) {
  make_user("dan@example.vn");
  Browser b(port());
  ASSERT_TRUE(b.login("dan@example.vn", kPassword));
  const std::string sid = b.cookies()["sid"];
  auto out = b.post_form("/dang-xuat", {});
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(b.cookies().count("sid"), 0u);
  Browser again(port());
  again.cookies()["sid"] = sid;
  EXPECT_EQ(again.get("/tai-khoan").status, 303);
}

TEST_P(AccountsHttp, PasswordResetThroughThePages) {
  make_user("dan@example.vn");
  Browser b(port());
  b.get("/quen-mat-khau");
  auto r = b.post_form("/quen-mat-khau", {{"email", "dan@example.vn"}});
  ASSERT_EQ(r.status, 200) << r.body;
  // Same answer for an unknown address (no account enumeration).
  b.get("/quen-mat-khau");
  auto u = b.post_form("/quen-mat-khau", {{"email", "khong-co@example.vn"}});
  EXPECT_EQ(u.status, 200);
  for (const auto* page : {&r, &u})
    EXPECT_NE(page->body.find("Nếu địa chỉ này có tài khoản, chúng tôi đã gửi thư"), std::string::npos);
  auto payload = server_->app().db->read([](storage::Conn& c) {
    return c.one("SELECT payload FROM jobs WHERE kind = 'mail.send'");
  });
  ASSERT_TRUE(payload.ok() && payload->has_value());
  auto mail = json::parse((*payload)->str(0));
  std::string body = mail["body"];
  auto at = body.find("token=");
  ASSERT_NE(at, std::string::npos);
  std::string token = body.substr(at + 6, body.find('\n', at) - at - 6);

  b.get("/dat-lai-mat-khau?token=" + token);
  auto mismatch = b.post_form("/dat-lai-mat-khau", {{"token", token}, {"password", "Mat-khau-moi-1"}, {"password2", "khac"}});
  EXPECT_EQ(mismatch.status, 422);
  auto ok = b.post_form("/dat-lai-mat-khau",
                        {{"token", token}, {"password", "Mat-khau-moi-1"}, {"password2", "Mat-khau-moi-1"}});
  EXPECT_EQ(ok.status, 303) << ok.body;
  b.get("/dat-lai-mat-khau?token=" + token);
  auto reused = b.post_form("/dat-lai-mat-khau",
                            {{"token", token}, {"password", "Mat-khau-moi-2"}, {"password2", "Mat-khau-moi-2"}});
  EXPECT_EQ(reused.status, 422);
  EXPECT_NE(reused.body.find("không hợp lệ hoặc đã hết hạn"), std::string::npos);
  Browser fresh(port());
  EXPECT_TRUE(fresh.login("dan@example.vn", "Mat-khau-moi-1"));
}

TEST_P(AccountsHttp, UnitAdminSeesOnlyAccountsItManages) {
  Actor cli;
  auto root = Service::system_principal();
  ASSERT_TRUE(svc().create_org(root, cli, {"AH", "Tỉnh An Hòa", "tinh", "", ""}).ok());
  ASSERT_TRUE(svc().create_org(root, cli, {"AH-STP", "Sở Tư pháp", "so_nganh", "AH", ""}).ok());
  ASSERT_TRUE(svc().create_org(root, cli, {"AH-SYT", "Sở Y tế", "so_nganh", "AH", ""}).ok());
  auto admin = svc().create_user(root, cli, {"qt.stp@example.vn", "", "Quản trị STP", "AH-STP", "unit_admin", kPassword});
  auto staff = svc().create_user(root, cli, {"cb.stp@example.vn", "", "Cán bộ STP", "AH-STP", "editor", kPassword});
  auto other = svc().create_user(root, cli, {"cb.syt@example.vn", "0911111111", "Cán bộ SYT", "AH-SYT", "editor", kPassword});
  auto citizen = make_user("dan@example.vn");
  ASSERT_TRUE(admin.ok() && staff.ok() && other.ok());
  Browser b(port());
  ASSERT_TRUE(b.login("qt.stp@example.vn", kPassword));
  auto mine = b.get("/quan-tri/nguoi-dung/" + std::to_string(staff->id));
  EXPECT_EQ(mine.status, 200);
  EXPECT_NE(mine.body.find("cb.stp@example.vn"), std::string::npos);
  for (int64_t id : {other->id, citizen.id}) {
    auto r = b.get("/quan-tri/nguoi-dung/" + std::to_string(id));
    EXPECT_EQ(r.status, 403) << id;
    EXPECT_EQ(r.body.find("0911111111"), std::string::npos);
    EXPECT_EQ(r.body.find("dan@example.vn"), std::string::npos);
  }
  // The list shows only its own unit too.
  auto list = b.get("/quan-tri/nguoi-dung");
  EXPECT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("cb.stp@example.vn"), std::string::npos);
  EXPECT_EQ(list.body.find("cb.syt@example.vn"), std::string::npos);
  EXPECT_EQ(list.body.find("dan@example.vn"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountsHttp, ::testing::ValuesIn(pbgdpl::testing::backends()), backend_name);

}  // namespace
}  // namespace pbgdpl::accounts::test
