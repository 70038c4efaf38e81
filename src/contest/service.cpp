#include "contest/service.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <random>
#include <set>

#include "contest/store.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/time.h"
#include "core/utf8.h"

void pbgdpl_embed_pbgdpl_contest_contest();

namespace pbgdpl::contest {

using core::Error;
using core::ErrorCode;
using nlohmann::json;
using storage::Conn;

void register_contest_assets() { pbgdpl_embed_pbgdpl_contest_contest(); }

namespace {

Error invalid(std::string msg, std::string field = {}) {
  return Error::of(ErrorCode::Validation, std::move(msg), std::move(field));
}

std::string slugify(const std::string& title) {
  // ASCII slug from a Vietnamese title: strip accents of the common letters.
  static const std::vector<std::pair<std::string, char>> map = {
      {"à", 'a'}, {"á", 'a'}, {"ả", 'a'}, {"ã", 'a'}, {"ạ", 'a'}, {"ă", 'a'}, {"ằ", 'a'}, {"ắ", 'a'}, {"ẳ", 'a'},
      {"ẵ", 'a'}, {"ặ", 'a'}, {"â", 'a'}, {"ầ", 'a'}, {"ấ", 'a'}, {"ẩ", 'a'}, {"ẫ", 'a'}, {"ậ", 'a'}, {"è", 'e'},
      {"é", 'e'}, {"ẻ", 'e'}, {"ẽ", 'e'}, {"ẹ", 'e'}, {"ê", 'e'}, {"ề", 'e'}, {"ế", 'e'}, {"ể", 'e'}, {"ễ", 'e'},
      {"ệ", 'e'}, {"ì", 'i'}, {"í", 'i'}, {"ỉ", 'i'}, {"ĩ", 'i'}, {"ị", 'i'}, {"ò", 'o'}, {"ó", 'o'}, {"ỏ", 'o'},
      {"õ", 'o'}, {"ọ", 'o'}, {"ô", 'o'}, {"ồ", 'o'}, {"ố", 'o'}, {"ổ", 'o'}, {"ỗ", 'o'}, {"ộ", 'o'}, {"ơ", 'o'},
      {"ờ", 'o'}, {"ớ", 'o'}, {"ở", 'o'}, {"ỡ", 'o'}, {"ợ", 'o'}, {"ù", 'u'}, {"ú", 'u'}, {"ủ", 'u'}, {"ũ", 'u'},
      {"ụ", 'u'}, {"ư", 'u'}, {"ừ", 'u'}, {"ứ", 'u'}, {"ử", 'u'}, {"ữ", 'u'}, {"ự", 'u'}, {"ỳ", 'y'}, {"ý", 'y'},
      {"ỷ", 'y'}, {"ỹ", 'y'}, {"ỵ", 'y'}, {"đ", 'd'}, {"Đ", 'd'}};
  std::string out;
  for (size_t i = 0; i < title.size();) {
    unsigned char ch = static_cast<unsigned char>(title[i]);
    if (ch < 0x80) {
      out += std::isalnum(ch) ? static_cast<char>(std::tolower(ch)) : '-';
      ++i;
      continue;
    }
    bool hit = false;
    for (const auto& [k, v] : map)
      if (title.compare(i, k.size(), k) == 0) {
        out += v;
        i += k.size();
        hit = true;
        break;
      }
    if (!hit) {
      out += '-';
      ++i;
      while (i < title.size() && (static_cast<unsigned char>(title[i]) & 0xC0) == 0x80) ++i;
    }
  }
  std::string s;
  for (char c : out)
    if (c != '-' || (!s.empty() && s.back() != '-')) s += c;
  while (!s.empty() && s.back() == '-') s.pop_back();
  if (s.size() > 60) s = s.substr(0, 60);
  return s.empty() ? "cuoc-thi" : s;
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

int current_year(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000 + 7 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900;
}

std::string mask_name(const std::string& name) {
  // "Nguyễn Văn An" → "Nguyễn V. A."
  std::vector<std::string> words;
  size_t p = 0;
  while (p < name.size()) {
    auto e = name.find(' ', p);
    if (e == std::string::npos) e = name.size();
    if (e > p) words.push_back(name.substr(p, e - p));
    p = e + 1;
  }
  if (words.empty()) return "";
  std::string out = words[0];
  for (size_t i = 1; i < words.size(); ++i) {
    size_t len = 1;
    unsigned char c = static_cast<unsigned char>(words[i][0]);
    if (c >= 0xF0) len = 4;
    else if (c >= 0xE0) len = 3;
    else if (c >= 0xC0) len = 2;
    out += " " + words[i].substr(0, len) + ".";
  }
  return out;
}

std::mt19937_64& rng() {
  thread_local std::mt19937_64 r([] {
    auto s = core::random_hex(8);
    return std::stoull(s, nullptr, 16);
  }());
  return r;
}

}  // namespace

/// Parses "2026-11-01T08:00:00+07:00", "2026-11-01 08:00" (Việt Nam time) or "…Z" to ms.
Result<int64_t> parse_time(const std::string& s) {
  int y, mo, d, h = 0, mi = 0, sec = 0;
  int n = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
    return invalid("Thời gian không hợp lệ: " + s + " (ví dụ 2026-11-01T08:00:00+07:00).");
  size_t p = 10;
  if (p < s.size() && (s[p] == 'T' || s[p] == ' ')) {
    int m2 = 0;
    if (std::sscanf(s.c_str() + p + 1, "%2d:%2d%n", &h, &mi, &m2) != 2) return invalid("Giờ không hợp lệ: " + s);
    p += 1 + static_cast<size_t>(m2);
    if (p < s.size() && s[p] == ':') {
      int m3 = 0;
      if (std::sscanf(s.c_str() + p + 1, "%2d%n", &sec, &m3) != 1) return invalid("Giây không hợp lệ: " + s);
      p += 1 + static_cast<size_t>(m3);
    }
  }
  int offset_min = 7 * 60;
  if (p < s.size()) {
    if (s[p] == 'Z') {
      offset_min = 0;
      ++p;
    } else if (s[p] == '+' || s[p] == '-') {
      int oh = 0, om = 0;
      if (std::sscanf(s.c_str() + p + 1, "%2d:%2d", &oh, &om) != 2) return invalid("Múi giờ không hợp lệ: " + s);
      offset_min = (s[p] == '-' ? -1 : 1) * (oh * 60 + om);
      p += 6;
    }
  }
  if (p != s.size() || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59)
    return invalid("Thời gian không hợp lệ: " + s);
  int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 86400 + h * 3600 + mi * 60 + sec) - offset_min * 60) * 1000;
}

struct Service::Cached {
  Contest contest;
  std::vector<PoolEntry> pool;
  std::optional<PoolEntry> prediction;
  int64_t loaded_at = 0;
};

Service::Service(storage::Database& db, accounts::Service& accounts, ServiceOptions o)
    : db_(db),
      accounts_(accounts),
      opt_(std::move(o)),
      committer_(db, opt_.max_batch, [](Conn& c, const json& notes) -> Status {
        // One audit row per group commit: every start and submission it stored.
        json started = json::array(), submitted = json::array();
        int64_t saved = 0;
        for (const auto& n : notes) {
          auto k = n.value("k", "");
          if (k == "start") started.push_back(n["id"]);
          else if (k == "submit") submitted.push_back({n["id"], n["receipt"]});
          else if (k == "save") ++saved;
        }
        if (started.empty() && submitted.empty()) return {};  // autosaves alone: the attempt row is the record
        accounts::Actor a;
        a.name = "contest";
        return accounts::Service::record(c, a, "contest.attempts", "contest_attempt", "batch", json(),
                                         {{"started", started}, {"submitted", submitted}, {"saved", saved}});
      }) {}

Service::~Service() = default;

int64_t Service::now() const { return opt_.clock ? opt_.clock() : core::now_ms(); }

// ---- bank ----------------------------------------------------------------------------

Result<Question> Service::add_question(const http::Principal& who, const accounts::Actor& a, QuestionInput in) {
  if (!accounts::Service::can_somewhere(who, accounts::Permission::EditContent)) return Error::of(ErrorCode::Forbidden);
  PBGDPL_TRY(check_question(in));
  int64_t t = now();
  return db_.write([&](Conn& c) -> Result<Question> {
    if (!in.ext_key.empty()) {
      auto ex = store::question_by_key(c, in.ext_key);
      if (!ex) return ex.take_error();
      if (*ex) return Error::of(ErrorCode::Conflict, "Mã câu hỏi “" + in.ext_key + "” đã có trong ngân hàng.", "ext_key");
    }
    Question q;
    q.ext_key = in.ext_key;
    q.org_id = who.org_id;
    q.topic = in.topic;
    q.difficulty = in.difficulty;
    q.updated_at = t;
    auto id = store::insert_question(c, q);
    if (!id) return id.take_error();
    q.id = *id;
    q.cur = version_of(in);
    auto vid = store::insert_version(c, q.id, 1, q.cur, t, a.name);
    if (!vid) return vid.take_error();
    q.cur.id = *vid;
    q.cur.question_id = q.id;
    PBGDPL_TRY(accounts::Service::record(c, a, "contest.question.create", "contest_question", std::to_string(q.id), json(),
                                         {{"topic", q.topic}, {"type", in.type}, {"text", in.text}}));
    return q;
  });
}

Result<Question> Service::edit_question(const http::Principal& who, const accounts::Actor& a, int64_t id,
                                        QuestionInput in, std::optional<int> expected_revision) {
  if (!accounts::Service::can_somewhere(who, accounts::Permission::EditContent)) return Error::of(ErrorCode::Forbidden);
  PBGDPL_TRY(check_question(in));
  int64_t t = now();
  auto r = db_.write([&](Conn& c) -> Result<Question> {
    auto cur = store::question_by_id(c, id);
    if (!cur) return cur.take_error();
    if (!*cur) return Error::of(ErrorCode::NotFound, "Không tìm thấy câu hỏi.");
    Question q = **cur;
    // Read inside the write transaction (one writer at a time), so two editors who opened
    // the same revision cannot both save.
    if (expected_revision && *expected_revision != q.revision)
      return Error::of(ErrorCode::Conflict,
                       "Câu hỏi đã được thay đổi sau khi bạn mở trang (hiện là phiên bản " + std::to_string(q.current_version) +
                           "). Hãy mở lại trang để xem nội dung mới nhất rồi sửa lại; thay đổi của bạn chưa được lưu.",
                       "revision");
    auto used = store::version_in_use(c, q.id, q.cur.id, t);
    if (!used) return used.take_error();
    json before = {{"version", q.current_version}, {"text", q.cur.text}};
    q.topic = in.topic;
    q.difficulty = in.difficulty;
    q.updated_at = t;
    auto v = version_of(in);
    if (*used) {
      ++q.current_version;
      auto vid = store::insert_version(c, q.id, q.current_version, v, t, a.name);
      if (!vid) return vid.take_error();
      v.id = *vid;
      v.created_at = t;
    } else {
      v.id = q.cur.id;
      v.created_at = q.cur.created_at;
      PBGDPL_TRY(store::update_version(c, v.id, v, t, a.name));
    }
    v.question_id = q.id;
    v.version = q.current_version;
    q.cur = v;
    PBGDPL_TRY(store::update_question(c, q));
    ++q.revision;
    PBGDPL_TRY(accounts::Service::record(c, a, "contest.question.edit", "contest_question", std::to_string(q.id), before,
                                         {{"version", q.current_version}, {"new_version", *used}, {"text", v.text}}));
    return q;
  });
  if (r) {
    // A version changed in place must not be served from the cache with its old text, and
    // cached contest pools must draw the new current version.
    {
      std::unique_lock lk(vmu_);
      versions_.erase(r->cur.id);
    }
    std::lock_guard l(cmu_);
    contests_.clear();
  }
  return r;
}

Result<std::vector<VersionInfo>> Service::question_versions(int64_t id) {
  return db_.read([&](Conn& c) { return store::versions_of(c, id); });
}

Result<std::optional<Question>> Service::question(int64_t id) {
  return db_.read([&](Conn& c) { return store::question_by_id(c, id); });
}

Result<std::vector<Question>> Service::list_questions(const std::string& topic, int64_t after_id, int limit) {
  return db_.read([&](Conn& c) { return store::list_questions(c, topic, after_id, std::clamp(limit, 1, 500)); });
}

Result<std::vector<std::pair<std::string, int64_t>>> Service::topics() {
  return db_.read([&](Conn& c) { return store::topics(c); });
}

Result<BankImport> Service::import_questions(const http::Principal& who, const accounts::Actor& a,
                                             std::vector<QuestionInput> in) {
  if (!accounts::Service::can_somewhere(who, accounts::Permission::EditContent)) return Error::of(ErrorCode::Forbidden);
  BankImport rep;
  std::set<std::string> keys;
  for (size_t i = 0; i < in.size(); ++i) {
    auto st = check_question(in[i]);
    std::string where = "câu " + std::to_string(i + 1) + (in[i].ext_key.empty() ? "" : " (" + in[i].ext_key + ")");
    if (!st) rep.errors.push_back(where + ": " + st.error().message);
    else if (!in[i].ext_key.empty() && !keys.insert(in[i].ext_key).second)
      rep.errors.push_back(where + ": mã câu hỏi bị lặp trong tệp.");
  }
  if (!rep.errors.empty()) return rep;
  int64_t t = now();
  std::vector<int64_t> edited_in_place;
  auto st = db_.write([&](Conn& c) -> Status {
    edited_in_place.clear();  // a retried transaction starts over
    for (const auto& q_in : in) {
      std::optional<Question> ex;
      if (!q_in.ext_key.empty()) {
        auto e = store::question_by_key(c, q_in.ext_key);
        if (!e) return e.take_error();
        ex = std::move(*e);
      }
      auto v = version_of(q_in);
      if (!ex) {
        Question q;
        q.ext_key = q_in.ext_key;
        q.org_id = who.org_id;
        q.topic = q_in.topic;
        q.difficulty = q_in.difficulty;
        q.updated_at = t;
        auto id = store::insert_question(c, q);
        if (!id) return id.take_error();
        auto vid = store::insert_version(c, *id, 1, v, t, a.name);
        if (!vid) return vid.take_error();
        ++rep.created;
        continue;
      }
      Question q = *ex;
      bool same = version_body(q.cur) == version_body(v) && q.cur.text == v.text && q.cur.type == v.type &&
                  q.topic == q_in.topic && q.difficulty == q_in.difficulty;
      if (same) {
        ++rep.unchanged;
        continue;
      }
      auto used = store::version_in_use(c, q.id, q.cur.id, t);
      if (!used) return used.take_error();
      q.topic = q_in.topic;
      q.difficulty = q_in.difficulty;
      q.updated_at = t;
      if (*used) {
        ++q.current_version;
        auto vid = store::insert_version(c, q.id, q.current_version, v, t, a.name);
        if (!vid) return vid.take_error();
        ++rep.versioned;
      } else {
        PBGDPL_TRY(store::update_version(c, q.cur.id, v, t, a.name));
        edited_in_place.push_back(q.cur.id);
      }
      PBGDPL_TRY(store::update_question(c, q));
      ++rep.updated;
    }
    return accounts::Service::record(c, a, "contest.bank.import", "contest_question", "", json(),
                                     {{"created", rep.created}, {"updated", rep.updated}, {"unchanged", rep.unchanged},
                                      {"versioned", rep.versioned}});
  });
  if (!st) return st.take_error();
  {
    std::unique_lock lk(vmu_);
    for (auto vid : edited_in_place) versions_.erase(vid);
  }
  std::lock_guard l(cmu_);
  contests_.clear();
  return rep;
}

Result<std::shared_ptr<const QuestionVersion>> Service::version(int64_t id) {
  {
    std::shared_lock l(vmu_);
    auto it = versions_.find(id);
    if (it != versions_.end()) return it->second;
  }
  auto v = db_.read([&](Conn& c) { return store::version_by_id(c, id); });
  if (!v) return v.take_error();
  if (!*v) return Error::of(ErrorCode::NotFound, "Không tìm thấy câu hỏi.");
  auto p = std::make_shared<const QuestionVersion>(std::move(**v));
  std::unique_lock l(vmu_);
  versions_[id] = p;
  return p;
}

Result<VersionMap> Service::versions_for(const std::vector<AttemptQuestion>& qs) {
  VersionMap m;
  for (const auto& q : qs) {
    auto v = version(q.version_id);
    if (!v) return v.take_error();
    m[q.version_id] = *v;
  }
  return m;
}

// ---- contests ------------------------------------------------------------------------

Result<Contest> Service::create_contest(const http::Principal& who, const accounts::Actor& a, const json& def) {
  if (!def.is_object()) return invalid("Tệp định nghĩa cuộc thi phải là một đối tượng JSON.");
  Contest k;
  auto str = [&](const char* key) -> std::string {
    auto it = def.find(key);
    return it != def.end() && it->is_string() ? it->get<std::string>() : "";
  };
  auto num = [&](const char* key, double dflt) -> Result<double> {
    auto it = def.find(key);
    if (it == def.end()) return dflt;
    if (!it->is_number()) return invalid(std::string("Trường ") + key + " phải là số.", key);
    return it->get<double>();
  };
  k.title = std::string(core::trim(str("title")));
  if (core::utf8_length(k.title) < 5 || core::utf8_length(k.title) > 300 || !core::utf8_valid(k.title))
    return invalid("Tên cuộc thi cần từ 5 đến 300 ký tự.", "title");
  k.description = str("description");
  if (k.description.size() > 20000 || !core::utf8_valid(k.description)) return invalid("Phần giới thiệu quá dài.", "description");
  // Organizer and sharing by organization code.
  auto org_code = str("org");
  auto org_id_of = [&](const std::string& code, const char* field) -> Result<int64_t> {
    auto o = accounts_.find_org(code);
    if (!o) return o.take_error();
    if (!*o) return invalid("Không tìm thấy đơn vị có mã “" + code + "”.", field);
    return (*o)->id;
  };
  if (!org_code.empty()) {
    auto id = org_id_of(org_code, "org");
    if (!id) return id.take_error();
    k.org_id = *id;
    auto o = accounts_.find_org(org_code);
    if (!o || !*o || !accounts::Service::can(who, accounts::Permission::EditContent, (**o).path))
      return Error::of(ErrorCode::Forbidden, "Bạn không có quyền tổ chức cuộc thi cho đơn vị này.");
  } else {
    k.org_id = who.org_id;
    if (!accounts::Service::can_somewhere(who, accounts::Permission::EditContent)) return Error::of(ErrorCode::Forbidden);
  }
  for (const auto& s : def.value("shared_with", json::array())) {
    if (!s.is_string()) return invalid("shared_with là danh sách mã đơn vị.", "shared_with");
    auto id = org_id_of(s.get<std::string>(), "shared_with");
    if (!id) return id.take_error();
    k.shared_org_ids.push_back(*id);
  }
  k.eligibility = def.value("eligibility", "open");
  if (k.eligibility != "open" && k.eligibility != "org" && k.eligibility != "invite")
    return invalid("eligibility phải là open, org hoặc invite.", "eligibility");
  for (const auto& s : def.value("eligible_orgs", json::array())) {
    if (!s.is_string()) return invalid("eligible_orgs là danh sách mã đơn vị.", "eligible_orgs");
    auto id = org_id_of(s.get<std::string>(), "eligible_orgs");
    if (!id) return id.take_error();
    k.eligible_org_ids.push_back(*id);
  }
  if (k.eligibility == "org" && k.eligible_org_ids.empty()) return invalid("Cần danh sách đơn vị được dự thi.", "eligible_orgs");
  k.invite_code = str("invite_code");
  if (k.eligibility == "invite" && k.invite_code.size() < 6) return invalid("Mã mời cần ít nhất 6 ký tự.", "invite_code");
  auto tl = num("time_limit_minutes", 30);
  if (!tl) return tl.take_error();
  if (*tl < 1 || *tl > 600) return invalid("Thời gian làm bài từ 1 đến 600 phút.", "time_limit_minutes");
  k.time_limit_s = static_cast<int>(*tl * 60);
  auto grace = num("grace_seconds", 30);
  if (!grace) return grace.take_error();
  if (*grace < 0 || *grace > 600) return invalid("Thời gian ân hạn từ 0 đến 600 giây.", "grace_seconds");
  k.grace_s = static_cast<int>(*grace);
  auto ma = num("max_attempts", 1);
  if (!ma) return ma.take_error();
  if (*ma < 1 || *ma > 100) return invalid("Số lượt thi tối đa từ 1 đến 100.", "max_attempts");
  k.max_attempts = static_cast<int>(*ma);
  k.attempt_policy = def.value("attempt_policy", "best");
  if (k.attempt_policy != "best" && k.attempt_policy != "last" && k.attempt_policy != "first")
    return invalid("attempt_policy phải là best, last hoặc first.", "attempt_policy");
  k.shuffle_questions = def.value("shuffle_questions", true);
  k.shuffle_options = def.value("shuffle_options", true);
  auto msq = num("min_seconds_per_question", 1.5);
  if (!msq) return msq.take_error();
  k.min_seconds_per_question = *msq;
  auto lim_ip = num("starts_per_ip_per_minute", 30), lim_dev = num("starts_per_device_per_minute", 5);
  if (!lim_ip) return lim_ip.take_error();
  if (!lim_dev) return lim_dev.take_error();
  k.starts_per_ip_per_min = static_cast<int>(*lim_ip);
  k.starts_per_device_per_min = static_cast<int>(*lim_dev);
  k.captcha = def.value("captcha", false);
  if (def.contains("tie_breakers")) {
    k.tie_breakers.clear();
    for (const auto& t : def["tie_breakers"]) {
      auto tb = t.is_string() ? parse_tiebreak(t.get<std::string>()) : std::nullopt;
      if (!tb) return invalid("Tiêu chí xếp hạng không hợp lệ (score, prediction, time_used, submitted_at).", "tie_breakers");
      k.tie_breakers.push_back(*tb);
    }
    if (k.tie_breakers.empty()) return invalid("Cần ít nhất một tiêu chí xếp hạng.", "tie_breakers");
  }
  for (const auto& p : def.value("prizes", json::array())) {
    Prize z{p.value("name", ""), p.value("count", 0)};
    if (z.name.empty() || z.count < 1) return invalid("Mỗi giải cần tên và số lượng.", "prizes");
    k.prizes.push_back(z);
  }
  for (const auto& d : def.value("draw", json::array())) {
    DrawRule r{d.value("topic", ""), d.value("difficulty", 0), d.value("count", 0)};
    if (r.count < 1 || r.difficulty < 0 || r.difficulty > 3) return invalid("Quy tắc rút đề không hợp lệ.", "draw");
    k.draw.push_back(r);
  }
  k.published = def.value("published", false);
  std::vector<Round> rounds;
  for (const auto& r : def.value("rounds", json::array())) {
    Round rd;
    rd.name = r.value("name", "");
    auto o = parse_time(r.value("opens_at", "")), c = parse_time(r.value("closes_at", ""));
    if (!o) return o.take_error();
    if (!c) return c.take_error();
    rd.opens_at = *o;
    rd.closes_at = *c;
    if (rd.name.empty()) rd.name = "Vòng " + std::to_string(rounds.size() + 1);
    if (rd.closes_at <= rd.opens_at) return invalid("Thời gian đóng vòng thi phải sau thời gian mở.", "rounds");
    if (!rounds.empty() && rd.opens_at < rounds.back().closes_at) return invalid("Các vòng thi không được chồng lên nhau.", "rounds");
    rounds.push_back(rd);
  }
  if (rounds.empty()) return invalid("Cuộc thi cần ít nhất một vòng (rounds).", "rounds");
  int64_t t = now();
  auto made = db_.write([&](Conn& c) -> Result<Contest> {
    // Pool: bank keys or ids; "topics" adds every question of those topics.
    for (const auto& q : def.value("questions", json::array())) {
      std::optional<Question> found;
      if (q.is_number_integer()) {
        auto r = store::question_by_id(c, q.get<int64_t>());
        if (!r) return r.take_error();
        found = *r;
      } else if (q.is_string()) {
        auto r = store::question_by_key(c, q.get<std::string>());
        if (!r) return r.take_error();
        found = *r;
      }
      if (!found) return invalid("Không tìm thấy câu hỏi " + q.dump() + " trong ngân hàng.", "questions");
      k.pool.push_back(found->id);
    }
    for (const auto& tp : def.value("topics", json::array())) {
      auto r = store::list_questions(c, tp.is_string() ? tp.get<std::string>() : "", 0, 100000);
      if (!r) return r.take_error();
      if (r->empty()) return invalid("Chủ đề " + tp.dump() + " chưa có câu hỏi.", "topics");
      for (const auto& q : *r) k.pool.push_back(q.id);
    }
    if (def.contains("prediction")) {
      auto p = def["prediction"];
      std::optional<Question> found;
      if (p.is_number_integer()) {
        auto r = store::question_by_id(c, p.get<int64_t>());
        if (!r) return r.take_error();
        found = *r;
      } else if (p.is_string()) {
        auto r = store::question_by_key(c, p.get<std::string>());
        if (!r) return r.take_error();
        found = *r;
      }
      if (!found || found->cur.type != QType::Prediction)
        return invalid("Câu dự đoán phải là một câu hỏi loại prediction trong ngân hàng.", "prediction");
      k.prediction_question = found->id;
    }
    // The rules must be satisfiable by the pool now.
    auto pool = store::pool(c, k);
    if (!pool) return pool.take_error();
    std::mt19937_64 probe(1);
    auto drawn = draw_questions(*pool, k, std::nullopt, probe);
    if (!drawn) return invalid(drawn.error().message, "draw");
    std::string base = def.value("slug", slugify(k.title)), slug = base;
    for (int i = 2;; ++i) {
      auto taken = store::slug_taken(c, slug);
      if (!taken) return taken.take_error();
      if (!*taken) break;
      slug = base + "-" + std::to_string(i);
    }
    k.slug = slug;
    k.created_at = k.updated_at = t;
    auto id = store::insert_contest(c, k);
    if (!id) return id.take_error();
    k.id = *id;
    for (auto& rd : rounds) {
      rd.contest_id = k.id;
      auto rid = store::insert_round(c, rd);
      if (!rid) return rid.take_error();
      rd.id = *rid;
    }
    k.rounds = rounds;
    PBGDPL_TRY(accounts::Service::record(c, a, "contest.create", "contest", std::to_string(k.id), json(),
                                         {{"title", k.title}, {"settings", store::settings_json(k)}}));
    return k;
  });
  return made;
}

Result<std::optional<Contest>> Service::contest(int64_t id) {
  return db_.read([&](Conn& c) { return store::contest_by_id(c, id); });
}

Result<std::vector<Contest>> Service::list_contests(bool include_unpublished) {
  return db_.read([&](Conn& c) { return store::list_contests(c, include_unpublished); });
}

bool Service::can_manage(const http::Principal& who, const Contest& k) {
  if (who.system_admin) return true;
  auto tree = accounts_.org_tree();
  if (!tree) return false;
  for (const auto& o : *tree) {
    bool mine = o.id == k.org_id || std::find(k.shared_org_ids.begin(), k.shared_org_ids.end(), o.id) != k.shared_org_ids.end();
    if (mine && accounts::Service::can(who, accounts::Permission::EditContent, o.path)) return true;
  }
  return k.org_id == 0 && accounts::Service::can_somewhere(who, accounts::Permission::EditContent);
}

Status Service::set_published(const http::Principal& who, const accounts::Actor& a, int64_t id, bool published) {
  auto k = contest(id);
  if (!k) return k.take_error();
  if (!*k) return Error::of(ErrorCode::NotFound);
  if (!can_manage(who, **k)) return Error::of(ErrorCode::Forbidden);
  auto st = db_.write([&](Conn& c) -> Status {
    PBGDPL_TRY(store::set_published(c, id, published, now()));
    return accounts::Service::record(c, a, published ? "contest.publish" : "contest.unpublish", "contest",
                                     std::to_string(id), {{"published", !published}}, {{"published", published}});
  });
  std::lock_guard l(cmu_);
  contests_.erase(id);
  return st;
}

Result<std::shared_ptr<const Service::Cached>> Service::cached_contest(int64_t id) {
  int64_t t = core::now_ms();
  {
    std::lock_guard l(cmu_);
    auto it = contests_.find(id);
    if (it != contests_.end() && t - it->second->loaded_at < 2000) return it->second;
  }
  auto made = db_.read([&](Conn& c) -> Result<std::shared_ptr<const Cached>> {
    auto k = store::contest_by_id(c, id);
    if (!k) return k.take_error();
    if (!*k) return Error::of(ErrorCode::NotFound, "Không tìm thấy cuộc thi.");
    auto x = std::make_shared<Cached>();
    x->contest = std::move(**k);
    auto pool = store::pool(c, x->contest);
    if (!pool) return pool.take_error();
    x->pool = std::move(*pool);
    if (x->contest.prediction_question) {
      auto q = store::question_by_id(c, *x->contest.prediction_question);
      if (!q) return q.take_error();
      if (*q) x->prediction = PoolEntry{(*q)->id, (*q)->cur.id, (*q)->topic, (*q)->difficulty, 0};
    }
    x->loaded_at = t;
    return std::shared_ptr<const Cached>(std::move(x));
  });
  if (!made) return made.take_error();
  std::lock_guard l(cmu_);
  contests_[id] = *made;
  return *made;
}

// ---- taking part ----------------------------------------------------------------------

bool Service::rate_ok(const std::string& key, int limit, int64_t t) {
  if (limit <= 0) return true;
  int64_t minute = t / 60000;
  std::lock_guard l(rmu_);
  if (rate_.size() > 200000) rate_.clear();  // bounded memory under a flood of addresses
  auto& [m, n] = rate_[key];
  if (m != minute) {
    m = minute;
    n = 0;
  }
  return ++n <= limit;
}

void Service::count_rejection(int64_t contest_id, const std::string& reason) {
  core::log_info("contest rejection contest={} reason={}", contest_id, reason);
  committer_.post([contest_id, reason](Conn& c, json&) { return store::add_rejection(c, contest_id, reason, 1); });
}

Result<std::map<std::string, int64_t>> Service::rejections(int64_t contest_id) {
  return db_.read([&](Conn& c) { return store::rejections(c, contest_id); });
}

Result<Started> Service::start(StartInput in) {
  int64_t t = now();
  auto cached = cached_contest(in.contest_id);
  if (!cached) return cached.take_error();
  const Contest& k = (*cached)->contest;
  if (!k.published) return Error::of(ErrorCode::NotFound, "Cuộc thi không tồn tại hoặc chưa được công bố.");
  const Round* round = nullptr;
  for (const auto& r : k.rounds)
    if (r.opens_at <= t && t < r.closes_at) round = &r;
  if (!round) {
    bool later = std::any_of(k.rounds.begin(), k.rounds.end(), [&](const Round& r) { return r.opens_at > t; });
    return Error::of(ErrorCode::DeadlinePassed, later ? "Vòng thi chưa mở. Vui lòng quay lại đúng thời gian mở vòng thi."
                                                      : "Cuộc thi đã kết thúc, không thể bắt đầu lượt thi mới.");
  }
  if (k.captcha && opt_.captcha && !opt_.captcha(in.captcha, in.ip))
    return Error::of(ErrorCode::Forbidden, "Mã xác nhận (CAPTCHA) không đúng. Vui lòng thử lại.", "captcha");
  if (k.eligibility == "invite" &&
      (in.invite_code.empty() || !core::constant_time_equal(core::sha256_hex(in.invite_code), core::sha256_hex(k.invite_code))))
    return Error::of(ErrorCode::Forbidden, "Mã mời dự thi không đúng.", "invite_code");
  PBGDPL_TRY(check_registration(in.reg, current_year(t)));
  if (k.eligibility == "org") {
    bool ok = false;
    auto tree = accounts_.org_tree();
    if (!tree) return tree.take_error();
    for (const auto& o : *tree)
      if (std::find(k.eligible_org_ids.begin(), k.eligible_org_ids.end(), o.id) != k.eligible_org_ids.end() &&
          (in.reg.org_unit == o.code || in.reg.org_unit == o.name))
        ok = true;
    if (!ok) return Error::of(ErrorCode::Forbidden, "Cuộc thi này chỉ dành cho thành viên các đơn vị được mời.", "org_unit");
  }
  if (!rate_ok("ip:" + std::to_string(k.id) + ":" + in.ip, k.starts_per_ip_per_min, t))
    return Error::of(ErrorCode::TooManyRequests, "Có quá nhiều lượt thi bắt đầu từ cùng một địa chỉ mạng. Vui lòng thử lại sau ít phút.");
  if (!in.device.empty() && !rate_ok("dev:" + std::to_string(k.id) + ":" + in.device, k.starts_per_device_per_min, t))
    return Error::of(ErrorCode::TooManyRequests, "Thiết bị này đã bắt đầu quá nhiều lượt thi. Vui lòng thử lại sau ít phút.");
  auto drawn = draw_questions((*cached)->pool, k, (*cached)->prediction, rng());
  if (!drawn) return drawn.take_error();
  auto versions = versions_for(*drawn);
  if (!versions) return versions.take_error();

  Attempt a;
  a.contest_id = k.id;
  a.round_id = round->id;
  a.started_at = t;
  a.deadline = std::min(t + int64_t{k.time_limit_s} * 1000, round->closes_at);
  a.questions = std::move(*drawn);
  a.ip = in.ip.substr(0, 64);
  a.device = in.device.substr(0, 64);
  std::string token = core::random_token(32);
  a.token_hash = core::sha256_hex(token);
  const Registration& reg = in.reg;
  auto st = committer_.run([&](Conn& c, json& notes) -> Status {
    auto p = store::participant_by_phone(c, k.id, reg.phone);
    if (!p) return p.take_error();
    int64_t pid = 0;
    if (*p) {
      const auto& old = (*p)->reg;
      if (!old.cccd.empty() && !reg.cccd.empty() && old.cccd != reg.cccd)
        return Error::of(ErrorCode::Conflict, "Số điện thoại này đã đăng ký dự thi với một số CCCD khác.", "phone");
      if (core::trim(old.full_name) != core::trim(reg.full_name) || old.birth_year != reg.birth_year)
        return Error::of(ErrorCode::Conflict,
                         "Số điện thoại này đã được dùng để đăng ký dự thi với họ tên hoặc năm sinh khác.", "phone");
      pid = (*p)->id;
    } else {
      if (!reg.cccd.empty()) {
        auto byc = store::participant_by_cccd(c, k.id, reg.cccd);
        if (!byc) return byc.take_error();
        if (*byc) return Error::of(ErrorCode::Conflict, "Số CCCD này đã đăng ký dự thi với một số điện thoại khác.", "cccd");
      }
      auto id = store::insert_participant(c, k.id, reg, t);
      if (!id) return id.take_error();
      pid = *id;
    }
    auto open = store::open_attempt(c, pid);
    if (!open) return open.take_error();
    if (*open) {
      if (t <= (*open)->deadline + int64_t{k.grace_s} * 1000)
        return Error::of(ErrorCode::Conflict,
                         "Bạn đang có một lượt thi chưa nộp. Hãy tiếp tục lượt đó (mở lại đường dẫn làm bài) hoặc chờ hết giờ.");
      PBGDPL_TRY(store::set_attempt_status(c, (*open)->id, "expired"));
    }
    auto n = store::count_attempts(c, pid, a.round_id);
    if (!n) return n.take_error();
    if (*n >= k.max_attempts)
      return Error::of(ErrorCode::Conflict, "Bạn đã dùng hết " + std::to_string(k.max_attempts) + " lượt thi của vòng này.");
    a.participant_id = pid;
    auto id = store::insert_attempt(c, a);
    if (!id) return id.take_error();
    a.id = *id;
    notes.push_back({{"k", "start"}, {"id", a.id}});
    return {};
  });
  if (!st) return st.take_error();
  Started s;
  s.attempt_id = a.id;
  s.token = token;
  s.deadline = a.deadline;
  s.started_at = a.started_at;
  s.questions = json::array();
  int i = 0;
  for (const auto& q : a.questions) s.questions.push_back(client_question(*versions->at(q.version_id), q, ++i));
  return s;
}

Result<Attempt> Service::load_attempt(int64_t id, const std::string& token) {
  if (token.empty()) return Error::of(ErrorCode::Unauthorized, "Thiếu mã lượt thi (token). Hãy bắt đầu hoặc mở lại lượt thi.");
  if (token.size() > 200) return Error::of(ErrorCode::Forbidden, "Mã lượt thi không hợp lệ.");
  auto a = db_.read([&](Conn& c) { return store::attempt_by_id(c, id); });
  if (!a) return a.take_error();
  if (!*a) return Error::of(ErrorCode::NotFound, "Không tìm thấy lượt thi.");
  if (!core::constant_time_equal(core::sha256_hex(token), (*a)->token_hash))
    return Error::of(ErrorCode::Forbidden, "Mã lượt thi không hợp lệ hoặc không thuộc lượt thi này.");
  return std::move(**a);
}

Result<AttemptView> Service::view(int64_t attempt_id, const std::string& token) {
  auto a = load_attempt(attempt_id, token);
  if (!a) return a.take_error();
  auto versions = versions_for(a->questions);
  if (!versions) return versions.take_error();
  auto k = cached_contest(a->contest_id);
  if (!k) return k.take_error();
  AttemptView v;
  v.contest_title = (*k)->contest.title;
  v.questions = json::array();
  int i = 0;
  for (const auto& q : a->questions) v.questions.push_back(client_question(*versions->at(q.version_id), q, ++i));
  v.attempt = std::move(*a);
  return v;
}

Result<int64_t> Service::save_answers(int64_t attempt_id, const std::string& token, const json& sent) {
  int64_t t = now();
  auto a = load_attempt(attempt_id, token);
  if (!a) return a.take_error();
  auto k = cached_contest(a->contest_id);
  if (!k) return k.take_error();
  if (a->status != AttemptStatus::Open || (!a->flags.empty() && a->flags.front() == "expired"))
    return Error::of(ErrorCode::Conflict, "Bài thi đã nộp hoặc đã kết thúc, không thể sửa câu trả lời.");
  if (t > a->deadline + int64_t{(*k)->contest.grace_s} * 1000)
    return Error::of(ErrorCode::DeadlinePassed, "Đã hết giờ làm bài; câu trả lời này không được lưu.");
  auto versions = versions_for(a->questions);
  if (!versions) return versions.take_error();
  auto patch = check_answers(a->questions, *versions, sent);
  if (!patch) return patch.take_error();
  std::set<std::string> cleared;
  if (sent.is_array())
    for (const auto& x : sent)
      if (!x.contains("choices") && !x.contains("value")) cleared.insert(std::to_string(x["question_id"].get<int64_t>()));
  auto st = committer_.run([&](Conn& c, json& notes) -> Status {
    Attempt cur;  // its state only: the drawn questions are not re-read
    cur.id = attempt_id;
    auto found = store::refresh_attempt(c, cur);
    if (!found) return found.take_error();
    if (!*found || cur.status != AttemptStatus::Open || (!cur.flags.empty() && cur.flags.front() == "expired"))
      return Error::of(ErrorCode::Conflict, "Bài thi đã nộp hoặc đã kết thúc, không thể sửa câu trả lời.");
    json merged = std::move(cur.answers);
    for (const auto& [key, v] : patch->items()) merged[key] = v;
    for (const auto& key : cleared) merged.erase(key);
    PBGDPL_TRY(store::save_answers(c, attempt_id, merged, t));
    notes.push_back({{"k", "save"}});
    return {};
  });
  if (!st) return st.take_error();
  return t;
}

Result<SubmitResult> Service::submit(int64_t attempt_id, const std::string& token, const json& sent) {
  int64_t t = now();
  auto a = load_attempt(attempt_id, token);
  if (!a) return a.take_error();
  auto k = cached_contest(a->contest_id);
  if (!k) return k.take_error();
  const Contest& kc = (*k)->contest;
  auto versions = versions_for(a->questions);
  if (!versions) return versions.take_error();
  json patch = json::object();
  if (!sent.is_null()) {
    auto p = check_answers(a->questions, *versions, sent);
    if (!p) return p.take_error();
    patch = std::move(*p);
  }
  auto stored_result = [&](const Attempt& x) {
    SubmitResult r;
    r.attempt_id = x.id;
    r.score = x.score;
    r.max_score = x.max_score;
    r.correct = x.correct;
    r.receipt = x.receipt;
    r.submitted_at = x.submitted_at.value_or(0);
    r.replayed = true;
    return r;
  };
  auto differs = [&](const json& stored) {
    for (const auto& [key, v] : patch.items())
      if (!stored.contains(key) || stored[key] != v) return true;
    return false;
  };
  if (a->status == AttemptStatus::Submitted) {
    if (differs(a->answers))
      return Error::of(ErrorCode::Conflict, "Bài thi đã được nộp trước đó; lần nộp này không được tính (mã biên nhận: " +
                                                a->receipt + ").");
    return stored_result(*a);
  }
  if (a->status == AttemptStatus::Disqualified) return Error::of(ErrorCode::Conflict, "Lượt thi này đã bị hủy kết quả.");
  if (!a->flags.empty() && a->flags.front() == "expired")
    return Error::of(ErrorCode::DeadlinePassed, "Lượt thi đã hết giờ và không được nộp.");
  if (t > a->deadline + int64_t{kc.grace_s} * 1000)
    return Error::of(ErrorCode::DeadlinePassed, "Đã quá thời hạn nộp bài (hạn chót " + core::vn_datetime(a->deadline) +
                                                    "); bài nộp muộn không được tính.");
  // Scoring and the receipt are made here, on the request's own thread: the committer is one
  // thread for the whole process, so it only re-reads the attempt's state (not its drawn
  // questions) and writes. Only when an autosave landed in between does it score again.
  size_t scored = 0;
  for (const auto& q : a->questions)
    if (versions->at(q.version_id)->type != QType::Prediction) ++scored;
  Attempt x = std::move(*a);
  auto prepare = [&](json answers, std::vector<std::string> flags) {
    x.answers = std::move(answers);
    for (const auto& [key, v] : patch.items()) x.answers[key] = v;
    x.flags = std::move(flags);
    auto s = score_attempt(x.questions, *versions, x.answers);
    x.score = s.score;
    x.max_score = s.max_score;
    x.correct = s.correct;
    x.submitted_at = t;
    x.receipt = make_receipt(x.id, x.answers, x.started_at, x.deadline, t);
    if (static_cast<double>(t - x.started_at) < kc.min_seconds_per_question * 1000.0 * static_cast<double>(scored))
      x.flags.push_back("too_fast");
  };
  const json loaded_answers = x.answers;
  prepare(x.answers, x.flags);
  SubmitResult out;
  bool replay = false, conflict = false;
  std::string conflict_receipt;
  auto st = committer_.run([&](Conn& c, json& notes) -> Status {
    Attempt cur;
    cur.id = attempt_id;
    auto found = store::refresh_attempt(c, cur);
    if (!found) return found.take_error();
    if (!*found) return Error::of(ErrorCode::NotFound);
    if (cur.status == AttemptStatus::Submitted) {  // a concurrent retry got there first
      replay = true;
      conflict = differs(cur.answers);
      conflict_receipt = cur.receipt;
      out = stored_result(cur);
      return {};
    }
    if (cur.status != AttemptStatus::Open || (!cur.flags.empty() && cur.flags.front() == "expired"))
      return Error::of(ErrorCode::Conflict, "Lượt thi này không còn mở.");
    if (cur.answers != loaded_answers) prepare(std::move(cur.answers), std::move(cur.flags));
    auto n = store::submit(c, x);
    if (!n) return n.take_error();
    if (*n != 1) return Error::of(ErrorCode::Conflict, "Lượt thi này không còn mở.");
    out = {x.id, x.score, x.max_score, x.correct, x.receipt, t, false};
    notes.push_back({{"k", "submit"}, {"id", x.id}, {"receipt", x.receipt}});
    return {};
  });
  if (!st) return st.take_error();
  if (replay && conflict)
    return Error::of(ErrorCode::Conflict, "Bài thi đã được nộp trước đó; lần nộp này không được tính (mã biên nhận: " +
                                              conflict_receipt + ").");
  return out;
}

// ---- ranking, receipts, integrity ------------------------------------------------------

Result<Ranking> Service::ranking(int64_t contest_id, int64_t round_id) {
  int64_t t = now();
  auto k = contest(contest_id);
  if (!k) return k.take_error();
  if (!*k) return Error::of(ErrorCode::NotFound, "Không tìm thấy cuộc thi.");
  const Contest& kc = **k;
  const Round* round = nullptr;
  for (const auto& r : kc.rounds) {
    if (round_id ? r.id == round_id : (r.opens_at <= t || !round)) round = &r;
  }
  if (!round) return Error::of(ErrorCode::NotFound, "Không tìm thấy vòng thi.");
  Ranking out;
  out.contest_id = contest_id;
  out.round_id = round->id;
  out.tie_breakers = kc.tie_breakers;
  auto frozen = db_.read([&](Conn& c) { return store::frozen_ranking(c, round->id); });
  if (!frozen) return frozen.take_error();
  if (*frozen) {
    auto j = json::parse(**frozen, nullptr, false);
    out.frozen = true;
    out.actual_participants = j.value("actual_participants", int64_t{0});
    for (const auto& r : j.value("rows", json::array())) {
      RankRow x;
      x.rank = r.value("rank", 0);
      x.attempt_id = r.value("attempt_id", int64_t{0});
      x.participant_id = r.value("participant_id", int64_t{0});
      x.name = r.value("name", "");
      x.org_unit = r.value("org_unit", "");
      x.commune = r.value("commune", "");
      x.score = r.value("score", 0.0);
      if (r.contains("prediction") && r["prediction"].is_number()) x.prediction = r["prediction"].get<double>();
      if (r.contains("prediction_diff") && r["prediction_diff"].is_number()) x.prediction_diff = r["prediction_diff"].get<double>();
      x.time_used_ms = r.value("time_used_ms", int64_t{0});
      x.submitted_at = r.value("submitted_at", int64_t{0});
      x.receipt = r.value("receipt", "");
      x.prize = r.value("prize", "");
      out.rows.push_back(std::move(x));
    }
    return out;
  }
  auto rows = db_.read([&](Conn& c) { return store::attempts_with_people(c, contest_id, round->id, true); });
  if (!rows) return rows.take_error();
  std::map<int64_t, std::pair<const Attempt*, const Registration*>> counted;
  for (const auto& [a, reg] : *rows) {
    auto it = counted.find(a.participant_id);
    if (it == counted.end()) {
      counted[a.participant_id] = {&a, &reg};
      continue;
    }
    const Attempt* cur = it->second.first;
    bool take = false;
    if (kc.attempt_policy == "last") take = a.submitted_at > cur->submitted_at;
    else if (kc.attempt_policy == "first") take = a.submitted_at < cur->submitted_at;
    else {  // best: higher score, then shorter time
      take = a.score > cur->score ||
             (a.score == cur->score && (*a.submitted_at - a.started_at) < (*cur->submitted_at - cur->started_at));
    }
    if (take) it->second = {&a, &reg};
  }
  for (const auto& [pid, pr] : counted) {
    const Attempt& a = *pr.first;
    RankRow r;
    r.attempt_id = a.id;
    r.participant_id = pid;
    r.name = pr.second->full_name;
    r.org_unit = pr.second->org_unit;
    r.commune = pr.second->commune;
    r.score = a.score;
    if (kc.prediction_question)
      for (const auto& q : a.questions) {
        auto v = a.answers.find(std::to_string(q.version_id));
        if (q.perm.empty() && v != a.answers.end() && v->is_number()) {
          auto ver = version(q.version_id);
          if (ver && (*ver)->type == QType::Prediction) r.prediction = v->get<double>();
        }
      }
    r.time_used_ms = a.submitted_at.value_or(0) - a.started_at;
    r.submitted_at = a.submitted_at.value_or(0);
    r.receipt = a.receipt;
    out.rows.push_back(std::move(r));
  }
  out.actual_participants = round->actual_participants.value_or(static_cast<int64_t>(out.rows.size()));
  order_ranking(out.rows, kc.tie_breakers, out.actual_participants);
  size_t next = 0;
  for (const auto& p : kc.prizes)
    for (int i = 0; i < p.count && next < out.rows.size(); ++i) out.rows[next++].prize = p.name;
  // Frozen once the round is closed and its grace is over: the stored ranking is final.
  if (t >= round->closes_at + int64_t{kc.grace_s} * 1000) {
    json rowsj = json::array();
    for (const auto& r : out.rows) {
      json x = {{"rank", r.rank},           {"attempt_id", r.attempt_id}, {"participant_id", r.participant_id},
                {"name", r.name},           {"org_unit", r.org_unit},     {"commune", r.commune},
                {"score", r.score},         {"time_used_ms", r.time_used_ms}, {"submitted_at", r.submitted_at},
                {"receipt", r.receipt},     {"prize", r.prize}};
      if (r.prediction) x["prediction"] = *r.prediction;
      if (r.prediction_diff) x["prediction_diff"] = *r.prediction_diff;
      rowsj.push_back(std::move(x));
    }
    json snap = {{"actual_participants", out.actual_participants}, {"rows", rowsj}};
    auto st = db_.write([&](Conn& c) -> Status {
      PBGDPL_TRY(store::set_frozen(c, round->id, t, out.actual_participants, snap.dump()));
      accounts::Actor a;
      a.name = "system";
      return accounts::Service::record(c, a, "contest.freeze", "contest_round", std::to_string(round->id), json(),
                                       {{"participants", out.actual_participants},
                                        {"ranking_sha256", core::sha256_hex(snap.dump())}});
    });
    if (!st) return st.take_error();
    out.frozen = true;
  }
  return out;
}

Result<ReceiptCheck> Service::check_receipt(const std::string& receipt) {
  ReceiptCheck r;
  if (receipt.size() != 64 || !std::all_of(receipt.begin(), receipt.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      }))
    return invalid("Mã biên nhận gồm 64 ký tự 0–9, a–f.", "receipt");
  auto a = db_.read([&](Conn& c) { return store::attempt_by_receipt(c, receipt); });
  if (!a) return a.take_error();
  if (!*a) return r;
  const Attempt& x = **a;
  r.found = true;
  r.attempt_id = x.id;
  r.score = x.score;
  r.max_score = x.max_score;
  r.started_at = x.started_at;
  r.deadline = x.deadline;
  r.submitted_at = x.submitted_at.value_or(0);
  r.status = std::string(attempt_status_code(x.status));
  r.canonical = receipt_text(x.id, x.answers, x.started_at, x.deadline, r.submitted_at);
  bool hash_ok = core::sha256_hex(r.canonical) == receipt;
  auto versions = versions_for(x.questions);
  bool score_ok = false;
  if (versions) {
    auto s = score_attempt(x.questions, *versions, x.answers);
    score_ok = std::fabs(s.score - x.score) < 1e-9;
  }
  r.valid = hash_ok && score_ok;
  auto p = db_.read([&](Conn& c) { return store::participant_by_id(c, x.participant_id); });
  if (p && *p) {
    r.name_masked = mask_name((*p)->reg.full_name);
    r.full_name = (*p)->reg.full_name;
  }
  auto k = contest(x.contest_id);
  if (k && *k) r.contest_title = (*k)->title;
  return r;
}

Status Service::disqualify(const http::Principal& who, const accounts::Actor& a, int64_t attempt_id,
                           const std::string& reason_in) {
  std::string reason(core::trim(reason_in));
  if (core::utf8_length(reason) < 5 || reason.size() > 1000 || !core::utf8_valid(reason))
    return invalid("Cần ghi rõ lý do hủy kết quả (ít nhất 5 ký tự).", "reason");
  auto x = db_.read([&](Conn& c) { return store::attempt_by_id(c, attempt_id); });
  if (!x) return x.take_error();
  if (!*x) return Error::of(ErrorCode::NotFound, "Không tìm thấy lượt thi.");
  auto k = contest((*x)->contest_id);
  if (!k) return k.take_error();
  if (!*k || !can_manage(who, **k)) return Error::of(ErrorCode::Forbidden);
  return db_.write([&](Conn& c) -> Status {
    PBGDPL_TRY(store::set_attempt_status(c, attempt_id, "disqualified", reason));
    PBGDPL_TRY(store::clear_frozen(c, (*x)->round_id));  // the ranking is recomputed without it
    return accounts::Service::record(c, a, "contest.disqualify", "contest_attempt", std::to_string(attempt_id),
                                     {{"status", attempt_status_code((*x)->status)}, {"score", (*x)->score}},
                                     {{"status", "disqualified"}, {"reason", reason}});
  });
}

Result<std::vector<AttemptRow>> Service::attempts(int64_t contest_id, int64_t round_id, bool flagged_only, int limit) {
  auto rows = db_.read([&](Conn& c) { return store::attempts_with_people(c, contest_id, round_id, false); });
  if (!rows) return rows.take_error();
  std::vector<AttemptRow> out;
  for (auto& [a, reg] : *rows) {
    bool flagged = std::any_of(a.flags.begin(), a.flags.end(), [](const std::string& f) { return f != "expired"; });
    if (flagged_only && !flagged) continue;
    AttemptRow r;
    r.time_used_ms = a.submitted_at ? *a.submitted_at - a.started_at : 0;
    r.attempt = std::move(a);
    r.reg = std::move(reg);
    out.push_back(std::move(r));
    if (static_cast<int>(out.size()) >= limit) break;
  }
  return out;
}

}  // namespace pbgdpl::contest
