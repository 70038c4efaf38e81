#pragma once
// The pure rules of the contest module, no I/O: registration checks (phone, CCCD), answer
// validation against what an attempt showed, scoring of every question type, receipts and
// the ordering of a ranking. Kept apart so tests pin them without a database.
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "contest/model.h"
#include "core/result.h"

namespace pbgdpl::contest {

using core::Result;
using core::Status;

/// "0912 345 678", "+84912345678" → "0912345678"; Vietnamese mobile numbers only.
Result<std::string> normalize_mobile(std::string_view s);
/// 12 digits, a real province code, and (when known) the century/year matching birth_year.
Status check_cccd(std::string_view cccd, int birth_year);
/// Validates and normalizes every registration field (Vietnamese messages, field names).
Status check_registration(Registration& r, int current_year);

/// Checks a question input (type, options, one correct option for single/true-false…).
Status check_question(QuestionInput& in);
QuestionVersion version_of(const QuestionInput& in);
/// JSON body of a version (options, answer key, explanation…), stored and read back.
nlohmann::json version_body(const QuestionVersion& v);
void version_from_body(QuestionVersion& v, const nlohmann::json& body);

using VersionMap = std::map<int64_t, std::shared_ptr<const QuestionVersion>>;

/// The client's view of one attempt question: never the answer key.
nlohmann::json client_question(const QuestionVersion& v, const AttemptQuestion& q, int number);

/// Validates answers sent by a client ([{question_id, choices|value}] or the stored object
/// form) against the attempt's questions; returns them in the stored form
/// {"<version id>": [choices] | number}. Foreign question ids and option ids that were not
/// shown are rejected (422, Vietnamese message).
Result<nlohmann::json> check_answers(const std::vector<AttemptQuestion>& qs, const VersionMap& versions,
                                     const nlohmann::json& sent);

struct Score {
  double score = 0;
  double max_score = 0;
  int correct = 0;
  std::optional<double> prediction;
};
/// Scores stored answers. Multiple choice is all-or-nothing; numeric within tolerance; the
/// prediction question scores nothing and only breaks ties.
Score score_attempt(const std::vector<AttemptQuestion>& qs, const VersionMap& versions, const nlohmann::json& answers);
/// True when the displayed choices of a stored answer are the key of the version.
bool is_correct(const QuestionVersion& v, const AttemptQuestion& q, const nlohmann::json& given);

/// The receipt: SHA-256 (hex) over a documented canonical text of the attempt id, the
/// answers and the server timestamps. Anyone holding the data can recompute it.
std::string receipt_text(int64_t attempt_id, const nlohmann::json& answers, int64_t started_at, int64_t deadline,
                         int64_t submitted_at);
std::string make_receipt(int64_t attempt_id, const nlohmann::json& answers, int64_t started_at, int64_t deadline,
                         int64_t submitted_at);

/// Orders rows by the tie-breakers (attempt id last, so the order is total) and numbers
/// them; equal rows on every tie-breaker share a rank.
void order_ranking(std::vector<RankRow>& rows, const std::vector<TieBreak>& tbs, int64_t actual_participants);

/// Draws questions for one attempt from the pool by the rules, shuffling as configured.
struct PoolEntry {
  int64_t question_id = 0;
  int64_t version_id = 0;
  std::string topic;
  int difficulty = 2;
  int options = 0;
};
Result<std::vector<AttemptQuestion>> draw_questions(const std::vector<PoolEntry>& pool, const Contest& c,
                                                    const std::optional<PoolEntry>& prediction, std::mt19937_64& rng);

nlohmann::json attempt_questions_json(const std::vector<AttemptQuestion>& qs);
std::vector<AttemptQuestion> attempt_questions_from(const nlohmann::json& j);
/// The same from the stored text. The column holds what attempt_questions_json wrote
/// (`[{"o":[2,1,4,3],"v":17},…]`, spaces allowed); that shape is read by a direct scan — it
/// is read on every autosave and submission, and a DOM parse was ~10 % of a submission's
/// CPU — and anything else falls back to the JSON parser.
std::vector<AttemptQuestion> attempt_questions_from(std::string_view text);

}  // namespace pbgdpl::contest
