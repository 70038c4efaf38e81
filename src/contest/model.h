#pragma once
// Plain data of the contest module: bank questions and their versions, contests, rounds,
// participants, attempts, rankings. No I/O here.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace pbgdpl::contest {

enum class QType { Single, Multiple, TrueFalse, Numeric, Prediction };
std::string_view qtype_code(QType t);   ///< "single", "multiple", "true_false", "numeric", "prediction"
std::string_view qtype_label(QType t);  ///< Vietnamese
std::optional<QType> parse_qtype(std::string_view s);

struct Option {
  std::string text;
  bool correct = false;
};

/// One immutable version of a bank question (editing a version that an attempt or a live
/// round uses makes a new version).
struct QuestionVersion {
  int64_t id = 0;
  int64_t question_id = 0;
  int version = 1;
  QType type = QType::Single;
  std::string text;
  std::vector<Option> options;  ///< single, multiple, true/false (Đúng, Sai)
  double number = 0;            ///< numeric answer
  double tolerance = 0;         ///< numeric: |given − number| ≤ tolerance counts
  std::string explanation;
  std::vector<std::string> provisions;  ///< library addresses ("/van-ban/…/dieu-12") or citations
  double points = 1;
  int64_t created_at = 0;
};

struct Question {
  int64_t id = 0;
  std::string ext_key;  ///< the import's own id (idempotent re-import), may be empty
  int64_t org_id = 0;
  std::string topic;
  int difficulty = 2;  ///< 1 dễ, 2 trung bình, 3 khó
  int current_version = 1;
  int64_t updated_at = 0;
  int revision = 1;  ///< bumped by every change (the editor's optimistic lock)
  QuestionVersion cur;
};

/// One line of a question's version history.
struct VersionInfo {
  int64_t id = 0;
  int version = 1;
  std::string text;
  int64_t created_at = 0;
  std::string created_by;
  int64_t edited_at = 0;  ///< last change in place (0 = never)
  std::string edited_by;
};

/// What an editor or importer gives for a question.
struct QuestionInput {
  std::string ext_key;
  std::string topic;
  int difficulty = 2;
  std::string type;  ///< qtype code
  std::string text;
  std::vector<Option> options;
  double number = 0;
  double tolerance = 0;
  std::string explanation;
  std::vector<std::string> provisions;
  double points = 1;
};

struct DrawRule {
  std::string topic;   ///< empty = any
  int difficulty = 0;  ///< 0 = any
  int count = 0;
};

struct Round {
  int64_t id = 0;
  int64_t contest_id = 0;
  std::string name;
  int64_t opens_at = 0;   ///< ms
  int64_t closes_at = 0;  ///< ms
  std::optional<int64_t> actual_participants;  ///< set at freeze (or by an admin)
  std::optional<int64_t> frozen_at;
};

struct Prize {
  std::string name;
  int count = 0;
};

enum class TieBreak { Score, Prediction, TimeUsed, SubmittedAt };
std::string_view tiebreak_code(TieBreak t);
std::string_view tiebreak_label(TieBreak t);
std::optional<TieBreak> parse_tiebreak(std::string_view s);

struct Contest {
  int64_t id = 0;
  std::string slug;
  std::string title;
  std::string description;
  int64_t org_id = 0;
  std::string org_name;
  std::vector<int64_t> shared_org_ids;  ///< units that may also manage and report on it
  bool published = false;
  std::string eligibility = "open";     ///< open | org | invite
  std::vector<int64_t> eligible_org_ids;
  std::string invite_code;
  int time_limit_s = 1800;
  int grace_s = 30;
  int max_attempts = 1;
  std::string attempt_policy = "best";  ///< best | last | first
  bool shuffle_questions = true;
  bool shuffle_options = true;
  std::vector<DrawRule> draw;
  std::vector<int64_t> pool;            ///< bank question ids; empty = the whole bank
  std::optional<int64_t> prediction_question;  ///< bank id of the prediction question
  std::vector<TieBreak> tie_breakers = {TieBreak::Score, TieBreak::Prediction, TieBreak::TimeUsed,
                                        TieBreak::SubmittedAt};
  std::vector<Prize> prizes;
  double min_seconds_per_question = 1.5;  ///< faster answers are flagged for review
  int starts_per_ip_per_min = 30;
  int starts_per_device_per_min = 5;
  bool captcha = false;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::vector<Round> rounds;
};

/// Registration fields of a participant (họ tên, năm sinh, …).
struct Registration {
  std::string full_name;
  int birth_year = 0;
  std::string gender;    ///< nam | nu | khac
  std::string phone;     ///< normalized 0xxxxxxxxx
  std::string cccd;      ///< optional, 12 digits
  std::string org_unit;  ///< đơn vị (free text or org name)
  std::string commune;   ///< xã/phường
  std::string audience;  ///< đối tượng code
};
const std::vector<std::pair<std::string, std::string>>& audiences();  ///< code, label
const std::vector<std::pair<std::string, std::string>>& genders();

/// One question as a participant sees it in an attempt: its version and the order of
/// options shown (perm[i] = index into the version's options of displayed option i+1).
struct AttemptQuestion {
  int64_t version_id = 0;
  std::vector<int> perm;
};

/// A participant's answer to one question, in displayed option ids (1-based).
struct Answer {
  int64_t question_id = 0;  ///< the version id the attempt shows
  std::vector<int> choices;
  std::optional<double> value;
};

enum class AttemptStatus { Open, Submitted, Disqualified };
std::string_view attempt_status_code(AttemptStatus s);

struct Attempt {
  int64_t id = 0;
  int64_t contest_id = 0;
  int64_t round_id = 0;
  int64_t participant_id = 0;
  std::string token_hash;
  AttemptStatus status = AttemptStatus::Open;
  int64_t started_at = 0;
  int64_t deadline = 0;
  std::optional<int64_t> submitted_at;
  std::vector<AttemptQuestion> questions;
  nlohmann::json answers = nlohmann::json::object();  ///< {"<version id>": [choices] | number}
  std::optional<double> prediction;
  double score = 0;
  double max_score = 0;
  int correct = 0;
  std::string receipt;
  std::vector<std::string> flags;
  std::string dq_reason;
  std::string ip;
  std::string device;
};

struct RankRow {
  int rank = 0;
  int64_t attempt_id = 0;
  int64_t participant_id = 0;
  std::string name;
  std::string org_unit;
  std::string commune;
  double score = 0;
  std::optional<double> prediction;
  std::optional<double> prediction_diff;
  int64_t time_used_ms = 0;
  int64_t submitted_at = 0;
  std::string receipt;
  std::string prize;
};

struct Ranking {
  int64_t contest_id = 0;
  int64_t round_id = 0;
  int64_t actual_participants = 0;
  bool frozen = false;
  std::vector<TieBreak> tie_breakers;
  std::vector<RankRow> rows;
};

}  // namespace pbgdpl::contest
