#include "contest/store.h"

#include <map>

namespace pbgdpl::contest::store {

using nlohmann::json;
using storage::Null;
using storage::Row;
using storage::Value;

namespace {

constexpr const char* kQuestionCols =
    "q.id, q.ext_key, q.org_id, q.topic, q.difficulty, q.current_version, q.updated_at, v.id, v.version, v.type, "
    "v.text, v.body, v.created_at, q.revision";

Question question_of(const Row& r) {
  Question q;
  q.id = r.i64(0);
  q.ext_key = r.str(1);
  q.org_id = r.i64(2);
  q.topic = r.str(3);
  q.difficulty = static_cast<int>(r.i64(4));
  q.current_version = static_cast<int>(r.i64(5));
  q.updated_at = r.i64(6);
  q.cur.id = r.i64(7);
  q.cur.question_id = q.id;
  q.cur.version = static_cast<int>(r.i64(8));
  q.cur.type = parse_qtype(r.str(9)).value_or(QType::Single);
  q.cur.text = r.str(10);
  version_from_body(q.cur, json::parse(r.str(11), nullptr, false));
  q.cur.created_at = r.i64(12);
  q.revision = static_cast<int>(r.i64(13));
  return q;
}

std::string flags_str(const std::vector<std::string>& f) {
  std::string s;
  for (const auto& x : f) s += (s.empty() ? "" : ",") + x;
  return s;
}

std::vector<std::string> flags_of(const std::string& s) {
  std::vector<std::string> out;
  size_t p = 0;
  while (p < s.size()) {
    auto e = s.find(',', p);
    if (e == std::string::npos) e = s.size();
    if (e > p) out.push_back(s.substr(p, e - p));
    p = e + 1;
  }
  return out;
}

constexpr const char* kAttemptCols =
    "id, contest_id, round_id, participant_id, token_hash, status, started_at, deadline, submitted_at, questions, "
    "answers, score, max_score, correct, receipt, flags, dq_reason, ip, device";

// Where the columns that change after a start (status, answers, score, …) are in a row.
struct StateCols {
  size_t status, answers, score, max_score, correct, receipt, flags, submitted_at;
};

void state_of(const Row& r, StateCols c, Attempt& a) {
  auto st = r.str(c.status);
  a.status = st == "submitted" ? AttemptStatus::Submitted : st == "disqualified" ? AttemptStatus::Disqualified : AttemptStatus::Open;
  a.flags.clear();
  if (st == "expired") a.flags.push_back("expired");
  for (auto& f : flags_of(r.str(c.flags))) a.flags.push_back(f);
  a.answers = json::parse(r.str(c.answers), nullptr, false);
  if (!a.answers.is_object()) a.answers = json::object();
  a.score = r.f64(c.score);
  a.max_score = r.f64(c.max_score);
  a.correct = static_cast<int>(r.i64(c.correct));
  a.receipt = r.str(c.receipt);
  a.submitted_at = r.opt_i64(c.submitted_at);
}

Attempt attempt_of(const Row& r) {
  Attempt a;
  a.id = r.i64(0);
  a.contest_id = r.i64(1);
  a.round_id = r.i64(2);
  a.participant_id = r.i64(3);
  a.token_hash = r.str(4);
  a.started_at = r.i64(6);
  a.deadline = r.i64(7);
  a.questions = attempt_questions_from(std::string_view(r.str(9)));
  state_of(r, {5, 10, 11, 12, 13, 14, 15, 8}, a);
  a.dq_reason = r.str(16);
  a.ip = r.str(17);
  a.device = r.str(18);
  return a;
}

constexpr const char* kPersonCols = "id, phone, cccd, full_name, birth_year, gender, org_unit, commune, audience";

Participant person_of(const Row& r, size_t o = 0) {
  Participant p;
  p.id = r.i64(o);
  p.reg.phone = r.str(o + 1);
  p.reg.cccd = r.str(o + 2);
  p.reg.full_name = r.str(o + 3);
  p.reg.birth_year = static_cast<int>(r.i64(o + 4));
  p.reg.gender = r.str(o + 5);
  p.reg.org_unit = r.str(o + 6);
  p.reg.commune = r.str(o + 7);
  p.reg.audience = r.str(o + 8);
  return p;
}

}  // namespace

Result<int64_t> insert_question(Conn& c, const Question& q) {
  auto r = c.one(
      "INSERT INTO contest_questions (ext_key, org_id, topic, difficulty, current_version, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {q.ext_key.empty() ? Value(Null{}) : Value(q.ext_key), q.org_id, q.topic, int64_t{q.difficulty},
       int64_t{q.current_version}, q.updated_at, q.updated_at});
  if (!r) return r.take_error();
  return (*r)->i64(0);
}

Status update_question(Conn& c, const Question& q) {
  auto r = c.exec(
      "UPDATE contest_questions SET topic = ?, difficulty = ?, current_version = ?, updated_at = ?, revision = revision + 1 "
      "WHERE id = ?",
      {q.topic, int64_t{q.difficulty}, int64_t{q.current_version}, q.updated_at, q.id});
  if (!r) return r.take_error();
  return {};
}

Result<int64_t> insert_version(Conn& c, int64_t qid, int version, const QuestionVersion& v, int64_t now,
                               const std::string& by) {
  auto r = c.one(
      "INSERT INTO contest_question_versions (question_id, version, type, text, body, created_at, created_by) "
      "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {qid, int64_t{version}, std::string(qtype_code(v.type)), v.text, version_body(v).dump(), now, by});
  if (!r) return r.take_error();
  return (*r)->i64(0);
}

Status update_version(Conn& c, int64_t id, const QuestionVersion& v, int64_t now, const std::string& by) {
  auto r = c.exec("UPDATE contest_question_versions SET type = ?, text = ?, body = ?, edited_at = ?, edited_by = ? WHERE id = ?",
                  {std::string(qtype_code(v.type)), v.text, version_body(v).dump(), now, by, id});
  if (!r) return r.take_error();
  return {};
}

Result<std::vector<VersionInfo>> versions_of(Conn& c, int64_t question_id) {
  auto r = c.query(
      "SELECT id, version, text, created_at, created_by, edited_at, edited_by FROM contest_question_versions "
      "WHERE question_id = ? ORDER BY version DESC",
      {question_id});
  if (!r) return r.take_error();
  std::vector<VersionInfo> out;
  for (const auto& row : *r) {
    VersionInfo v;
    v.id = row.i64(0);
    v.version = static_cast<int>(row.i64(1));
    v.text = row.str(2);
    v.created_at = row.i64(3);
    v.created_by = row.str(4);
    v.edited_at = row.is_null(5) ? 0 : row.i64(5);
    v.edited_by = row.str(6);
    out.push_back(std::move(v));
  }
  return out;
}

namespace {
// A question with its current version, for the WHERE clause that follows.
const std::string kQuestionSelect = std::string("SELECT ") + kQuestionCols +
                                    " FROM contest_questions q JOIN contest_question_versions v ON v.question_id = q.id AND "
                                    "v.version = q.current_version WHERE ";

Result<std::optional<Question>> one_question(Conn& c, std::string_view where, const storage::Params& p) {
  auto r = c.one(kQuestionSelect + std::string(where), p);
  if (!r) return r.take_error();
  if (!*r) return std::optional<Question>();
  return std::optional<Question>(question_of(**r));
}
}  // namespace

Result<std::optional<Question>> question_by_id(Conn& c, int64_t id) { return one_question(c, "q.id = ?", {id}); }

Result<std::optional<Question>> question_by_key(Conn& c, const std::string& key) {
  return one_question(c, "q.ext_key = ?", {key});
}

Result<std::vector<Question>> list_questions(Conn& c, const std::string& topic, int64_t after_id, int limit) {
  std::string sql = kQuestionSelect + "q.archived = 0 AND q.id > ?";
  storage::Params p{after_id};
  if (!topic.empty()) {
    sql += " AND q.topic = ?";
    p.push_back(topic);
  }
  sql += " ORDER BY q.id LIMIT ?";
  p.push_back(int64_t{limit});
  auto r = c.query(sql, p);
  if (!r) return r.take_error();
  std::vector<Question> out;
  for (const auto& row : *r) out.push_back(question_of(row));
  return out;
}

Result<std::optional<QuestionVersion>> version_by_id(Conn& c, int64_t id) {
  auto r = c.one("SELECT id, question_id, version, type, text, body, created_at FROM contest_question_versions WHERE id = ?",
                 {id});
  if (!r) return r.take_error();
  if (!*r) return std::optional<QuestionVersion>();
  const Row& row = **r;
  QuestionVersion v;
  v.id = row.i64(0);
  v.question_id = row.i64(1);
  v.version = static_cast<int>(row.i64(2));
  v.type = parse_qtype(row.str(3)).value_or(QType::Single);
  v.text = row.str(4);
  version_from_body(v, json::parse(row.str(5), nullptr, false));
  v.created_at = row.i64(6);
  return std::optional<QuestionVersion>(std::move(v));
}

Result<bool> version_in_use(Conn& c, int64_t question_id, int64_t version_id, int64_t now) {
  // Attempts store their questions as JSON [{"o":[…],"v":id}] (keys sorted); the text
  // search is exact because every id is followed by the closing brace.
  auto seen = c.one("SELECT 1 FROM contest_attempts WHERE questions LIKE ? LIMIT 1",
                    {"%\"v\":" + std::to_string(version_id) + "}%"});
  if (!seen) return seen.take_error();
  if (*seen) return true;
  // Pools: settings JSON holds "pool":[ids] or an empty pool (= whole bank).
  auto live = c.query("SELECT k.settings FROM contests k JOIN contest_rounds r ON r.contest_id = k.id "
                      "WHERE k.published = 1 AND r.opens_at <= ? AND r.closes_at > ?",
                      {now, now});
  if (!live) return live.take_error();
  for (const auto& row : *live) {
    auto s = json::parse(row.str(0), nullptr, false);
    auto pool = s.value("pool", std::vector<int64_t>{});
    if (pool.empty() || std::find(pool.begin(), pool.end(), question_id) != pool.end()) return true;
    if (s.value("prediction_question", int64_t{0}) == question_id) return true;
  }
  return false;
}

Result<std::vector<std::pair<std::string, int64_t>>> topics(Conn& c) {
  auto r = c.query("SELECT topic, COUNT(*) FROM contest_questions WHERE archived = 0 GROUP BY topic ORDER BY topic");
  if (!r) return r.take_error();
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& row : *r) out.emplace_back(row.str(0), row.i64(1));
  return out;
}

json settings_json(const Contest& k) {
  json draw = json::array();
  for (const auto& d : k.draw) draw.push_back({{"topic", d.topic}, {"difficulty", d.difficulty}, {"count", d.count}});
  json tb = json::array();
  for (auto t : k.tie_breakers) tb.push_back(tiebreak_code(t));
  json prizes = json::array();
  for (const auto& p : k.prizes) prizes.push_back({{"name", p.name}, {"count", p.count}});
  json s = {{"description", k.description},
            {"shared_org_ids", k.shared_org_ids},
            {"eligibility", k.eligibility},
            {"eligible_org_ids", k.eligible_org_ids},
            {"invite_code", k.invite_code},
            {"time_limit_s", k.time_limit_s},
            {"grace_s", k.grace_s},
            {"max_attempts", k.max_attempts},
            {"attempt_policy", k.attempt_policy},
            {"shuffle_questions", k.shuffle_questions},
            {"shuffle_options", k.shuffle_options},
            {"draw", draw},
            {"pool", k.pool},
            {"tie_breakers", tb},
            {"prizes", prizes},
            {"min_seconds_per_question", k.min_seconds_per_question},
            {"starts_per_ip_per_min", k.starts_per_ip_per_min},
            {"starts_per_device_per_min", k.starts_per_device_per_min},
            {"captcha", k.captcha}};
  if (k.prediction_question) s["prediction_question"] = *k.prediction_question;
  return s;
}

void settings_from(Contest& k, const json& s) {
  if (!s.is_object()) return;
  k.description = s.value("description", "");
  k.shared_org_ids = s.value("shared_org_ids", std::vector<int64_t>{});
  k.eligibility = s.value("eligibility", "open");
  k.eligible_org_ids = s.value("eligible_org_ids", std::vector<int64_t>{});
  k.invite_code = s.value("invite_code", "");
  k.time_limit_s = s.value("time_limit_s", 1800);
  k.grace_s = s.value("grace_s", 30);
  k.max_attempts = s.value("max_attempts", 1);
  k.attempt_policy = s.value("attempt_policy", "best");
  k.shuffle_questions = s.value("shuffle_questions", true);
  k.shuffle_options = s.value("shuffle_options", true);
  k.draw.clear();
  for (const auto& d : s.value("draw", json::array()))
    k.draw.push_back({d.value("topic", ""), d.value("difficulty", 0), d.value("count", 0)});
  k.pool = s.value("pool", std::vector<int64_t>{});
  k.tie_breakers.clear();
  for (const auto& t : s.value("tie_breakers", json::array()))
    if (auto tb = parse_tiebreak(t.get<std::string>())) k.tie_breakers.push_back(*tb);
  k.prizes.clear();
  for (const auto& p : s.value("prizes", json::array())) k.prizes.push_back({p.value("name", ""), p.value("count", 0)});
  k.min_seconds_per_question = s.value("min_seconds_per_question", 1.5);
  k.starts_per_ip_per_min = s.value("starts_per_ip_per_min", 30);
  k.starts_per_device_per_min = s.value("starts_per_device_per_min", 5);
  k.captcha = s.value("captcha", false);
  if (s.contains("prediction_question")) k.prediction_question = s["prediction_question"].get<int64_t>();
}

Result<int64_t> insert_contest(Conn& c, const Contest& k) {
  auto r = c.one("INSERT INTO contests (slug, title, org_id, published, settings, created_at, updated_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                 {k.slug, k.title, k.org_id, int64_t{k.published}, settings_json(k).dump(), k.created_at, k.updated_at});
  if (!r) return r.take_error();
  return (*r)->i64(0);
}

Result<int64_t> insert_round(Conn& c, const Round& rd) {
  auto r = c.one("INSERT INTO contest_rounds (contest_id, name, opens_at, closes_at) VALUES (?, ?, ?, ?) RETURNING id",
                 {rd.contest_id, rd.name, rd.opens_at, rd.closes_at});
  if (!r) return r.take_error();
  return (*r)->i64(0);
}

namespace {
Result<std::vector<Round>> rounds_of(Conn& c, int64_t contest_id) {
  auto r = c.query("SELECT id, contest_id, name, opens_at, closes_at, actual_participants, frozen_at FROM contest_rounds "
                   "WHERE contest_id = ? ORDER BY opens_at, id",
                   {contest_id});
  if (!r) return r.take_error();
  std::vector<Round> out;
  for (const auto& row : *r)
    out.push_back({row.i64(0), row.i64(1), row.str(2), row.i64(3), row.i64(4), row.opt_i64(5), row.opt_i64(6)});
  return out;
}

Contest contest_of(const Row& row) {
  Contest k;
  k.id = row.i64(0);
  k.slug = row.str(1);
  k.title = row.str(2);
  k.org_id = row.i64(3);
  k.published = row.i64(4) != 0;
  settings_from(k, json::parse(row.str(5), nullptr, false));
  k.created_at = row.i64(6);
  k.updated_at = row.i64(7);
  return k;
}
}  // namespace

Result<std::optional<Contest>> contest_by_id(Conn& c, int64_t id) {
  auto r = c.one("SELECT id, slug, title, org_id, published, settings, created_at, updated_at FROM contests WHERE id = ?",
                 {id});
  if (!r) return r.take_error();
  if (!*r) return std::optional<Contest>();
  auto k = contest_of(**r);
  auto rounds = rounds_of(c, id);
  if (!rounds) return rounds.take_error();
  k.rounds = std::move(*rounds);
  return std::optional<Contest>(std::move(k));
}

Result<std::vector<Contest>> list_contests(Conn& c, bool include_unpublished) {
  auto r = c.query(std::string("SELECT id, slug, title, org_id, published, settings, created_at, updated_at FROM contests") +
                   (include_unpublished ? "" : " WHERE published = 1") + " ORDER BY id DESC LIMIT 200");
  if (!r) return r.take_error();
  std::vector<Contest> out;
  for (const auto& row : *r) {
    auto k = contest_of(row);
    auto rounds = rounds_of(c, k.id);
    if (!rounds) return rounds.take_error();
    k.rounds = std::move(*rounds);
    out.push_back(std::move(k));
  }
  return out;
}

Result<bool> slug_taken(Conn& c, const std::string& slug) {
  auto r = c.one("SELECT 1 FROM contests WHERE slug = ?", {slug});
  if (!r) return r.take_error();
  return r->has_value();
}

Status set_published(Conn& c, int64_t id, bool published, int64_t now) {
  auto r = c.exec("UPDATE contests SET published = ?, updated_at = ? WHERE id = ?", {int64_t{published}, now, id});
  if (!r) return r.take_error();
  return {};
}

Result<std::vector<PoolEntry>> pool(Conn& c, const Contest& k) {
  auto r = c.query(
      "SELECT q.id, v.id, q.topic, q.difficulty, v.type, v.body FROM contest_questions q JOIN contest_question_versions v "
      "ON v.question_id = q.id AND v.version = q.current_version WHERE q.archived = 0 ORDER BY q.id");
  if (!r) return r.take_error();
  std::vector<PoolEntry> out;
  for (const auto& row : *r) {
    int64_t qid = row.i64(0);
    if (k.prediction_question && *k.prediction_question == qid) continue;
    if (row.str(4) == "prediction") continue;
    if (!k.pool.empty() && std::find(k.pool.begin(), k.pool.end(), qid) == k.pool.end()) continue;
    auto body = json::parse(row.str(5), nullptr, false);
    int opts = body.is_object() ? static_cast<int>(body.value("options", json::array()).size()) : 0;
    out.push_back({qid, row.i64(1), row.str(2), static_cast<int>(row.i64(3)), opts});
  }
  return out;
}

Status set_frozen(Conn& c, int64_t round_id, int64_t at, int64_t actual, const std::string& ranking) {
  auto r = c.exec("UPDATE contest_rounds SET frozen_at = ?, actual_participants = ?, frozen_ranking = ? WHERE id = ? "
                  "AND frozen_at IS NULL",
                  {at, actual, ranking, round_id});
  if (!r) return r.take_error();
  return {};
}

Result<std::optional<std::string>> frozen_ranking(Conn& c, int64_t round_id) {
  auto r = c.one("SELECT frozen_ranking FROM contest_rounds WHERE id = ? AND frozen_at IS NOT NULL", {round_id});
  if (!r) return r.take_error();
  if (!*r) return std::optional<std::string>();
  return (*r)->opt_str(0);
}

Status clear_frozen(Conn& c, int64_t round_id) {
  auto r = c.exec("UPDATE contest_rounds SET frozen_at = NULL, frozen_ranking = NULL WHERE id = ?", {round_id});
  if (!r) return r.take_error();
  return {};
}

Result<std::optional<Participant>> participant_by_phone(Conn& c, int64_t contest_id, const std::string& phone) {
  auto r = c.one(std::string("SELECT ") + kPersonCols + " FROM contest_participants WHERE contest_id = ? AND phone = ?",
                 {contest_id, phone});
  if (!r) return r.take_error();
  if (!*r) return std::optional<Participant>();
  return std::optional<Participant>(person_of(**r));
}

Result<std::optional<Participant>> participant_by_cccd(Conn& c, int64_t contest_id, const std::string& cccd) {
  auto r = c.one(std::string("SELECT ") + kPersonCols + " FROM contest_participants WHERE contest_id = ? AND cccd = ?",
                 {contest_id, cccd});
  if (!r) return r.take_error();
  if (!*r) return std::optional<Participant>();
  return std::optional<Participant>(person_of(**r));
}

Result<std::optional<Participant>> participant_by_id(Conn& c, int64_t id) {
  auto r = c.one(std::string("SELECT ") + kPersonCols + " FROM contest_participants WHERE id = ?", {id});
  if (!r) return r.take_error();
  if (!*r) return std::optional<Participant>();
  return std::optional<Participant>(person_of(**r));
}

Result<int64_t> insert_participant(Conn& c, int64_t contest_id, const Registration& g, int64_t now) {
  auto r = c.one(
      "INSERT INTO contest_participants (contest_id, phone, cccd, full_name, birth_year, gender, org_unit, commune, "
      "audience, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {contest_id, g.phone, g.cccd, g.full_name, int64_t{g.birth_year}, g.gender, g.org_unit, g.commune, g.audience, now});
  if (!r) return r.take_error();
  return (*r)->i64(0);
}

namespace {
const std::string kAttemptSelect = std::string("SELECT ") + kAttemptCols + " FROM contest_attempts WHERE ";

Result<std::optional<Attempt>> one_attempt(Conn& c, std::string_view where, const storage::Params& p) {
  auto r = c.one(kAttemptSelect + std::string(where), p);
  if (!r) return r.take_error();
  if (!*r) return std::optional<Attempt>();
  return std::optional<Attempt>(attempt_of(**r));
}
}  // namespace

Result<std::optional<Attempt>> open_attempt(Conn& c, int64_t participant_id) {
  return one_attempt(c, "participant_id = ? AND status = 'open'", {participant_id});
}

Result<int64_t> count_attempts(Conn& c, int64_t participant_id, int64_t round_id) {
  auto r = c.one("SELECT COUNT(*) FROM contest_attempts WHERE participant_id = ? AND round_id = ?", {participant_id, round_id});
  if (!r) return r.take_error();
  return (*r)->i64(0);
}

Status set_attempt_status(Conn& c, int64_t id, std::string_view status, const std::string& reason) {
  auto r = c.exec("UPDATE contest_attempts SET status = ?, dq_reason = ? WHERE id = ?", {std::string(status), reason, id});
  if (!r) return r.take_error();
  return {};
}

Result<int64_t> insert_attempt(Conn& c, const Attempt& a) {
  auto r = c.one(
      "INSERT INTO contest_attempts (contest_id, round_id, participant_id, token_hash, status, started_at, deadline, "
      "questions, answers, ip, device, flags) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, '{}', ?, ?, ?) RETURNING id",
      {a.contest_id, a.round_id, a.participant_id, a.token_hash, a.started_at, a.deadline,
       attempt_questions_json(a.questions).dump(), a.ip, a.device, flags_str(a.flags)});
  if (!r) return r.take_error();
  return (*r)->i64(0);
}

Result<std::optional<Attempt>> attempt_by_id(Conn& c, int64_t id) { return one_attempt(c, "id = ?", {id}); }

Result<bool> refresh_attempt(Conn& c, Attempt& a) {
  auto r = c.one("SELECT status, answers, score, max_score, correct, receipt, flags, submitted_at FROM contest_attempts WHERE id = ?",
                 {a.id});
  if (!r) return r.take_error();
  if (!*r) return false;
  state_of(**r, {0, 1, 2, 3, 4, 5, 6, 7}, a);
  return true;
}

Result<std::optional<Attempt>> attempt_by_receipt(Conn& c, const std::string& receipt) {
  return one_attempt(c, "receipt = ?", {receipt});
}

Status save_answers(Conn& c, int64_t id, const json& answers, int64_t at) {
  auto r = c.exec("UPDATE contest_attempts SET answers = ?, saved_at = ? WHERE id = ? AND status = 'open'",
                  {answers.dump(), at, id});
  if (!r) return r.take_error();
  return {};
}

Result<int64_t> submit(Conn& c, const Attempt& a) {
  return c.exec(
      "UPDATE contest_attempts SET status = 'submitted', answers = ?, submitted_at = ?, score = ?, max_score = ?, "
      "correct = ?, receipt = ?, flags = ? WHERE id = ? AND status = 'open'",
      {a.answers.dump(), a.submitted_at.value_or(0), a.score, a.max_score, int64_t{a.correct}, a.receipt,
       flags_str(a.flags), a.id});
}

Result<std::vector<std::pair<Attempt, Registration>>> attempts_with_people(Conn& c, int64_t contest_id, int64_t round_id,
                                                                          bool submitted_only) {
  std::string cols;
  for (std::string_view s = kAttemptCols;;) {
    auto p = s.find(", ");
    cols += "a." + std::string(s.substr(0, p));
    if (p == std::string_view::npos) break;
    cols += ", ";
    s = s.substr(p + 2);
  }
  std::string sql = "SELECT " + cols +
                    ", p.id, p.phone, p.cccd, p.full_name, p.birth_year, p.gender, p.org_unit, p.commune, p.audience "
                    "FROM contest_attempts a JOIN contest_participants p ON p.id = a.participant_id WHERE a.contest_id = ?";
  storage::Params params{contest_id};
  if (round_id) {
    sql += " AND a.round_id = ?";
    params.push_back(round_id);
  }
  if (submitted_only) sql += " AND a.status = 'submitted'";
  sql += " ORDER BY a.id";
  auto r = c.query(sql, params);
  if (!r) return r.take_error();
  std::vector<std::pair<Attempt, Registration>> out;
  out.reserve(r->size());
  for (const auto& row : *r) out.emplace_back(attempt_of(row), person_of(row, 19).reg);
  return out;
}

Status add_rejection(Conn& c, int64_t contest_id, const std::string& reason, int64_t n) {
  auto r = c.exec("INSERT INTO contest_rejections (contest_id, reason, count) VALUES (?, ?, ?) "
                  "ON CONFLICT (contest_id, reason) DO UPDATE SET count = contest_rejections.count + excluded.count",
                  {contest_id, reason, n});
  if (!r) return r.take_error();
  return {};
}

Result<std::map<std::string, int64_t>> rejections(Conn& c, int64_t contest_id) {
  auto r = c.query("SELECT reason, count FROM contest_rejections WHERE contest_id = ? ORDER BY reason", {contest_id});
  if (!r) return r.take_error();
  std::map<std::string, int64_t> out;
  for (const auto& row : *r) out[row.str(0)] = row.i64(1);
  return out;
}

}  // namespace pbgdpl::contest::store
