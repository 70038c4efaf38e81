#pragma once
// Shared by the contest integration tests: a whole App on a test server with a movable
// clock, a small bank of our own questions and a contest definition over it.
#include <nlohmann/json.hpp>

#include <atomic>
#include <memory>
#include <string>

#include "contest/service.h"
#include "core/time.h"
#include "support.h"

namespace pbgdpl::contest::testdata {

using nlohmann::json;

/// 2026-11-01 00:00 in Việt Nam (UTC+7), ms.
constexpr int64_t kT0 = 1793466000000;
constexpr int64_t kMin = 60000;
/// The password of the admin pages' test users.
inline const std::string kPassword = "Mat-khau-2026!";

/// Six questions of our own about the fictional Tỉnh An Hòa, every type.
inline std::vector<QuestionInput> bank() {
  std::vector<QuestionInput> v;
  auto add = [&](std::string key, std::string topic, int diff, std::string type, std::string text,
                 std::vector<Option> opts, double number = 0, double tol = 0) {
    QuestionInput q;
    q.ext_key = std::move(key);
    q.topic = std::move(topic);
    q.difficulty = diff;
    q.type = std::move(type);
    q.text = std::move(text);
    q.options = std::move(opts);
    q.number = number;
    q.tolerance = tol;
    q.explanation = "Giải thích của ban tổ chức.";
    q.provisions = {"/van-ban/luat-thu-vien-cong-dong/dieu-2"};
    v.push_back(std::move(q));
  };
  add("ah-1", "Thư viện", 1, "single", "Người đọc ở thư viện cộng đồng Tỉnh An Hòa được mượn sách thế nào?",
      {{"Miễn phí", true}, {"Trả phí theo ngày", false}, {"Chỉ đọc tại chỗ", false}, {"Phải có thẻ hội viên", false}});
  add("ah-2", "Thư viện", 2, "multiple", "Những quyền nào sau đây là quyền của người đọc?",
      {{"Mượn sách miễn phí", true}, {"Đề nghị bổ sung sách", true}, {"Mang sách ra nước ngoài", false}});
  add("ah-3", "Hòa giải", 1, "true_false", "Hòa giải viên ở cơ sở do cộng đồng dân cư bầu ra, đúng hay sai?",
      {{"Đúng", true}, {"Sai", false}});
  add("ah-4", "Hòa giải", 2, "numeric", "Tỉnh An Hòa có bao nhiêu xã, phường sau sắp xếp (số liệu giả định)?", {}, 102, 0);
  add("ah-5", "Hòa giải", 3, "single", "Ai công nhận tổ trưởng tổ hòa giải ở thôn?",
      {{"Chủ tịch UBND cấp xã", true}, {"Trưởng thôn", false}, {"Chủ tịch UBND tỉnh", false}});
  add("ah-pred", "", 2, "prediction", "Dự đoán có bao nhiêu người tham gia vòng thi này?", {});
  return v;
}

inline json definition(int64_t opens = kT0, int64_t closes = kT0 + 7 * 24 * 60 * kMin) {
  return {{"title", "Cuộc thi tìm hiểu pháp luật về thư viện và hòa giải ở cơ sở"},
          {"description", "Cuộc thi của Tỉnh An Hòa (dữ liệu thử)."},
          {"time_limit_minutes", 20},
          {"grace_seconds", 30},
          {"max_attempts", 2},
          {"attempt_policy", "best"},
          {"questions", {"ah-1", "ah-2", "ah-3", "ah-4", "ah-5"}},
          {"prediction", "ah-pred"},
          {"draw", {{{"topic", "Thư viện"}, {"count", 2}}, {{"topic", "Hòa giải"}, {"count", 3}}}},
          {"tie_breakers", {"score", "prediction", "time_used", "submitted_at"}},
          {"prizes", {{{"name", "Giải Nhất"}, {"count", 1}}, {{"name", "Giải Nhì"}, {"count", 2}}}},
          {"min_seconds_per_question", 2},
          {"published", true},
          {"rounds", {{{"name", "Tuần 1"}, {"opens_at", core::iso8601(opens)}, {"closes_at", core::iso8601(closes)}}}}};
}

inline Registration person(int i) {
  Registration r;
  r.full_name = "Người Dự Thi " + std::to_string(i);
  r.birth_year = 1990;
  r.gender = i % 2 ? "nu" : "nam";
  char phone[16];
  std::snprintf(phone, sizeof phone, "09%08d", i);
  r.phone = phone;
  r.org_unit = "Sở Tư pháp";
  r.commune = i % 3 ? "Phường Bình Minh" : "Xã Hòa An";
  r.audience = "can_bo";
  return r;
}

/// The answers that score every question of an attempt right (or wrong), built from the
/// bank's keys through the attempt's displayed option order, as a participant would.
inline json answers_for(Service& svc, const Attempt& a, bool right, double prediction = 100) {
  json out = json::array();
  for (const auto& q : a.questions) {
    auto v = svc.version(q.version_id);
    if (!v) continue;
    const auto& ver = **v;
    if (ver.type == QType::Prediction) {
      out.push_back({{"question_id", q.version_id}, {"value", prediction}});
    } else if (ver.type == QType::Numeric) {
      out.push_back({{"question_id", q.version_id}, {"value", right ? ver.number : ver.number + 5}});
    } else {
      json picks = json::array();
      for (size_t i = 0; i < q.perm.size(); ++i)
        if (ver.options[static_cast<size_t>(q.perm[i])].correct == right) {
          picks.push_back(static_cast<int>(i + 1));
          if (ver.type != QType::Multiple) break;
        }
      out.push_back({{"question_id", q.version_id}, {"choices", picks}});
    }
  }
  return out;
}

/// An App on a test server whose contest clock the test moves.
class Env {
 public:
  explicit Env(const std::string& backend) : server_(std::make_unique<testing::TestServer>(backend)) {
    clock_->store(kT0 + 60 * kMin);
    auto c = clock_;
    svc().set_clock([c] { return c->load(); });
  }
  Service& svc() { return *server_->app().contest; }
  app::App& app() { return server_->app(); }
  uint16_t port() const { return server_->port(); }
  void set_time(int64_t t) { clock_->store(t); }
  void advance(int64_t ms) { clock_->fetch_add(ms); }
  int64_t time() const { return clock_->load(); }
  accounts::Actor cli() {
    accounts::Actor a;
    a.name = "cli";
    return a;
  }
  /// The province and its Sở Tư pháp (AH-STP), for the admin pages' users.
  bool add_orgs() {
    auto sys = accounts::Service::system_principal();
    return app().accounts->create_org(sys, cli(), {"AH", "Tỉnh An Hòa", "tinh", "", ""}).ok() &&
           app().accounts->create_org(sys, cli(), {"AH-STP", "Sở Tư pháp tỉnh An Hòa", "so_nganh", "AH", ""}).ok();
  }
  /// A user of AH-STP with the given role and kPassword.
  bool add_user(const std::string& email, const std::string& name, const std::string& role) {
    accounts::UserInput u;
    u.email = email;
    u.name = name;
    u.org_code = "AH-STP";
    u.role = role;
    u.password = kPassword;
    return app().accounts->create_user(accounts::Service::system_principal(), cli(), u).ok();
  }
  /// Imports the bank and creates (and publishes) the contest; returns its id.
  int64_t make_contest(json def = definition()) {
    auto rep = svc().import_questions(accounts::Service::system_principal(), cli(), bank());
    EXPECT_TRUE(rep.ok() && rep->errors.empty());
    auto k = svc().create_contest(accounts::Service::system_principal(), cli(), def);
    EXPECT_TRUE(k.ok()) << (k.ok() ? "" : k.error().message);
    return k.ok() ? k->id : 0;
  }
  Result<Started> start(int64_t contest, int i, std::string ip = "10.0.0.1") {
    StartInput in;
    in.contest_id = contest;
    in.reg = person(i);
    in.ip = std::move(ip);
    return svc().start(in);
  }
  /// The stored attempt as its holder sees it.
  Attempt attempt(const Started& s) {
    auto v = svc().view(s.attempt_id, s.token);
    EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().message);
    return v.ok() ? v->attempt : Attempt{};
  }

 private:
  std::unique_ptr<testing::TestServer> server_;
  std::shared_ptr<std::atomic<int64_t>> clock_ = std::make_shared<std::atomic<int64_t>>(0);
};

}  // namespace pbgdpl::contest::testdata
