// The JSON API contract and the no-JavaScript pages over a real server on both backends:
// start → autosave → submit with exact shapes, every kind of bad input answered with a
// Vietnamese message and the right 4xx (and counted), and a phone-like form flow.
#include "contest/routes.h"

#include <gtest/gtest.h>

#include <regex>

#include "fixture.h"

namespace pbgdpl::contest {
namespace {

using namespace testdata;
using nlohmann::json;
using testing::Browser;
using testing::HttpResponse;

class ContestHttp : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    env_ = std::make_unique<Env>(GetParam());
    id_ = env_->make_contest();
  }
  Env& env() { return *env_; }
  HttpResponse api(const std::string& method, const std::string& path, const std::string& body,
                   const std::string& token = "") {
    Browser b(env_->port());
    std::map<std::string, std::string> h = {{"content-type", "application/json"}};
    if (!token.empty()) h["x-attempt-token"] = token;
    return b.send(method, path, body, h);
  }
  static json parse(const HttpResponse& r) {
    auto j = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.body.substr(0, 200);
    return j;
  }
  static void expect_error(const HttpResponse& r, int status, const std::string& code, const std::string& what) {
    EXPECT_EQ(r.status, status) << what << ": " << r.body.substr(0, 300);
    auto j = json::parse(r.body, nullptr, false);
    ASSERT_TRUE(j.is_object() && j.contains("error")) << what << ": " << r.body.substr(0, 300);
    EXPECT_EQ(j["error"]["code"], code) << what;
    EXPECT_FALSE(j["error"].value("message", "").empty()) << what;
  }
  json registration(int i) {
    auto p = person(i);
    return {{"full_name", p.full_name}, {"birth_year", p.birth_year}, {"gender", p.gender}, {"phone", p.phone},
            {"org_unit", p.org_unit},   {"commune", p.commune},       {"audience", p.audience}};
  }
  json start(int i, int want = 201) {
    auto r = api("POST", "/api/v1/contests/" + std::to_string(id_) + "/attempts", json{{"registration", registration(i)}}.dump());
    EXPECT_EQ(r.status, want) << r.body.substr(0, 300);
    return parse(r);
  }
  std::unique_ptr<Env> env_;
  int64_t id_ = 0;
};

TEST_P(ContestHttp, StartAutosaveSubmitContract) {
  auto s = start(1);
  ASSERT_TRUE(s.contains("attempt_id") && s.contains("token") && s.contains("deadline") && s.contains("questions"));
  EXPECT_TRUE(s["deadline"].is_string());
  EXPECT_EQ(s["questions"].size(), 6u);
  for (const auto& q : s["questions"]) {
    EXPECT_TRUE(q.contains("id") && q.contains("text") && q.contains("type") && q.contains("options"));
    for (const auto& o : q["options"]) EXPECT_EQ(o.size(), 2u) << o.dump();  // id and text, never the key
  }
  EXPECT_EQ(s.dump().find("correct"), std::string::npos);
  int64_t aid = s["attempt_id"];
  std::string token = s["token"];
  auto a = env().attempt(Started{aid, token, 0, 0, {}});
  auto right = answers_for(env().svc(), a, true);
  auto put = api("PUT", "/api/v1/attempts/" + std::to_string(aid) + "/answers", json{{"answers", right}}.dump(), token);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_TRUE(parse(put).contains("saved_at"));
  auto resume = api("GET", "/api/v1/attempts/" + std::to_string(aid), "", token);
  ASSERT_EQ(resume.status, 200);
  EXPECT_EQ(parse(resume)["answers"].size(), 6u);
  env().advance(4 * kMin);
  auto sub = api("POST", "/api/v1/attempts/" + std::to_string(aid) + "/submit", "", token);
  ASSERT_EQ(sub.status, 200) << sub.body;
  auto r = parse(sub);
  EXPECT_EQ(r["score"], 5);
  EXPECT_EQ(r["receipt"].get<std::string>().size(), 64u);
  auto again = api("POST", "/api/v1/attempts/" + std::to_string(aid) + "/submit", "", token);
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(parse(again)["receipt"], r["receipt"]);
  EXPECT_EQ(parse(again)["replayed"], true);
  auto check = api("GET", "/api/v1/receipts/" + r["receipt"].get<std::string>(), "");
  ASSERT_EQ(check.status, 200);
  EXPECT_EQ(parse(check)["valid"], true);
  auto rk = api("GET", "/api/v1/contests/" + std::to_string(id_) + "/ranking", "");
  ASSERT_EQ(rk.status, 200);
  EXPECT_EQ(parse(rk)["items"].size(), 1u);
}

TEST_P(ContestHttp, BadInputIsRefusedInVietnameseAndCounted) {
  auto s = start(1);
  int64_t aid = s["attempt_id"];
  std::string token = s["token"], path = "/api/v1/attempts/" + std::to_string(aid);
  int64_t qid = s["questions"][0]["id"];
  expect_error(api("PUT", path + "/answers", json{{"answers", {{{"question_id", 999999}, {"choices", {1}}}}}}.dump(), token),
               422, "validation_failed", "foreign question");
  expect_error(api("PUT", path + "/answers", json{{"answers", {{{"question_id", qid}, {"choices", {77}}}}}}.dump(), token),
               422, "validation_failed", "tampered option id");
  expect_error(api("PUT", path + "/answers", json{{"answers", json::array()}}.dump(), "gia-mao"), 403, "forbidden",
               "forged token");
  expect_error(api("PUT", path + "/answers", json{{"answers", json::array()}}.dump()), 401, "unauthorized", "no token");
  expect_error(api("PUT", path + "/answers", "{khong phai json", token), 400, "bad_request", "malformed JSON");
  expect_error(api("PUT", path + "/answers", json{{"x", 1}}.dump(), token), 400, "bad_request", "no answers");
  std::string big = json{{"answers", json::array()}, {"pad", std::string(100 << 10, 'a')}}.dump();
  auto r = api("PUT", path + "/answers", big, token);
  EXPECT_EQ(r.status, 413) << r.body.substr(0, 200);
  auto bad_phone = registration(2);
  bad_phone["phone"] = "12345";
  expect_error(api("POST", "/api/v1/contests/" + std::to_string(id_) + "/attempts", json{{"registration", bad_phone}}.dump()),
               422, "validation_failed", "malformed phone");
  auto bad_cccd = registration(3);
  bad_cccd["cccd"] = "0010900123";
  expect_error(api("POST", "/api/v1/contests/" + std::to_string(id_) + "/attempts", json{{"registration", bad_cccd}}.dump()),
               422, "validation_failed", "malformed CCCD");
  expect_error(api("POST", "/api/v1/contests/999/attempts", json{{"registration", registration(4)}}.dump()), 404, "not_found",
               "no such contest");
  // Submit, then submit different answers: refused; after close: refused.
  auto a = env().attempt(Started{aid, token, 0, 0, {}});
  env().advance(3 * kMin);
  ASSERT_EQ(api("POST", path + "/submit", json{{"answers", answers_for(env().svc(), a, false)}}.dump(), token).status, 200);
  expect_error(api("POST", path + "/submit", json{{"answers", answers_for(env().svc(), a, true)}}.dump(), token), 409,
               "conflict", "second different submit");
  auto late = start(5);
  env().advance(25 * kMin);
  expect_error(api("POST", "/api/v1/attempts/" + std::to_string(late["attempt_id"].get<int64_t>()) + "/submit", "",
                   late["token"]),
               409, "deadline_passed", "late submit");
  env().set_time(kT0 + 8 * 24 * 60 * kMin);
  expect_error(api("POST", "/api/v1/contests/" + std::to_string(id_) + "/attempts", json{{"registration", registration(6)}}.dump()),
               409, "deadline_passed", "start after close");
  // Every refusal of this contest is counted for the evaluation report.
  ASSERT_TRUE(env().svc().committer().run([](storage::Conn&, json&) { return core::Status{}; }).ok());  // flush counters
  auto counts = env().svc().rejections(id_);
  ASSERT_TRUE(counts.ok());
  auto& c = *counts;
  EXPECT_EQ(c["validation_failed:answers"], 2);
  EXPECT_EQ(c["forbidden"], 1);
  EXPECT_EQ(c["unauthorized"], 1);
  EXPECT_EQ(c["bad_request"] + c["bad_request:answers"], 2);
  EXPECT_EQ(c["validation_failed:phone"], 1);
  EXPECT_EQ(c["validation_failed:cccd"], 1);
  EXPECT_EQ(c["conflict"], 1);
  EXPECT_EQ(c["deadline_passed"], 2);
}

TEST_P(ContestHttp, PhoneFlowWithoutJavaScript) {
  Browser b(env().port());
  auto page = b.get("/cuoc-thi/" + std::to_string(id_));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("name=\"phone\""), std::string::npos);
  EXPECT_EQ(page.body.find("<script>"), std::string::npos);
  auto p = person(7);
  std::vector<std::pair<std::string, std::string>> form = {
      {"full_name", p.full_name}, {"birth_year", "1990"}, {"gender", p.gender}, {"phone", "0900000099"},
      {"org_unit", p.org_unit},   {"commune", p.commune}, {"audience", p.audience}};
  auto bad = form;
  bad[3].second = "không có số";
  auto err = b.post_form("/cuoc-thi/" + std::to_string(id_) + "/bat-dau", bad);
  EXPECT_EQ(err.status, 422);
  EXPECT_NE(err.body.find("Số điện thoại di động không hợp lệ"), std::string::npos);
  EXPECT_NE(err.body.find(p.full_name), std::string::npos);  // the form keeps what was typed
  auto started = b.post_form("/cuoc-thi/" + std::to_string(id_) + "/bat-dau", form);
  ASSERT_EQ(started.status, 303) << started.body.substr(0, 300);
  auto loc = started.header("location");
  ASSERT_EQ(loc.rfind("/cuoc-thi/lam-bai/", 0), 0u);
  auto take = b.get(loc);
  ASSERT_EQ(take.status, 200);
  EXPECT_NE(take.body.find("type=\"radio\""), std::string::npos);
  EXPECT_NE(take.body.find("Hạn nộp bài"), std::string::npos);
  EXPECT_NE(take.body.find("<script src=\"/cuoc-thi/tai-nguyen/contest.js\""), std::string::npos);
  EXPECT_EQ(take.body.find("<script>"), std::string::npos);  // CSP: no inline script
  // Choose the right answers the way a person would: read the displayed options.
  int64_t aid = std::stoll(loc.substr(std::string("/cuoc-thi/lam-bai/").size()));
  auto a = env().svc().attempts(id_, 0, false, 10);
  ASSERT_TRUE(a.ok());
  Attempt att;
  for (auto& row : *a)
    if (row.attempt.id == aid) att = row.attempt;
  std::vector<std::pair<std::string, std::string>> answers;
  for (const auto& x : answers_for(env().svc(), att, true)) {
    auto key = "q" + std::to_string(x["question_id"].get<int64_t>());
    if (x.contains("value")) answers.emplace_back(key, std::to_string(x["value"].get<double>()));
    else
      for (const auto& c : x["choices"]) answers.emplace_back(key, std::to_string(c.get<int>()));
  }
  auto save = answers;
  save.emplace_back("hanh_dong", "luu");
  auto saved = b.post_form(loc, save);
  ASSERT_EQ(saved.status, 303);
  auto again = b.get(loc);
  EXPECT_NE(again.body.find(" checked"), std::string::npos);  // resumed with saved answers
  env().advance(4 * kMin);
  auto submit = answers;
  submit.emplace_back("hanh_dong", "nop");
  auto done = b.post_form(loc, submit);
  ASSERT_EQ(done.status, 303) << done.body.substr(0, 400);
  auto result = b.get(done.header("location"));
  ASSERT_EQ(result.status, 200);
  EXPECT_NE(result.body.find("5/5"), std::string::npos);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(result.body, m, std::regex("([0-9a-f]{64})")));
  auto check = Browser(env().port()).get("/cuoc-thi/bien-nhan?ma=" + m[1].str());
  EXPECT_EQ(check.status, 200);
  EXPECT_NE(check.body.find("Hợp lệ"), std::string::npos);
  // Another browser without the attempt cookie cannot open the attempt.
  EXPECT_EQ(Browser(env().port()).get(loc).status, 401);
  auto js = b.get("/cuoc-thi/tai-nguyen/contest.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_NE(js.header("content-type").find("javascript"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, ContestHttp, ::testing::ValuesIn(testing::backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pbgdpl::contest
