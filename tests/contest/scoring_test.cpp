// The pure rules: registration checks, scoring of every question type through shuffled
// options, answer validation, receipts, tie-breaks, draws and the bank file formats.
#include "contest/scoring.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "contest/importer.h"
#include "support.h"

namespace pbgdpl::contest {
namespace {

using nlohmann::json;

TEST(Registration, MobileNumbersNormalizeAndBadOnesAreRejectedInVietnamese) {
  EXPECT_EQ(normalize_mobile("0912 345 678").value(), "0912345678");
  EXPECT_EQ(normalize_mobile("+84 912.345.678").value(), "0912345678");
  EXPECT_EQ(normalize_mobile("84912345678").value(), "0912345678");
  for (const char* bad : {"", "091234567", "09123456789", "0212345678", "09123x5678", "+1 912 345 678"}) {
    auto r = normalize_mobile(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "phone");
    EXPECT_NE(r.error().message.find("Số điện thoại"), std::string::npos);
  }
}

TEST(Registration, CccdNeedsTwelveDigitsAProvinceCodeAndTheBirthYear) {
  EXPECT_TRUE(check_cccd("001090012345", 1990).ok());   // Hà Nội, male born 1990
  EXPECT_TRUE(check_cccd("079301012345", 2001).ok());   // TP.HCM, female born 2001
  EXPECT_TRUE(check_cccd("001090012345", 0).ok());      // year unknown
  EXPECT_FALSE(check_cccd("00109001234", 1990).ok());   // 11 digits
  EXPECT_FALSE(check_cccd("00109001234a", 1990).ok());
  EXPECT_FALSE(check_cccd("003090012345", 1990).ok());  // 003 is no province
  auto r = check_cccd("001090012345", 1991);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("năm sinh"), std::string::npos);
}

TEST(Registration, EveryFieldIsChecked) {
  Registration r;
  r.full_name = "  Trần Thị Hoa ";
  r.birth_year = 1985;
  r.gender = "nu";
  r.phone = "0987654321";
  r.audience = "nong_dan";
  ASSERT_TRUE(check_registration(r, 2026).ok());
  EXPECT_EQ(r.full_name, "Trần Thị Hoa");
  auto bad = [&](auto mutate, const char* field) {
    Registration x = r;
    mutate(x);
    auto st = check_registration(x, 2026);
    ASSERT_FALSE(st.ok()) << field;
    EXPECT_EQ(st.error().field, field);
  };
  bad([](Registration& x) { x.full_name = "A"; }, "full_name");
  bad([](Registration& x) { x.birth_year = 2024; }, "birth_year");
  bad([](Registration& x) { x.gender = "x"; }, "gender");
  bad([](Registration& x) { x.phone = "12345"; }, "phone");
  bad([](Registration& x) { x.cccd = "123"; }, "cccd");
  bad([](Registration& x) { x.audience = ""; }, "audience");
}

QuestionVersion make(QType t, std::vector<Option> opts, int64_t id, double number = 0, double tol = 0) {
  QuestionVersion v;
  v.id = id;
  v.type = t;
  v.text = "Câu hỏi thử";
  v.options = std::move(opts);
  v.number = number;
  v.tolerance = tol;
  return v;
}

struct Quiz {
  VersionMap versions;
  std::vector<AttemptQuestion> qs;
  void add(QuestionVersion v, std::vector<int> perm) {
    qs.push_back({v.id, std::move(perm)});
    versions[v.id] = std::make_shared<const QuestionVersion>(std::move(v));
  }
};

Quiz quiz() {
  Quiz q;
  // Displayed order reversed: displayed option 1 is the bank's last option.
  q.add(make(QType::Single, {{"A", false}, {"B", false}, {"C", true}}, 11), {2, 1, 0});
  q.add(make(QType::Multiple, {{"A", true}, {"B", false}, {"C", true}, {"D", false}}, 12), {3, 2, 1, 0});
  q.add(make(QType::TrueFalse, {{"Đúng", false}, {"Sai", true}}, 13), {0, 1});
  q.add(make(QType::Numeric, {}, 14, 102, 0.5), {});
  q.add(make(QType::Prediction, {}, 15), {});
  return q;
}

TEST(Scoring, EveryTypeThroughTheDisplayedOptionOrder) {
  auto q = quiz();
  // Right: single → displayed 1 (bank C); multiple → displayed 2 and 4 (bank C, A);
  // true/false → displayed 2 (Sai); numeric within 0.5; prediction does not score.
  json right = {{"11", {1}}, {"12", {2, 4}}, {"13", {2}}, {"14", 102.4}, {"15", 5000}};
  auto s = score_attempt(q.qs, q.versions, right);
  EXPECT_EQ(s.score, 4);
  EXPECT_EQ(s.max_score, 4);
  EXPECT_EQ(s.correct, 4);
  ASSERT_TRUE(s.prediction);
  EXPECT_EQ(*s.prediction, 5000);
  // The bank's own positions would be wrong here: shuffling is honoured.
  json naive = {{"11", {3}}, {"12", {1, 3}}, {"13", {2}}, {"14", 101}};
  auto n = score_attempt(q.qs, q.versions, naive);
  EXPECT_EQ(n.score, 1);  // only Đúng/Sai (never shuffled) is right
  EXPECT_FALSE(n.prediction);
}

TEST(Scoring, MultipleChoiceIsAllOrNothing) {
  auto q = quiz();
  EXPECT_EQ(score_attempt(q.qs, q.versions, {{"12", {2}}}).score, 0);        // one of two
  EXPECT_EQ(score_attempt(q.qs, q.versions, {{"12", {1, 2, 4}}}).score, 0);  // plus a wrong one
  EXPECT_EQ(score_attempt(q.qs, q.versions, {{"12", {4, 2}}}).score, 1);
}

TEST(Scoring, NumericToleranceAndUnansweredQuestions) {
  auto q = quiz();
  EXPECT_EQ(score_attempt(q.qs, q.versions, {{"14", 101.5}}).score, 1);
  EXPECT_EQ(score_attempt(q.qs, q.versions, {{"14", 101.49}}).score, 0);
  EXPECT_EQ(score_attempt(q.qs, q.versions, json::object()).score, 0);
  EXPECT_EQ(score_attempt(q.qs, q.versions, json::object()).max_score, 4);
}

TEST(Answers, ForeignQuestionsAndTamperedOptionsAreRejected) {
  auto q = quiz();
  auto ok = check_answers(q.qs, q.versions, json::array({{{"question_id", 11}, {"choices", {1}}}, {{"question_id", 14}, {"value", 3}}}));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(*ok, (json{{"11", {1}}, {"14", 3.0}}));
  struct Case {
    json sent;
    const char* why;
  } cases[] = {
      {json::array({{{"question_id", 99}, {"choices", {1}}}}), "không thuộc bài thi"},
      {json::array({{{"question_id", 11}, {"choices", {4}}}}), "Phương án 4"},
      {json::array({{{"question_id", 11}, {"choices", {0}}}}), "Phương án 0"},
      {json::array({{{"question_id", 11}, {"choices", {1, 2}}}}), "chỉ được chọn một"},
      {json::array({{{"question_id", 11}, {"choices", {"1"}}}}), "số nguyên"},
      {json::array({{{"question_id", 14}, {"value", "nhiều"}}}), "cần một số"},
      {json::array({{{"choices", {1}}}}), "question_id"},
      {json("chuỗi"), "danh sách"},
  };
  for (const auto& c : cases) {
    auto r = check_answers(q.qs, q.versions, c.sent);
    ASSERT_FALSE(r.ok()) << c.sent.dump();
    EXPECT_EQ(r.error().code, core::ErrorCode::Validation);
    EXPECT_NE(r.error().message.find(c.why), std::string::npos) << r.error().message;
  }
  json many = json::array();
  for (int i = 0; i < 6; ++i) many.push_back({{"question_id", 11}, {"choices", {1}}});
  EXPECT_FALSE(check_answers(q.qs, q.versions, many).ok());
}

TEST(Receipt, DeterministicAndChangesWithAnswersOrTimestamps) {
  json ans = {{"11", {1}}, {"14", 102.0}};
  auto r = make_receipt(7, ans, 1000, 2000, 1500);
  EXPECT_EQ(r.size(), 64u);
  EXPECT_EQ(r, make_receipt(7, json{{"14", 102.0}, {"11", {1}}}, 1000, 2000, 1500));  // key order does not matter
  EXPECT_NE(r, make_receipt(8, ans, 1000, 2000, 1500));
  EXPECT_NE(r, make_receipt(7, json{{"11", {2}}, {"14", 102.0}}, 1000, 2000, 1500));
  EXPECT_NE(r, make_receipt(7, ans, 1001, 2000, 1500));
  EXPECT_NE(r, make_receipt(7, ans, 1000, 2000, 1501));
  EXPECT_NE(receipt_text(7, ans, 1000, 2000, 1500).find("attempt=7"), std::string::npos);
}

RankRow row(int64_t id, double score, std::optional<double> pred, int64_t used, int64_t at) {
  RankRow r;
  r.attempt_id = id;
  r.score = score;
  r.prediction = pred;
  r.time_used_ms = used;
  r.submitted_at = at;
  return r;
}

std::vector<int64_t> ids(const std::vector<RankRow>& rows) {
  std::vector<int64_t> out;
  for (const auto& r : rows) out.push_back(r.attempt_id);
  return out;
}

TEST(Ranking, TieBreakersApplyInTheConfiguredOrder) {
  std::vector<RankRow> rows = {row(1, 8, 990, 300000, 50), row(2, 9, 500, 400000, 40), row(3, 8, 1005, 200000, 30),
                               row(4, 8, 1005, 100000, 60), row(5, 8, std::nullopt, 50000, 10)};
  auto all = {TieBreak::Score, TieBreak::Prediction, TieBreak::TimeUsed, TieBreak::SubmittedAt};
  auto r = rows;
  order_ranking(r, all, 1000);
  // 9 points first; then |prediction − 1000|: 4 and 3 (5) before 1 (10); 4 is faster than 3;
  // no prediction ranks last among equal scores.
  EXPECT_EQ(ids(r), (std::vector<int64_t>{2, 4, 3, 1, 5}));
  EXPECT_EQ(r[1].prediction_diff, 5);
  r = rows;
  order_ranking(r, {TieBreak::Score, TieBreak::TimeUsed}, 1000);
  EXPECT_EQ(ids(r), (std::vector<int64_t>{2, 5, 4, 3, 1}));
  r = rows;
  order_ranking(r, {TieBreak::Score, TieBreak::SubmittedAt}, 1000);
  EXPECT_EQ(ids(r), (std::vector<int64_t>{2, 5, 3, 1, 4}));
}

TEST(Ranking, RowsEqualOnEveryCriterionShareARankInAStableOrder) {
  std::vector<RankRow> rows = {row(9, 5, 10, 1000, 7), row(3, 5, 10, 1000, 7), row(4, 4, 10, 1000, 7)};
  order_ranking(rows, {TieBreak::Score, TieBreak::TimeUsed}, 10);
  EXPECT_EQ(ids(rows), (std::vector<int64_t>{3, 9, 4}));
  EXPECT_EQ(rows[0].rank, 1);
  EXPECT_EQ(rows[1].rank, 1);
  EXPECT_EQ(rows[2].rank, 3);
}

TEST(Draw, CountsPerTopicAndDifficultyAndShuffles) {
  std::vector<PoolEntry> pool;
  for (int i = 1; i <= 30; ++i) pool.push_back({i, 100 + i, i <= 20 ? "Đất đai" : "Hôn nhân", 1 + i % 3, 4});
  Contest k;
  k.draw = {{"Đất đai", 1, 3}, {"Hôn nhân", 0, 5}};
  std::mt19937_64 rng(42);
  std::set<std::vector<int64_t>> orders;
  std::set<std::vector<int>> perms;
  for (int n = 0; n < 20; ++n) {
    auto d = draw_questions(pool, k, PoolEntry{99, 999, "", 2, 0}, rng);
    ASSERT_TRUE(d.ok());
    ASSERT_EQ(d->size(), 9u);
    EXPECT_EQ(d->back().version_id, 999);  // the prediction question comes last
    int land = 0, family = 0;
    std::vector<int64_t> order;
    std::set<int64_t> distinct;
    for (size_t i = 0; i + 1 < d->size(); ++i) {
      auto id = (*d)[i].version_id - 100;
      order.push_back(id);
      distinct.insert(id);
      if (id <= 20) {
        ++land;
        EXPECT_EQ(1 + id % 3, 1);
      } else {
        ++family;
      }
      perms.insert((*d)[i].perm);
    }
    EXPECT_EQ(land, 3);
    EXPECT_EQ(family, 5);
    EXPECT_EQ(distinct.size(), 8u);
    orders.insert(order);
  }
  EXPECT_GT(orders.size(), 15u);
  EXPECT_GT(perms.size(), 10u);
  k.draw = {{"Đất đai", 3, 50}};
  auto short_pool = draw_questions(pool, k, std::nullopt, rng);
  ASSERT_FALSE(short_pool.ok());
  EXPECT_NE(short_pool.error().message.find("không đủ"), std::string::npos);
}

TEST(Questions, BadQuestionsAreRejected) {
  QuestionInput q;
  q.type = "single";
  q.text = "Câu hỏi có hai đáp án đúng?";
  q.options = {{"Một", true}, {"Hai", true}};
  EXPECT_FALSE(check_question(q).ok());
  q.options = {{"Một", true}, {"Một", false}};
  EXPECT_FALSE(check_question(q).ok());
  q.options = {{"Một", true}, {"Hai", false}};
  EXPECT_TRUE(check_question(q).ok());
  q.type = "essay";
  EXPECT_FALSE(check_question(q).ok());
  q.type = "numeric";
  q.tolerance = -1;
  EXPECT_FALSE(check_question(q).ok());
}

TEST(BankFiles, CsvWithQuotesAndEveryType) {
  std::string csv =
      "key,topic,difficulty,type,text,a,b,c,d,answer,number,tolerance,explanation,provisions\n"
      "c1,Đất đai,1,single,\"Ai cấp \"\"sổ đỏ\"\"?\",UBND cấp tỉnh,Tòa án,,,A,,,,/van-ban/luat-dat-dai/dieu-136\n"
      "c2,Đất đai,2,multiple,Chọn các quyền,Chuyển nhượng,Thế chấp,Tịch thu,,A;B,,,,\n"
      "c3,Hôn nhân,1,true_false,Nam đủ 20 tuổi được kết hôn?,,,,,Đúng,,,,\n"
      "c4,Hôn nhân,3,numeric,Tuổi kết hôn của nữ?,,,,,,18,0,,\n";
  auto b = parse_bank(csv, "csv");
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(b->errors.empty()) << b->errors[0];
  ASSERT_EQ(b->questions.size(), 4u);
  EXPECT_EQ(b->questions[0].text, "Ai cấp \"sổ đỏ\"?");
  EXPECT_TRUE(b->questions[0].options[0].correct);
  EXPECT_EQ(b->questions[0].options.size(), 2u);
  EXPECT_EQ(b->questions[0].provisions, std::vector<std::string>{"/van-ban/luat-dat-dai/dieu-136"});
  EXPECT_TRUE(b->questions[1].options[1].correct);
  EXPECT_FALSE(b->questions[1].options[2].correct);
  EXPECT_TRUE(b->questions[2].options[0].correct);
  EXPECT_EQ(b->questions[3].number, 18);
  for (auto& q : b->questions) EXPECT_TRUE(check_question(q).ok()) << q.ext_key;
  auto bad = parse_bank("key,text,type,answer\nx,Câu hỏi đúng sai,true_false,Có lẽ\n", "csv");
  ASSERT_TRUE(bad.ok());
  ASSERT_EQ(bad->errors.size(), 1u);
  EXPECT_NE(bad->errors[0].find("dòng 2"), std::string::npos);
  EXPECT_FALSE(parse_bank("\xff\xfe", "csv").ok());
  EXPECT_FALSE(parse_bank("a,b\n", "csv").ok());  // no text column
}

TEST(BankFiles, AlqacTrainSetKeepsMultipleChoiceAndTrueFalseWithAnswers) {
  auto path = testing::shared_data() / "alqac2024" / "train.json";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << path;
  auto b = read_bank_file(path.string(), "alqac");
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_TRUE(b->errors.empty());
  size_t single = 0, tf = 0;
  for (auto& q : b->questions) {
    ASSERT_TRUE(check_question(q).ok()) << q.ext_key << ": " << check_question(q).error().message;
    single += q.type == "single";
    tf += q.type == "true_false";
    EXPECT_EQ(q.ext_key.rfind("alqac2024:", 0), 0u);
    EXPECT_FALSE(q.provisions.empty());
  }
  EXPECT_EQ(single, 213u);
  EXPECT_EQ(tf, 258u);
  EXPECT_EQ(b->skipped, 59);  // Tự luận
}

TEST(AttemptQuestions, StoredTextReadsBackExactlyAndOtherSpellingsStillParse) {
  // What an attempt stores at start must read back unchanged on every autosave and submit,
  // including an empty option order (numeric and prediction questions).
  std::vector<AttemptQuestion> drawn = {{17, {2, 0, 3, 1}}, {4, {}}, {1234567, {1, 0}}};
  auto stored = attempt_questions_json(drawn).dump();
  auto back = attempt_questions_from(std::string_view(stored));
  ASSERT_EQ(back.size(), drawn.size());
  for (size_t i = 0; i < drawn.size(); ++i) {
    EXPECT_EQ(back[i].version_id, drawn[i].version_id);
    EXPECT_EQ(back[i].perm, drawn[i].perm);
  }
  // PostgreSQL's jsonb prints spaces and a reordering would come from another writer: both
  // still give the same questions.
  auto spaced = attempt_questions_from(std::string_view(R"([{"o": [1, 0], "v": 9}, {"v": 8, "o": []}])"));
  ASSERT_EQ(spaced.size(), 2u);
  EXPECT_EQ(spaced[0].version_id, 9);
  EXPECT_EQ(spaced[0].perm, (std::vector<int>{1, 0}));
  EXPECT_EQ(spaced[1].version_id, 8);
  EXPECT_TRUE(spaced[1].perm.empty());
  EXPECT_TRUE(attempt_questions_from(std::string_view("[]")).empty());
  EXPECT_TRUE(attempt_questions_from(std::string_view("không phải JSON")).empty());
}

}  // namespace
}  // namespace pbgdpl::contest
