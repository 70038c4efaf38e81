#include "contest/routes.h"

#include <nlohmann/json.hpp>

#include <cmath>

#include "core/assets.h"
#include "core/crypto.h"
#include "core/time.h"
#include "core/utf8.h"

namespace pbgdpl::contest {

using core::Error;
using core::ErrorCode;
using http::Request;
using http::Response;
using nlohmann::json;

namespace {

constexpr size_t kAnswersBody = 64 << 10;  // 50 questions of multiple choice fit in ~2 KB
// Starting, answering and submitting change no public page: they leave the server's page
// cache alone (RouteOptions::keeps_pages), which a deadline rush would otherwise keep emptying.

std::string fmt_score(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", std::round(s * 100) / 100);
  return buf;
}

std::string attempt_token(const Request& req) {
  std::string t(req.header("x-attempt-token"));
  if (t.empty()) {
    if (auto c = req.cookie("ct" + req.param("id"))) t = *c;
  }
  return t;
}

std::string reason_of(const Error& e) {
  return std::string(core::error_wire(e.code)) + (e.field.empty() ? "" : ":" + e.field);
}

Registration registration_from(const json& j) {
  Registration r;
  if (!j.is_object()) return r;
  auto s = [&](const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string(); };
  r.full_name = s("full_name");
  r.gender = s("gender");
  r.phone = s("phone");
  r.cccd = s("cccd");
  r.org_unit = s("org_unit");
  r.commune = s("commune");
  r.audience = s("audience");
  if (j.contains("birth_year") && j["birth_year"].is_number_integer()) r.birth_year = j["birth_year"].get<int>();
  return r;
}

Registration registration_from(const http::Form& f) {
  Registration r;
  r.full_name = f.get("full_name");
  r.gender = f.get("gender");
  r.phone = f.get("phone");
  r.cccd = f.get("cccd");
  r.org_unit = f.get("org_unit");
  r.commune = f.get("commune");
  r.audience = f.get("audience");
  try {
    auto y = f.get("birth_year");
    size_t pos = 0;
    r.birth_year = y.empty() ? 0 : std::stoi(y, &pos);
    if (pos != y.size()) r.birth_year = 0;
  } catch (const std::exception&) {
    r.birth_year = 0;
  }
  return r;
}

json started_json(const Started& s, const Contest& k) {
  return {{"attempt_id", s.attempt_id},        {"token", s.token},
          {"deadline", core::iso8601(s.deadline)}, {"deadline_ms", s.deadline},
          {"started_at", core::iso8601(s.started_at)}, {"time_limit_s", k.time_limit_s},
          {"questions", s.questions}};
}

json submit_json(const SubmitResult& r) {
  return {{"attempt_id", r.attempt_id},
          {"score", r.score},
          {"max_score", r.max_score},
          {"correct", r.correct},
          {"receipt", r.receipt},
          {"submitted_at", core::iso8601(r.submitted_at)},
          {"replayed", r.replayed},
          {"verify_url", "/cuoc-thi/bien-nhan?ma=" + r.receipt}};
}

json round_view(const Round& r, int64_t now) {
  std::string state = now < r.opens_at ? "Sắp mở" : now < r.closes_at ? "Đang mở" : "Đã đóng";
  return {{"id", r.id},
          {"name", r.name},
          {"opens_at", core::vn_datetime(r.opens_at)},
          {"closes_at", core::vn_datetime(r.closes_at)},
          {"state", state},
          {"open", now >= r.opens_at && now < r.closes_at}};
}

json options_of(const std::vector<std::pair<std::string, std::string>>& l, const std::string& sel) {
  json a = json::array();
  for (const auto& [c, lab] : l) a.push_back({{"code", c}, {"label", lab}, {"selected", c == sel}});
  return a;
}

json contest_view(const Contest& k, int64_t now) {
  json rounds = json::array();
  bool open = false;
  for (const auto& r : k.rounds) {
    rounds.push_back(round_view(r, now));
    open |= now >= r.opens_at && now < r.closes_at;
  }
  json tbs = json::array();
  for (auto t : k.tie_breakers) tbs.push_back(tiebreak_label(t));
  json prizes = json::array();
  for (const auto& p : k.prizes) prizes.push_back({{"name", p.name}, {"count", p.count}});
  return {{"id", k.id},
          {"title", k.title},
          {"description", k.description},
          {"rounds", rounds},
          {"open", open},
          {"time_limit_min", k.time_limit_s / 60},
          {"max_attempts", k.max_attempts},
          {"invite", k.eligibility == "invite"},
          {"tie_breakers", tbs},
          {"prizes", prizes},
          {"published", k.published}};
}

json ranking_json(const Ranking& rk) {
  json rows = json::array();
  for (const auto& r : rk.rows) {
    json x = {{"rank", r.rank},
              {"attempt_id", r.attempt_id},
              {"name", r.name},
              {"org_unit", r.org_unit},
              {"commune", r.commune},
              {"score", r.score},
              {"time_used_s", static_cast<double>(r.time_used_ms) / 1000.0},
              {"submitted_at", core::iso8601(r.submitted_at)},
              {"receipt", r.receipt},
              {"prize", r.prize}};
    x["prediction"] = r.prediction ? json(*r.prediction) : json();
    x["prediction_diff"] = r.prediction_diff ? json(*r.prediction_diff) : json();
    rows.push_back(std::move(x));
  }
  json tbs = json::array();
  for (auto t : rk.tie_breakers) tbs.push_back(tiebreak_code(t));
  return {{"contest_id", rk.contest_id}, {"round_id", rk.round_id},   {"frozen", rk.frozen},
          {"actual_participants", rk.actual_participants}, {"tie_breakers", tbs}, {"items", rows}};
}

}  // namespace

void register_routes(http::Router& r, Service& svc, const web::Site& site) {
  // Counts and rethrows a rejection so the evaluation report shows bad input by kind.
  auto rejected = [&svc](int64_t contest_id, Error e) -> Error {
    svc.count_rejection(contest_id, reason_of(e));
    return e;
  };
  auto contest_of_attempt = [&svc](int64_t attempt_id) -> int64_t {
    auto a = svc.db().read([&](storage::Conn& c) { return c.one("SELECT contest_id FROM contest_attempts WHERE id = ?", {attempt_id}); });
    return a && *a ? (*a)->i64(0) : 0;
  };

  // ---- JSON API ------------------------------------------------------------------------
  r.post("/api/v1/contests/{id:int}/attempts", [&, rejected](Request& req) {
    int64_t id = req.param_int("id");
    auto body = req.json();
    if (!body) http::fail(rejected(id, body.take_error()));
    if (!body->is_object()) http::fail(rejected(id, Error::of(ErrorCode::BadRequest, "Nội dung gửi lên phải là đối tượng JSON.")));
    StartInput in;
    in.contest_id = id;
    in.reg = registration_from(body->value("registration", json::object()));
    in.invite_code = body->value("invite_code", "");
    in.captcha = body->value("captcha", "");
    in.device = std::string(req.header("x-device-id"));
    if (in.device.empty()) in.device = body->value("device_id", "");
    in.ip = req.remote_ip;
    auto s = svc.start(std::move(in));
    if (!s) http::fail(rejected(id, s.take_error()));
    auto k = svc.contest(id);
    return Response::json(started_json(*s, k && *k ? **k : Contest{}), 201);
  }, {kAnswersBody, true, false, 0, true});

  r.get("/api/v1/attempts/{id:int}", [&](Request& req) {
    auto v = svc.view(req.param_int("id"), attempt_token(req));
    if (!v) http::fail(v.take_error());
    const auto& a = v->attempt;
    return Response::json({{"attempt_id", a.id},
                           {"status", a.flags.size() && a.flags.front() == "expired" ? "expired" : std::string(attempt_status_code(a.status))},
                           {"deadline", core::iso8601(a.deadline)},
                           {"deadline_ms", a.deadline},
                           {"server_time_ms", svc.now()},
                           {"questions", v->questions},
                           {"answers", a.answers}});
  });

  r.put("/api/v1/attempts/{id:int}/answers", [&, rejected, contest_of_attempt](Request& req) {
    int64_t id = req.param_int("id");
    auto body = req.json();
    if (!body) http::fail(rejected(contest_of_attempt(id), body.take_error()));
    if (!body->is_object() || !body->contains("answers"))
      http::fail(rejected(contest_of_attempt(id), Error::of(ErrorCode::BadRequest, "Cần trường answers (danh sách câu trả lời).", "answers")));
    auto saved = svc.save_answers(id, attempt_token(req), (*body)["answers"]);
    if (!saved) http::fail(rejected(contest_of_attempt(id), saved.take_error()));
    return Response::json({{"attempt_id", id}, {"saved_at", core::iso8601(*saved)}});
  }, {kAnswersBody, true, false, 0, true});

  r.post("/api/v1/attempts/{id:int}/submit", [&, rejected, contest_of_attempt](Request& req) {
    int64_t id = req.param_int("id");
    json answers;
    if (!req.body.empty()) {
      auto body = req.json();
      if (!body) http::fail(rejected(contest_of_attempt(id), body.take_error()));
      if (!body->is_object())
        http::fail(rejected(contest_of_attempt(id), Error::of(ErrorCode::BadRequest, "Nội dung gửi lên phải là đối tượng JSON.")));
      if (body->contains("answers")) answers = (*body)["answers"];
    }
    auto s = svc.submit(id, attempt_token(req), answers);
    if (!s) http::fail(rejected(contest_of_attempt(id), s.take_error()));
    return Response::json(submit_json(*s));
  }, {kAnswersBody, true, false, 0, true});

  r.get("/api/v1/contests/{id:int}/ranking", [&](Request& req) {
    int64_t round = 0;
    if (auto v = req.query.find("round")) {
      try {
        round = std::stoll(*v);
      } catch (const std::exception&) {
        http::fail(Error::of(ErrorCode::BadRequest, "Tham số round phải là số.", "round"));
      }
    }
    auto k = http::unwrap(svc.contest(req.param_int("id")));
    if (!k || !k->published) http::fail(Error::of(ErrorCode::NotFound, "Không tìm thấy cuộc thi."));
    auto rk = http::unwrap(svc.ranking(k->id, round));
    return Response::json(ranking_json(rk));
  });

  r.get("/api/v1/receipts/{receipt}", [&](Request& req) {
    auto c = http::unwrap(svc.check_receipt(req.param("receipt")));
    if (!c.found) http::fail(Error::of(ErrorCode::NotFound, "Không có bài thi nào mang mã biên nhận này."));
    return Response::json({{"receipt", req.param("receipt")},
                           {"valid", c.valid},
                           {"attempt_id", c.attempt_id},
                           {"contest", c.contest_title},
                           {"participant", c.name_masked},
                           {"score", c.score},
                           {"max_score", c.max_score},
                           {"status", c.status},
                           {"started_at", core::iso8601(c.started_at)},
                           {"deadline", core::iso8601(c.deadline)},
                           {"submitted_at", core::iso8601(c.submitted_at)},
                           {"canonical", c.canonical}});
  });

  // ---- public pages (no JavaScript needed) ----------------------------------------------
  r.get("/cuoc-thi/tai-nguyen/contest.js", [](Request&) {
    auto js = core::find_asset("contest/static/contest.js");
    if (!js) http::fail(ErrorCode::NotFound);
    Response res;
    res.content_type = "application/javascript; charset=utf-8";
    res.body = std::string(*js);
    res.set_header("cache-control", "public, max-age=3600");
    return res;
  }, {0, false, true});

  r.get("/cuoc-thi", [&](Request& req) {
    json list = json::array();
    int64_t t = svc.now();
    for (const auto& k : http::unwrap(svc.list_contests(false))) list.push_back(contest_view(k, t));
    return site.page(req, "Thi tìm hiểu pháp luật", "contest_list", {{"contests", list}});
  });

  auto show_page = [&](Request& req, const Contest& k, json extra, int status) {
    json d = contest_view(k, svc.now());
    for (auto& [key, v] : extra.items()) d[key] = v;
    const json& form = d.contains("form") ? d["form"] : json::object();
    d["genders"] = options_of(genders(), form.value("gender", ""));
    d["audiences"] = options_of(audiences(), form.value("audience", ""));
    return site.page(req, k.title, "contest_show", d, status);
  };
  r.get("/cuoc-thi/{id:int}", [&, show_page](Request& req) {
    auto k = http::unwrap(svc.contest(req.param_int("id")));
    if (!k || !k->published) http::fail(Error::of(ErrorCode::NotFound, "Không tìm thấy cuộc thi."));
    return show_page(req, *k, json::object(), 200);
  });
  r.post("/cuoc-thi/{id:int}/bat-dau", [&, show_page, rejected](Request& req) {
    int64_t id = req.param_int("id");
    auto k = http::unwrap(svc.contest(id));
    if (!k || !k->published) http::fail(Error::of(ErrorCode::NotFound, "Không tìm thấy cuộc thi."));
    auto f = http::unwrap(req.form());
    StartInput in;
    in.contest_id = id;
    in.reg = registration_from(f);
    in.invite_code = f.get("invite_code");
    in.captcha = f.get("captcha");
    in.ip = req.remote_ip;
    if (auto d = req.cookie("thiet_bi")) in.device = *d;
    auto s = svc.start(in);
    if (!s) {
      auto e = rejected(id, s.take_error());
      json form = {{"full_name", f.get("full_name")}, {"birth_year", f.get("birth_year")}, {"gender", f.get("gender")},
                   {"phone", f.get("phone")},         {"cccd", f.get("cccd")},             {"org_unit", f.get("org_unit")},
                   {"commune", f.get("commune")},     {"audience", f.get("audience")}};
      return show_page(req, *k, {{"error", {{"message", e.message}, {"field", e.field}}}, {"form", form}},
                       core::error_status(e.code));
    }
    auto res = Response::redirect("/cuoc-thi/lam-bai/" + std::to_string(s->attempt_id));
    int64_t ttl = std::max<int64_t>(60, (s->deadline - s->started_at) / 1000 + 3600);
    res.add_cookie(http::make_cookie("ct" + std::to_string(s->attempt_id), s->token, req.secure, ttl));
    if (!req.cookie("thiet_bi"))
      res.add_cookie(http::make_cookie("thiet_bi", core::random_hex(12), req.secure, 365 * 86400));
    return res;
  }, {0, false, false, 0, true});

  auto take_page = [&](Request& req, const AttemptView& v, json extra, int status) {
    const auto& a = v.attempt;
    json qs = json::array();
    for (const auto& q : v.questions) {
      json x = q;
      auto given = a.answers.find(std::to_string(q["id"].get<int64_t>()));
      std::string type = q["type"];
      x["multiple"] = type == "multiple";
      x["numeric"] = type == "numeric" || type == "prediction";
      x["prediction"] = type == "prediction";
      if (x["numeric"].get<bool>() && given != a.answers.end() && given->is_number()) x["value"] = fmt_score(given->get<double>());
      for (auto& o : x["options"]) {
        bool on = false;
        if (given != a.answers.end() && given->is_array())
          for (const auto& c : *given) on |= c == o["id"];
        o["checked"] = on;
      }
      qs.push_back(std::move(x));
    }
    json d = {{"attempt_id", a.id},
              {"title", v.contest_title},
              {"deadline", core::vn_datetime(a.deadline)},
              {"deadline_ms", a.deadline},
              {"remaining_s", std::max<int64_t>(0, (a.deadline - svc.now()) / 1000)},
              {"questions", qs},
              {"js_url", "/cuoc-thi/tai-nguyen/contest.js"}};
    for (auto& [key, val] : extra.items()) d[key] = val;
    return site.page(req, "Làm bài: " + v.contest_title, "contest_take", d, status);
  };
  r.get("/cuoc-thi/lam-bai/{id:int}", [&, take_page](Request& req) {
    auto v = svc.view(req.param_int("id"), attempt_token(req));
    if (!v) http::fail(v.take_error());
    if (v->attempt.status == AttemptStatus::Submitted)
      return Response::redirect("/cuoc-thi/ket-qua/" + std::to_string(v->attempt.id));
    return take_page(req, *v, json::object(), 200);
  });
  r.post("/cuoc-thi/lam-bai/{id:int}", [&, take_page, rejected, contest_of_attempt](Request& req) {
    int64_t id = req.param_int("id");
    auto f = http::unwrap(req.form());
    auto token = attempt_token(req);
    auto v = svc.view(id, token);
    if (!v) http::fail(v.take_error());
    json answers = json::object();
    for (const auto& q : v->questions) {
      auto key = "q" + std::to_string(q["id"].get<int64_t>());
      std::string type = q["type"];
      if (type == "numeric" || type == "prediction") {
        auto s = std::string(core::trim(f.get(key)));
        if (s.empty()) continue;
        for (auto& c : s)
          if (c == ',') c = '.';
        try {
          size_t pos = 0;
          double d = std::stod(s, &pos);
          if (pos != s.size() || !std::isfinite(d)) throw std::invalid_argument(s);
          answers[std::to_string(q["id"].get<int64_t>())] = d;
        } catch (const std::exception&) {
          auto e = rejected(v->attempt.contest_id,
                            Error::of(ErrorCode::Validation, "Câu " + std::to_string(q["number"].get<int>()) + ": cần nhập một số.", "answers"));
          return take_page(req, *v, {{"error", {{"message", e.message}}}}, 422);
        }
        continue;
      }
      json picked = json::array();
      for (const auto& s : f.all(key)) {
        try {
          picked.push_back(std::stoi(s));
        } catch (const std::exception&) {
          picked.push_back(-1);
        }
      }
      if (!picked.empty()) answers[std::to_string(q["id"].get<int64_t>())] = picked;
    }
    bool submit = f.get("hanh_dong") == "nop";
    if (!submit) {
      auto saved = svc.save_answers(id, token, answers);
      if (!saved) {
        auto e = rejected(contest_of_attempt(id), saved.take_error());
        if (e.code == ErrorCode::DeadlinePassed || e.code == ErrorCode::Conflict) http::fail(e);
        return take_page(req, *v, {{"error", {{"message", e.message}}}}, core::error_status(e.code));
      }
      return web::redirect_with_flash("/cuoc-thi/lam-bai/" + std::to_string(id), "Đã lưu câu trả lời lúc " + core::vn_datetime(*saved) + ".");
    }
    auto s = svc.submit(id, token, answers);
    if (!s) {
      auto e = rejected(contest_of_attempt(id), s.take_error());
      if (e.code == ErrorCode::DeadlinePassed || e.code == ErrorCode::Conflict) http::fail(e);
      return take_page(req, *v, {{"error", {{"message", e.message}}}}, core::error_status(e.code));
    }
    return Response::redirect("/cuoc-thi/ket-qua/" + std::to_string(id));
  }, {kAnswersBody, false, false, 0, true});

  r.get("/cuoc-thi/ket-qua/{id:int}", [&](Request& req) {
    auto v = svc.view(req.param_int("id"), attempt_token(req));
    if (!v) http::fail(v.take_error());
    const auto& a = v->attempt;
    if (a.status != AttemptStatus::Submitted)
      return Response::redirect("/cuoc-thi/lam-bai/" + std::to_string(a.id));
    return site.page(req, "Kết quả bài thi", "contest_result",
                     {{"title", v->contest_title},
                      {"score", fmt_score(a.score)},
                      {"max_score", fmt_score(a.max_score)},
                      {"correct", a.correct},
                      {"submitted_at", core::vn_datetime(a.submitted_at.value_or(0))},
                      {"receipt", a.receipt},
                      {"contest_id", a.contest_id}});
  });

  r.get("/cuoc-thi/bien-nhan", [&](Request& req) {
    auto code = std::string(core::trim(req.query.get("ma")));
    json d = {{"code", code}};
    int status = 200;
    if (!code.empty()) {
      auto c = svc.check_receipt(code);
      if (!c) {
        d["error"] = c.error().message;
        status = core::error_status(c.error().code);
      } else if (!c->found) {
        d["not_found"] = true;
        status = 404;
      } else {
        d["check"] = {{"valid", c->valid},
                      {"contest", c->contest_title},
                      {"participant", c->name_masked},
                      {"score", fmt_score(c->score)},
                      {"max_score", fmt_score(c->max_score)},
                      {"started_at", core::vn_datetime(c->started_at)},
                      {"deadline", core::vn_datetime(c->deadline)},
                      {"submitted_at", core::vn_datetime(c->submitted_at)},
                      {"canonical", c->canonical}};
      }
    }
    return site.page(req, "Kiểm tra biên nhận bài thi", "contest_receipt", d, status);
  });

  r.get("/cuoc-thi/{id:int}/xep-hang", [&](Request& req) {
    auto k = http::unwrap(svc.contest(req.param_int("id")));
    if (!k || !k->published) http::fail(Error::of(ErrorCode::NotFound, "Không tìm thấy cuộc thi."));
    auto rk = http::unwrap(svc.ranking(k->id, 0));
    json rows = json::array();
    for (const auto& x : rk.rows) {
      if (rows.size() >= 200) break;
      rows.push_back({{"rank", x.rank},
                      {"name", x.name},
                      {"org_unit", x.org_unit},
                      {"score", fmt_score(x.score)},
                      {"prediction", x.prediction ? fmt_score(*x.prediction) : ""},
                      {"time_used", fmt_score(static_cast<double>(x.time_used_ms) / 1000.0) + " giây"},
                      {"prize", x.prize},
                      {"receipt_short", x.receipt.substr(0, 12)}});
    }
    json tbs = json::array();
    for (auto t : rk.tie_breakers) tbs.push_back(tiebreak_label(t));
    return site.page(req, "Xếp hạng: " + k->title, "contest_ranking",
                     {{"title", k->title}, {"rows", rows}, {"frozen", rk.frozen}, {"tie_breakers", tbs},
                      {"actual", rk.actual_participants}, {"id", k->id}});
  });

  register_admin_routes(r, svc, site);
}

}  // namespace pbgdpl::contest
