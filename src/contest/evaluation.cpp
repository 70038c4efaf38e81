// The full evaluation of a contest, computed from the attempts in one pass (an admin page,
// opened rarely; 100k attempts are a few seconds of JSON parsing, see DESIGN.md).
#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>

#include "contest/service.h"
#include "contest/store.h"

namespace pbgdpl::contest {

using nlohmann::json;

namespace {

std::string day_of(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000 + 7 * 3600);  // Việt Nam time
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

std::string age_band(int age) {
  if (age < 18) return "Dưới 18";
  if (age <= 30) return "18–30";
  if (age <= 45) return "31–45";
  if (age <= 60) return "46–60";
  return "Trên 60";
}

json counts_json(const std::map<std::string, int64_t>& m) {
  json a = json::array();
  for (const auto& [k, v] : m) a.push_back({{"label", k.empty() ? "(không ghi)" : k}, {"count", v}});
  std::stable_sort(a.begin(), a.end(), [](const json& x, const json& y) { return x["count"] > y["count"]; });
  return a;
}

}  // namespace

Result<json> Service::evaluation(int64_t contest_id) {
  auto k = contest(contest_id);
  if (!k) return k.take_error();
  if (!*k) return core::Error::of(core::ErrorCode::NotFound, "Không tìm thấy cuộc thi.");
  auto rows = db_.read([&](storage::Conn& c) { return store::attempts_with_people(c, contest_id, 0, false); });
  if (!rows) return rows.take_error();
  int64_t t = now();
  int year = 0;
  {
    std::time_t tt = static_cast<std::time_t>(t / 1000 + 7 * 3600);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    year = tm.tm_year + 1900;
  }
  std::map<std::string, int64_t> per_day, by_unit, by_commune, by_age, by_gender, by_audience;
  int64_t started = 0, submitted = 0, in_progress = 0, abandoned = 0, disqualified = 0, flagged = 0;
  std::map<int64_t, bool> people, people_submitted;
  struct QStat {
    int64_t shown = 0, answered = 0, correct = 0;
    std::vector<int64_t> options;
    std::vector<std::pair<double, bool>> by_score;  // (attempt score %, correct)
  };
  std::map<int64_t, QStat> qs;
  std::vector<double> scores;
  const auto& genders_l = genders();
  const auto& aud_l = audiences();
  auto label = [](const std::vector<std::pair<std::string, std::string>>& l, const std::string& code) {
    for (const auto& [c, lab] : l)
      if (c == code) return lab;
    return code;
  };
  for (const auto& [a, reg] : *rows) {
    ++started;
    people[a.participant_id] = true;
    bool expired = !a.flags.empty() && a.flags.front() == "expired";
    if (a.status == AttemptStatus::Disqualified) ++disqualified;
    else if (a.status == AttemptStatus::Submitted) ++submitted;
    else if (expired || t > a.deadline + 600000) ++abandoned;
    else ++in_progress;
    if (std::any_of(a.flags.begin(), a.flags.end(), [](const std::string& f) { return f != "expired"; })) ++flagged;
    if (a.status != AttemptStatus::Submitted) continue;
    per_day[day_of(*a.submitted_at)]++;
    if (!people_submitted[a.participant_id]) {
      people_submitted[a.participant_id] = true;
      by_unit[reg.org_unit]++;
      by_commune[reg.commune]++;
      by_age[age_band(year - reg.birth_year)]++;
      by_gender[label(genders_l, reg.gender)]++;
      by_audience[label(aud_l, reg.audience)]++;
    }
    double pct = a.max_score > 0 ? 100.0 * a.score / a.max_score : 0;
    scores.push_back(pct);
    auto vm = versions_for(a.questions);
    if (!vm) continue;
    for (const auto& q : a.questions) {
      const auto& v = *vm->at(q.version_id);
      if (v.type == QType::Prediction) continue;
      auto& s = qs[q.version_id];
      if (s.options.size() < v.options.size()) s.options.resize(v.options.size());
      ++s.shown;
      auto given = a.answers.find(std::to_string(q.version_id));
      bool ok = false;
      if (given != a.answers.end()) {
        ++s.answered;
        ok = is_correct(v, q, *given);
        if (given->is_array())
          for (const auto& c : *given) {
            auto i = c.get<int64_t>();
            if (i >= 1 && i <= static_cast<int64_t>(q.perm.size())) s.options[static_cast<size_t>(q.perm[static_cast<size_t>(i - 1)])]++;
          }
      }
      if (ok) ++s.correct;
      s.by_score.emplace_back(pct, ok);
    }
  }
  json dist = json::array();
  {
    std::vector<int64_t> bins(10, 0);
    for (double s : scores) bins[static_cast<size_t>(std::min(9.0, std::floor(s / 10.0)))]++;
    for (size_t i = 0; i < bins.size(); ++i)
      dist.push_back({{"label", std::to_string(i * 10) + (i == 9 ? "–100%" : "–" + std::to_string(i * 10 + 9) + "%")},
                      {"count", bins[i]}});
  }
  json questions = json::array();
  for (auto& [vid, s] : qs) {
    auto v = version(vid);
    if (!v) continue;
    // Discrimination index: correct rate in the top 27% minus the bottom 27% by score.
    std::sort(s.by_score.begin(), s.by_score.end(), [](auto& x, auto& y) { return x.first > y.first; });
    size_t g = std::max<size_t>(1, static_cast<size_t>(std::floor(0.27 * static_cast<double>(s.by_score.size()))));
    double up = 0, low = 0;
    for (size_t i = 0; i < g && i < s.by_score.size(); ++i) up += s.by_score[i].second;
    for (size_t i = 0; i < g && i < s.by_score.size(); ++i) low += s.by_score[s.by_score.size() - 1 - i].second;
    json opts = json::array();
    for (size_t i = 0; i < (*v)->options.size(); ++i)
      opts.push_back({{"letter", std::string(1, static_cast<char>('A' + i))},
                      {"text", (*v)->options[i].text},
                      {"correct", (*v)->options[i].correct},
                      {"count", i < s.options.size() ? s.options[i] : 0},
                      {"share", s.answered ? static_cast<double>(i < s.options.size() ? s.options[i] : 0) / static_cast<double>(s.answered) : 0.0}});
    questions.push_back({{"version_id", vid},
                         {"question_id", (*v)->question_id},
                         {"version", (*v)->version},
                         {"text", (*v)->text},
                         {"type", qtype_code((*v)->type)},
                         {"shown", s.shown},
                         {"answered", s.answered},
                         {"correct", s.correct},
                         {"correct_rate", s.shown ? static_cast<double>(s.correct) / static_cast<double>(s.shown) : 0.0},
                         {"discrimination", s.by_score.empty() ? 0.0 : (up - low) / static_cast<double>(g)},
                         {"options", opts}});
  }
  auto rej = rejections(contest_id);
  json rejj = json::object();
  if (rej)
    for (const auto& [r, n] : *rej) rejj[r] = n;
  json per_day_j = json::array();
  for (const auto& [d, n] : per_day) per_day_j.push_back({{"label", d}, {"count", n}});
  double mean = 0;
  for (double s : scores) mean += s;
  if (!scores.empty()) mean /= static_cast<double>(scores.size());
  return json{{"contest_id", contest_id},
              {"title", (*k)->title},
              {"participants", static_cast<int64_t>(people.size())},
              {"participants_submitted", static_cast<int64_t>(people_submitted.size())},
              {"attempts", started},
              {"submitted", submitted},
              {"in_progress", in_progress},
              {"abandoned", abandoned},
              {"disqualified", disqualified},
              {"flagged", flagged},
              {"completion_rate", started ? static_cast<double>(submitted) / static_cast<double>(started) : 0.0},
              {"mean_score_pct", mean},
              {"per_day", per_day_j},
              {"by_unit", counts_json(by_unit)},
              {"by_commune", counts_json(by_commune)},
              {"by_age", counts_json(by_age)},
              {"by_gender", counts_json(by_gender)},
              {"by_audience", counts_json(by_audience)},
              {"score_distribution", dist},
              {"questions", questions},
              {"rejections", rejj}};
}

}  // namespace pbgdpl::contest
