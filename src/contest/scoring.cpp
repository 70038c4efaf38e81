#include "contest/scoring.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "accounts/service.h"
#include "core/crypto.h"
#include "core/utf8.h"

namespace pbgdpl::contest {

using core::Error;
using core::ErrorCode;
using nlohmann::json;

namespace {

Error invalid(std::string msg, std::string field = {}) {
  return Error::of(ErrorCode::Validation, std::move(msg), std::move(field));
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Province codes of the citizen identity number (Thông tư 59/2021/TT-BCA, 63 provinces).
constexpr int kProvinceCodes[] = {1,  2,  4,  6,  8,  10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25,
                                  26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48,
                                  49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75,
                                  77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96};

}  // namespace

Result<std::string> normalize_mobile(std::string_view s) {
  // The accounts rules (spaces, dots, dashes, +84) and then a contest's stricter one: a
  // participant is reached on a mobile, so 10 digits with a mobile prefix.
  auto d = accounts::normalize_phone(s);
  if (!d || d->size() != 10 || std::string_view("35789").find((*d)[1]) == std::string_view::npos)
    return invalid("Số điện thoại di động không hợp lệ: cần 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09 "
                   "(ví dụ 0912345678).",
                   "phone");
  return d;
}

Status check_cccd(std::string_view cccd, int birth_year) {
  if (cccd.size() != 12 || !all_digits(cccd))
    return invalid("Số CCCD phải gồm đúng 12 chữ số.", "cccd");
  int province = std::stoi(std::string(cccd.substr(0, 3)));
  if (std::find(std::begin(kProvinceCodes), std::end(kProvinceCodes), province) == std::end(kProvinceCodes))
    return invalid("Số CCCD không hợp lệ: ba chữ số đầu không phải mã tỉnh, thành phố.", "cccd");
  int century_gender = cccd[3] - '0';
  if (century_gender > 9) return invalid("Số CCCD không hợp lệ.", "cccd");
  int year = 1900 + (century_gender / 2) * 100 + std::stoi(std::string(cccd.substr(4, 2)));
  if (birth_year > 0 && year != birth_year)
    return invalid("Số CCCD không khớp với năm sinh đã khai (chữ số thứ 4–6 mã hóa năm sinh).", "cccd");
  return {};
}

const std::vector<std::pair<std::string, std::string>>& audiences() {
  static const std::vector<std::pair<std::string, std::string>> v = {
      {"can_bo", "Cán bộ, công chức, viên chức"},
      {"hoc_sinh", "Học sinh, sinh viên"},
      {"nguoi_lao_dong", "Người lao động, doanh nghiệp"},
      {"nong_dan", "Nông dân"},
      {"luc_luong_vu_trang", "Lực lượng vũ trang"},
      {"khac", "Đối tượng khác"}};
  return v;
}

const std::vector<std::pair<std::string, std::string>>& genders() {
  static const std::vector<std::pair<std::string, std::string>> v = {{"nam", "Nam"}, {"nu", "Nữ"}, {"khac", "Khác"}};
  return v;
}

Status check_registration(Registration& r, int current_year) {
  for (auto* f : {&r.full_name, &r.org_unit, &r.commune, &r.cccd, &r.phone, &r.gender, &r.audience}) {
    if (!core::utf8_valid(*f)) return Error::of(ErrorCode::InvalidUtf8);
    if (core::has_control_chars(*f)) return invalid("Dữ liệu chứa ký tự điều khiển không hợp lệ.");
    *f = std::string(core::trim(*f));
  }
  size_t n = core::utf8_length(r.full_name);
  if (n < 2) return invalid("Vui lòng nhập họ và tên.", "full_name");
  if (n > 100) return invalid("Họ và tên quá dài (tối đa 100 ký tự).", "full_name");
  if (r.birth_year < 1900 || r.birth_year > current_year - 6)
    return invalid("Năm sinh không hợp lệ (từ 1900 đến " + std::to_string(current_year - 6) + ").", "birth_year");
  bool g = false;
  for (const auto& [code, label] : genders()) g |= r.gender == code;
  if (!g) return invalid("Vui lòng chọn giới tính.", "gender");
  auto phone = normalize_mobile(r.phone);
  if (!phone) return phone.take_error();
  r.phone = *phone;
  if (!r.cccd.empty()) PBGDPL_TRY(check_cccd(r.cccd, r.birth_year));
  if (core::utf8_length(r.org_unit) > 200) return invalid("Tên đơn vị quá dài.", "org_unit");
  if (core::utf8_length(r.commune) > 120) return invalid("Tên xã/phường quá dài.", "commune");
  bool a = false;
  for (const auto& [code, label] : audiences()) a |= r.audience == code;
  if (!a) return invalid("Vui lòng chọn đối tượng dự thi.", "audience");
  return {};
}

std::string_view qtype_code(QType t) {
  switch (t) {
    case QType::Single: return "single";
    case QType::Multiple: return "multiple";
    case QType::TrueFalse: return "true_false";
    case QType::Numeric: return "numeric";
    case QType::Prediction: return "prediction";
  }
  return "single";
}

std::string_view qtype_label(QType t) {
  switch (t) {
    case QType::Single: return "Một lựa chọn";
    case QType::Multiple: return "Nhiều lựa chọn";
    case QType::TrueFalse: return "Đúng/Sai";
    case QType::Numeric: return "Trả lời bằng số";
    case QType::Prediction: return "Dự đoán số người tham gia";
  }
  return "";
}

std::optional<QType> parse_qtype(std::string_view s) {
  for (auto t : {QType::Single, QType::Multiple, QType::TrueFalse, QType::Numeric, QType::Prediction})
    if (s == qtype_code(t)) return t;
  return std::nullopt;
}

std::string_view tiebreak_code(TieBreak t) {
  switch (t) {
    case TieBreak::Score: return "score";
    case TieBreak::Prediction: return "prediction";
    case TieBreak::TimeUsed: return "time_used";
    case TieBreak::SubmittedAt: return "submitted_at";
  }
  return "score";
}

std::string_view tiebreak_label(TieBreak t) {
  switch (t) {
    case TieBreak::Score: return "Điểm cao hơn";
    case TieBreak::Prediction: return "Dự đoán gần đúng hơn số người tham gia";
    case TieBreak::TimeUsed: return "Thời gian làm bài ngắn hơn";
    case TieBreak::SubmittedAt: return "Nộp bài sớm hơn";
  }
  return "";
}

std::optional<TieBreak> parse_tiebreak(std::string_view s) {
  for (auto t : {TieBreak::Score, TieBreak::Prediction, TieBreak::TimeUsed, TieBreak::SubmittedAt})
    if (s == tiebreak_code(t)) return t;
  return std::nullopt;
}

std::string_view attempt_status_code(AttemptStatus s) {
  switch (s) {
    case AttemptStatus::Open: return "open";
    case AttemptStatus::Submitted: return "submitted";
    case AttemptStatus::Disqualified: return "disqualified";
  }
  return "open";
}

Status check_question(QuestionInput& in) {
  auto t = parse_qtype(in.type);
  if (!t) return invalid("Loại câu hỏi không hợp lệ (single, multiple, true_false, numeric, prediction).", "type");
  in.text = std::string(core::trim(in.text));
  if (!core::utf8_valid(in.text) || !core::utf8_valid(in.explanation) || !core::utf8_valid(in.topic))
    return Error::of(ErrorCode::InvalidUtf8);
  if (core::utf8_length(in.text) < 5) return invalid("Nội dung câu hỏi quá ngắn.", "text");
  if (in.text.size() > 8000) return invalid("Nội dung câu hỏi quá dài (tối đa 8.000 byte).", "text");
  if (in.explanation.size() > 8000) return invalid("Phần giải thích quá dài.", "explanation");
  if (in.difficulty < 1 || in.difficulty > 3) return invalid("Độ khó phải là 1 (dễ), 2 (trung bình) hoặc 3 (khó).", "difficulty");
  if (!(in.points > 0 && in.points <= 100)) return invalid("Điểm của câu hỏi phải lớn hơn 0 và không quá 100.", "points");
  in.topic = std::string(core::trim(in.topic));
  if (core::utf8_length(in.topic) > 120) return invalid("Tên chủ đề quá dài.", "topic");
  if (*t == QType::TrueFalse) {
    if (in.options.empty()) return invalid("Câu Đúng/Sai cần đáp án (Đúng hoặc Sai).", "options");
    bool truth = false;
    if (in.options.size() == 2 && in.options[0].text == "Đúng" && in.options[1].text == "Sai") {
      if (in.options[0].correct == in.options[1].correct) return invalid("Câu Đúng/Sai cần đúng một đáp án.", "options");
      truth = in.options[0].correct;
    } else {
      return invalid("Câu Đúng/Sai có đúng hai lựa chọn: Đúng, Sai.", "options");
    }
    in.options = {{"Đúng", truth}, {"Sai", !truth}};
  }
  if (*t == QType::Single || *t == QType::Multiple) {
    if (in.options.size() < 2 || in.options.size() > 10) return invalid("Câu hỏi lựa chọn cần từ 2 đến 10 phương án.", "options");
    int correct = 0;
    std::set<std::string> seen;
    for (auto& o : in.options) {
      o.text = std::string(core::trim(o.text));
      if (o.text.empty()) return invalid("Phương án trả lời không được để trống.", "options");
      if (!core::utf8_valid(o.text)) return Error::of(ErrorCode::InvalidUtf8);
      if (o.text.size() > 2000) return invalid("Phương án trả lời quá dài.", "options");
      if (!seen.insert(o.text).second) return invalid("Hai phương án trả lời trùng nhau.", "options");
      correct += o.correct;
    }
    if (*t == QType::Single && correct != 1) return invalid("Câu một lựa chọn cần đúng một phương án đúng.", "options");
    if (*t == QType::Multiple && correct < 1) return invalid("Câu nhiều lựa chọn cần ít nhất một phương án đúng.", "options");
  }
  if (*t == QType::Numeric) {
    if (!std::isfinite(in.number) || !std::isfinite(in.tolerance) || in.tolerance < 0)
      return invalid("Đáp án số hoặc sai số cho phép không hợp lệ.", "number");
    in.options.clear();
  }
  if (*t == QType::Prediction) in.options.clear();
  if (in.provisions.size() > 20) return invalid("Tối đa 20 điều khoản liên quan.", "provisions");
  for (auto& p : in.provisions) {
    p = std::string(core::trim(p));
    if (p.size() > 300 || !core::utf8_valid(p)) return invalid("Địa chỉ điều khoản không hợp lệ.", "provisions");
  }
  return {};
}

QuestionVersion version_of(const QuestionInput& in) {
  QuestionVersion v;
  v.type = parse_qtype(in.type).value_or(QType::Single);
  v.text = in.text;
  v.options = in.options;
  v.number = in.number;
  v.tolerance = in.tolerance;
  v.explanation = in.explanation;
  v.provisions = in.provisions;
  v.points = in.points;
  return v;
}

json version_body(const QuestionVersion& v) {
  json opts = json::array();
  for (const auto& o : v.options) opts.push_back({{"text", o.text}, {"correct", o.correct}});
  return {{"options", opts},       {"number", v.number},         {"tolerance", v.tolerance},
          {"points", v.points},    {"explanation", v.explanation}, {"provisions", v.provisions}};
}

void version_from_body(QuestionVersion& v, const json& b) {
  v.options.clear();
  for (const auto& o : b.value("options", json::array())) v.options.push_back({o.value("text", ""), o.value("correct", false)});
  v.number = b.value("number", 0.0);
  v.tolerance = b.value("tolerance", 0.0);
  v.points = b.value("points", 1.0);
  v.explanation = b.value("explanation", "");
  v.provisions = b.value("provisions", std::vector<std::string>{});
}

json client_question(const QuestionVersion& v, const AttemptQuestion& q, int number) {
  json opts = json::array();
  for (size_t i = 0; i < q.perm.size(); ++i) {
    auto idx = static_cast<size_t>(q.perm[i]);
    if (idx < v.options.size()) opts.push_back({{"id", static_cast<int>(i + 1)}, {"text", v.options[idx].text}});
  }
  return {{"id", v.id}, {"number", number}, {"type", qtype_code(v.type)}, {"text", v.text}, {"options", opts}};
}

Result<json> check_answers(const std::vector<AttemptQuestion>& qs, const VersionMap& versions, const json& sent) {
  json out = json::object();
  auto find_q = [&](int64_t id) -> const AttemptQuestion* {
    for (const auto& q : qs)
      if (q.version_id == id) return &q;
    return nullptr;
  };
  auto one = [&](int64_t qid, const json& val) -> Status {
    const auto* q = find_q(qid);
    if (!q) return invalid("Câu hỏi số " + std::to_string(qid) + " không thuộc bài thi này.", "answers");
    auto it = versions.find(qid);
    if (it == versions.end()) return invalid("Câu hỏi không tồn tại.", "answers");
    const auto& v = *it->second;
    bool numeric = v.type == QType::Numeric || v.type == QType::Prediction;
    if (val.is_null()) return {};  // clears the answer
    if (numeric) {
      if (!val.is_number() || !std::isfinite(val.get<double>()))
        return invalid("Câu hỏi số " + std::to_string(qid) + " cần một số.", "answers");
      double d = val.get<double>();
      if (std::fabs(d) > 1e12) return invalid("Giá trị trả lời quá lớn.", "answers");
      out[std::to_string(qid)] = d;
      return {};
    }
    if (!val.is_array() || val.size() > q->perm.size())
      return invalid("Câu hỏi số " + std::to_string(qid) + " cần danh sách phương án đã chọn.", "answers");
    std::set<int> picked;
    for (const auto& c : val) {
      if (!c.is_number_integer()) return invalid("Mã phương án phải là số nguyên.", "answers");
      auto k = c.get<int64_t>();
      if (k < 1 || k > static_cast<int64_t>(q->perm.size()))
        return invalid("Phương án " + std::to_string(k) + " không có trong câu hỏi số " + std::to_string(qid) + ".",
                       "answers");
      picked.insert(static_cast<int>(k));
    }
    if (v.type != QType::Multiple && picked.size() > 1)
      return invalid("Câu hỏi số " + std::to_string(qid) + " chỉ được chọn một phương án.", "answers");
    out[std::to_string(qid)] = json(std::vector<int>(picked.begin(), picked.end()));
    return {};
  };
  if (sent.is_array()) {
    if (sent.size() > qs.size()) return invalid("Số câu trả lời nhiều hơn số câu hỏi của bài thi.", "answers");
    for (const auto& a : sent) {
      if (!a.is_object() || !a.contains("question_id") || !a["question_id"].is_number_integer())
        return invalid("Mỗi câu trả lời cần question_id.", "answers");
      auto qid = a["question_id"].get<int64_t>();
      if (a.contains("choices")) {
        PBGDPL_TRY(one(qid, a["choices"]));
      } else if (a.contains("value")) {
        PBGDPL_TRY(one(qid, a["value"]));
      } else {
        PBGDPL_TRY(one(qid, json()));
      }
    }
  } else if (sent.is_object()) {
    if (sent.size() > qs.size()) return invalid("Số câu trả lời nhiều hơn số câu hỏi của bài thi.", "answers");
    for (const auto& [k, v] : sent.items()) {
      int64_t qid = 0;
      try {
        size_t pos = 0;
        qid = std::stoll(k, &pos);
        if (pos != k.size()) throw std::invalid_argument(k);
      } catch (const std::exception&) {
        return invalid("Mã câu hỏi không hợp lệ.", "answers");
      }
      PBGDPL_TRY(one(qid, v));
    }
  } else {
    return invalid("answers phải là một danh sách.", "answers");
  }
  return out;
}

bool is_correct(const QuestionVersion& v, const AttemptQuestion& q, const json& given) {
  if (v.type == QType::Prediction) return false;
  if (v.type == QType::Numeric) return given.is_number() && std::fabs(given.get<double>() - v.number) <= v.tolerance + 1e-9;
  if (!given.is_array()) return false;
  std::set<size_t> chosen;
  for (const auto& c : given) {
    if (!c.is_number_integer()) return false;
    auto k = c.get<int64_t>();
    if (k < 1 || k > static_cast<int64_t>(q.perm.size())) return false;
    chosen.insert(static_cast<size_t>(q.perm[static_cast<size_t>(k - 1)]));
  }
  std::set<size_t> key;
  for (size_t i = 0; i < v.options.size(); ++i)
    if (v.options[i].correct) key.insert(i);
  return !key.empty() && chosen == key;
}

Score score_attempt(const std::vector<AttemptQuestion>& qs, const VersionMap& versions, const json& answers) {
  Score s;
  for (const auto& q : qs) {
    auto it = versions.find(q.version_id);
    if (it == versions.end()) continue;
    const auto& v = *it->second;
    auto a = answers.find(std::to_string(q.version_id));
    if (v.type == QType::Prediction) {
      if (a != answers.end() && a->is_number()) s.prediction = a->get<double>();
      continue;
    }
    s.max_score += v.points;
    if (a != answers.end() && is_correct(v, q, *a)) {
      s.score += v.points;
      ++s.correct;
    }
  }
  return s;
}

std::string receipt_text(int64_t attempt_id, const json& answers, int64_t started_at, int64_t deadline,
                         int64_t submitted_at) {
  // Keys of a json object are sorted, numbers printed the shortest exact way: canonical.
  return "pbgdpl-contest-receipt/1\nattempt=" + std::to_string(attempt_id) + "\nanswers=" + answers.dump() +
         "\nstarted_at=" + std::to_string(started_at) + "\ndeadline=" + std::to_string(deadline) +
         "\nsubmitted_at=" + std::to_string(submitted_at) + "\n";
}

std::string make_receipt(int64_t attempt_id, const json& answers, int64_t started_at, int64_t deadline,
                         int64_t submitted_at) {
  return core::sha256_hex(receipt_text(attempt_id, answers, started_at, deadline, submitted_at));
}

void order_ranking(std::vector<RankRow>& rows, const std::vector<TieBreak>& tbs, int64_t actual) {
  for (auto& r : rows)
    r.prediction_diff = r.prediction ? std::optional<double>(std::fabs(*r.prediction - static_cast<double>(actual))) : std::nullopt;
  auto cmp_key = [&](const RankRow& a, const RankRow& b) -> int {  // <0: a ranks first
    for (auto t : tbs) {
      switch (t) {
        case TieBreak::Score:
          if (a.score != b.score) return a.score > b.score ? -1 : 1;
          break;
        case TieBreak::Prediction: {
          // No prediction ranks after every prediction.
          double da = a.prediction_diff.value_or(1e300), db = b.prediction_diff.value_or(1e300);
          if (da != db) return da < db ? -1 : 1;
          break;
        }
        case TieBreak::TimeUsed:
          if (a.time_used_ms != b.time_used_ms) return a.time_used_ms < b.time_used_ms ? -1 : 1;
          break;
        case TieBreak::SubmittedAt:
          if (a.submitted_at != b.submitted_at) return a.submitted_at < b.submitted_at ? -1 : 1;
          break;
      }
    }
    return 0;
  };
  std::sort(rows.begin(), rows.end(), [&](const RankRow& a, const RankRow& b) {
    int c = cmp_key(a, b);
    return c != 0 ? c < 0 : a.attempt_id < b.attempt_id;
  });
  for (size_t i = 0; i < rows.size(); ++i)
    rows[i].rank = i > 0 && cmp_key(rows[i - 1], rows[i]) == 0 ? rows[i - 1].rank : static_cast<int>(i + 1);
}

Result<std::vector<AttemptQuestion>> draw_questions(const std::vector<PoolEntry>& pool, const Contest& c,
                                                    const std::optional<PoolEntry>& prediction, std::mt19937_64& rng) {
  std::vector<const PoolEntry*> chosen;
  std::set<int64_t> used;
  if (c.draw.empty()) {
    for (const auto& p : pool) chosen.push_back(&p);
  } else {
    for (const auto& rule : c.draw) {
      std::vector<const PoolEntry*> cand;
      for (const auto& p : pool)
        if (!used.count(p.question_id) && (rule.topic.empty() || rule.topic == p.topic) &&
            (rule.difficulty == 0 || rule.difficulty == p.difficulty))
          cand.push_back(&p);
      if (static_cast<int>(cand.size()) < rule.count)
        return Error::of(ErrorCode::Conflict,
                         "Ngân hàng câu hỏi không đủ câu cho quy tắc rút đề (chủ đề “" + rule.topic + "”, độ khó " +
                             std::to_string(rule.difficulty) + ": cần " + std::to_string(rule.count) + ", có " +
                             std::to_string(cand.size()) + ").");
      std::shuffle(cand.begin(), cand.end(), rng);
      for (int i = 0; i < rule.count; ++i) {
        chosen.push_back(cand[static_cast<size_t>(i)]);
        used.insert(cand[static_cast<size_t>(i)]->question_id);
      }
    }
  }
  if (chosen.empty()) return Error::of(ErrorCode::Conflict, "Cuộc thi chưa có câu hỏi nào.");
  if (c.shuffle_questions) std::shuffle(chosen.begin(), chosen.end(), rng);
  else std::sort(chosen.begin(), chosen.end(), [](auto* a, auto* b) { return a->question_id < b->question_id; });
  std::vector<AttemptQuestion> out;
  for (const auto* p : chosen) {
    AttemptQuestion q;
    q.version_id = p->version_id;
    for (int i = 0; i < p->options; ++i) q.perm.push_back(i);
    if (c.shuffle_options && p->options > 2) std::shuffle(q.perm.begin(), q.perm.end(), rng);
    out.push_back(std::move(q));
  }
  if (prediction) out.push_back({prediction->version_id, {}});
  return out;
}

json attempt_questions_json(const std::vector<AttemptQuestion>& qs) {
  json a = json::array();
  for (const auto& q : qs) a.push_back({{"v", q.version_id}, {"o", q.perm}});
  return a;
}

std::vector<AttemptQuestion> attempt_questions_from(const json& j) {
  std::vector<AttemptQuestion> out;
  if (!j.is_array()) return out;
  for (const auto& q : j) out.push_back({q.value("v", int64_t{0}), q.value("o", std::vector<int>{})});
  return out;
}

namespace {
// A scan of the exact shape attempt_questions_json writes; nullopt on anything else.
std::optional<std::vector<AttemptQuestion>> scan_attempt_questions(std::string_view s) {
  size_t i = 0;
  auto ws = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')) ++i;
  };
  auto eat = [&](char c) {
    ws();
    if (i >= s.size() || s[i] != c) return false;
    ++i;
    return true;
  };
  auto eat_key = [&](char k) { return eat('"') && i < s.size() && s[i++] == k && eat('"') && eat(':'); };
  auto number = [&](int64_t& out) {
    ws();
    size_t start = i;
    out = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < 15) out = out * 10 + (s[i++] - '0');
    return i > start && (i >= s.size() || s[i] < '0' || s[i] > '9');
  };
  std::vector<AttemptQuestion> out;
  if (!eat('[')) return std::nullopt;
  if (eat(']')) {
    ws();
    return i == s.size() ? std::optional(out) : std::nullopt;
  }
  do {
    AttemptQuestion q;
    if (!eat('{') || !eat_key('o') || !eat('[')) return std::nullopt;
    if (!eat(']')) {
      do {
        int64_t v = 0;
        if (!number(v) || v > 1000) return std::nullopt;
        q.perm.push_back(static_cast<int>(v));
      } while (eat(','));
      if (!eat(']')) return std::nullopt;
    }
    if (!eat(',') || !eat_key('v') || !number(q.version_id) || !eat('}')) return std::nullopt;
    out.push_back(std::move(q));
  } while (eat(','));
  if (!eat(']')) return std::nullopt;
  ws();
  if (i != s.size()) return std::nullopt;
  return out;
}
}  // namespace

std::vector<AttemptQuestion> attempt_questions_from(std::string_view text) {
  if (auto fast = scan_attempt_questions(text)) return std::move(*fast);
  return attempt_questions_from(json::parse(text, nullptr, false));
}

}  // namespace pbgdpl::contest
