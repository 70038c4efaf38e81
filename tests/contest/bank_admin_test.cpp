// The question bank in the browser, on both backends: importing a file by upload (a real
// XLSX made with libxlsxwriter, the ALQAC train.json), refusing corrupt, mistyped and
// oversized files with nothing stored, editing a question through its page (new version
// when an attempt has seen it, the attempt keeping and scoring its own), validation and
// stale-form errors, and who may do any of it.
#include <gtest/gtest.h>
#include <xlsxwriter.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "contest/importer.h"
#include "fixture.h"

namespace pbgdpl::contest {
namespace {

using namespace testdata;
using nlohmann::json;
using testing::Browser;
using testing::HttpResponse;

const std::string kMultipart = std::string("multipart/form-data; boundary=") + testing::kMultipartBoundary;

class ContestBankAdmin : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    env_ = std::make_unique<Env>(GetParam());
    ASSERT_TRUE(env_->add_orgs());
    ASSERT_TRUE(env_->add_user("quantri@anhoa.test", "Quản trị Sở Tư pháp", "unit_admin"));
    ASSERT_TRUE(env_->add_user("dan@anhoa.test", "Người dân An Hòa", "citizen"));
  }
  Service& svc() { return env_->svc(); }
  size_t bank_size() {
    auto l = svc().list_questions("", 0, 500);
    EXPECT_TRUE(l.ok());
    return l.ok() ? l->size() : 0;
  }
  static std::string edit_page(const Question& q) { return "/quan-tri/cuoc-thi/ngan-hang/" + std::to_string(q.id); }
  std::optional<Question> by_key(const std::string& key) {
    auto l = svc().list_questions("", 0, 500);
    if (!l.ok()) return std::nullopt;
    for (const auto& q : *l)
      if (q.ext_key == key) return q;
    return std::nullopt;
  }
  /// Loads the bank page (for its CSRF token), then uploads a file as the form does.
  HttpResponse upload(Browser& b, const std::string& filename, const std::string& bytes, const std::string& format = "auto",
                      bool with_csrf = true) {
    b.get("/quan-tri/cuoc-thi/ngan-hang");
    std::vector<std::tuple<std::string, std::string, std::string>> parts;
    if (with_csrf) parts.emplace_back("_csrf", "", b.csrf());
    parts.emplace_back("format", "", format);
    parts.emplace_back("file", filename, bytes);
    return b.send("POST", "/quan-tri/cuoc-thi/ngan-hang/tai-len", testing::multipart_body(parts), {{"Content-Type", kMultipart}});
  }
  /// A workbook of three questions of our own, written by libxlsxwriter.
  std::string workbook() {
    auto path = env_->app().config.data_dir + "/ngan-hang.xlsx";
    lxw_workbook* wb = workbook_new(path.c_str());
    EXPECT_NE(wb, nullptr);
    lxw_worksheet* ws = workbook_add_worksheet(wb, "Câu hỏi");
    std::vector<std::vector<std::string>> rows = {
        {"key", "topic", "difficulty", "type", "text", "a", "b", "c", "answer", "explanation"},
        {"xl-1", "Hộ tịch", "1", "single", "Ai đăng ký khai sinh cho trẻ em ở Tỉnh An Hòa (giả định)?", "Ủy ban nhân dân cấp xã",
         "Tòa án nhân dân", "Công an tỉnh", "A", "Việc đăng ký khai sinh làm ở cấp xã."},
        {"xl-2", "Hộ tịch", "2", "true_false", "Khai sinh cho trẻ em không mất lệ phí, đúng hay sai?", "", "", "", "Đúng", ""},
        {"xl-3", "Hộ tịch", "3", "multiple", "Giấy tờ nào dùng để đăng ký khai sinh (giả định)?", "Giấy chứng sinh",
         "Tờ khai theo mẫu", "Sổ đỏ", "A;B", ""}};
    for (size_t r = 0; r < rows.size(); ++r)
      for (size_t c = 0; c < rows[r].size(); ++c)
        if (!rows[r][c].empty())
          worksheet_write_string(ws, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c), rows[r][c].c_str(), nullptr);
    EXPECT_EQ(workbook_close(wb), LXW_NO_ERROR);
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::unique_ptr<Env> env_;
};

TEST_P(ContestBankAdmin, UploadedWorkbookIsImported) {
  Browser b(env_->port());
  ASSERT_TRUE(b.login("quantri@anhoa.test", kPassword));
  auto page = b.get("/quan-tri/cuoc-thi/ngan-hang");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("enctype=\"multipart/form-data\""), std::string::npos);
  auto xlsx = workbook();
  ASSERT_EQ(xlsx.substr(0, 4), std::string("PK\x03\x04", 4));
  auto r = upload(b, "ngan-hang.xlsx", xlsx);  // format detected from the content
  ASSERT_EQ(r.status, 303) << r.body.substr(0, 1500);
  auto after = b.get(r.header("location"));
  EXPECT_NE(after.body.find("3 câu mới"), std::string::npos);
  EXPECT_NE(after.body.find("Ai đăng ký khai sinh"), std::string::npos);
  auto q1 = by_key("xl-1"), q2 = by_key("xl-2"), q3 = by_key("xl-3");
  ASSERT_TRUE(q1 && q2 && q3);
  EXPECT_EQ(q1->topic, "Hộ tịch");
  EXPECT_EQ(q1->cur.type, QType::Single);
  ASSERT_EQ(q1->cur.options.size(), 3u);
  EXPECT_TRUE(q1->cur.options[0].correct);
  EXPECT_FALSE(q1->cur.options[1].correct);
  EXPECT_EQ(q1->cur.explanation, "Việc đăng ký khai sinh làm ở cấp xã.");
  EXPECT_EQ(q2->cur.type, QType::TrueFalse);
  EXPECT_TRUE(q2->cur.options[0].correct);  // Đúng
  EXPECT_EQ(q3->difficulty, 3);
  ASSERT_EQ(q3->cur.options.size(), 3u);
  EXPECT_TRUE(q3->cur.options[0].correct && q3->cur.options[1].correct && !q3->cur.options[2].correct);
  // The same file again, format chosen explicitly: idempotent.
  auto again = upload(b, "ngan-hang.xlsx", xlsx, "xlsx");
  ASSERT_EQ(again.status, 303);
  EXPECT_NE(b.get("/quan-tri/cuoc-thi/ngan-hang").body.find("3 không đổi"), std::string::npos);
  EXPECT_EQ(bank_size(), 3u);
  // CSV and JSON files go through the same form.
  auto csv = upload(b, "them.csv", "key,topic,type,text,a,b,answer\ncsv-1,Hộ tịch,single,Câu hỏi từ tệp CSV của Tỉnh An Hòa?,Có,Không,A\n");
  ASSERT_EQ(csv.status, 303) << csv.body.substr(0, 1500);
  auto js = upload(b, "them.json",
                   R"({"questions":[{"key":"js-1","topic":"Hộ tịch","type":"true_false","text":"Câu hỏi từ tệp JSON của Tỉnh An Hòa?","answer":false}]})");
  ASSERT_EQ(js.status, 303) << js.body.substr(0, 1500);
  auto c1 = by_key("csv-1"), j1 = by_key("js-1");
  ASSERT_TRUE(c1 && j1);
  EXPECT_TRUE(c1->cur.options[0].correct);
  EXPECT_TRUE(j1->cur.options[1].correct);  // Sai
}

TEST_P(ContestBankAdmin, AlqacTrainFileIsDetectedAndImported) {
  auto path = testing::shared_data() / "alqac2024" / "train.json";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no ../shared/data/alqac2024/train.json";
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  auto expected = parse_bank(ss.str(), "alqac");  // the CLI's parser
  ASSERT_TRUE(expected.ok());
  Browser b(env_->port());
  ASSERT_TRUE(b.login("quantri@anhoa.test", kPassword));
  auto r = upload(b, "train.json", ss.str());
  ASSERT_EQ(r.status, 303) << r.body.substr(0, 1500);
  auto after = b.get(r.header("location"));
  EXPECT_NE(after.body.find(std::to_string(expected->questions.size()) + " câu mới"), std::string::npos);
  EXPECT_NE(after.body.find("bỏ qua " + std::to_string(expected->skipped) + " câu tự luận"), std::string::npos);
  EXPECT_EQ(bank_size(), std::min<size_t>(expected->questions.size(), 500));
}

TEST_P(ContestBankAdmin, BadFilesAreRefusedAndNothingIsStored) {
  Browser b(env_->port());
  ASSERT_TRUE(b.login("quantri@anhoa.test", kPassword));
  auto xlsx = workbook();
  // A workbook cut in half (as from a broken download): a ZIP without its directory.
  auto corrupt = upload(b, "hong.xlsx", xlsx.substr(0, xlsx.size() / 2));
  EXPECT_EQ(corrupt.status, 422);
  EXPECT_NE(corrupt.body.find("Không đọc được tệp “hong.xlsx”"), std::string::npos) << corrupt.body.substr(0, 2000);
  EXPECT_NE(corrupt.body.find("XLSX"), std::string::npos);
  // Not a bank file at all (a PNG image).
  auto png = upload(b, "anh.png", std::string("\x89PNG\r\n\x1A\n\x00\x00\x00\rIHDR", 16));
  EXPECT_EQ(png.status, 422);
  EXPECT_NE(png.body.find("Không nhận ra định dạng"), std::string::npos);
  // A CSV file sent as XLSX, and a workbook sent as CSV.
  auto csv_as_xlsx = upload(b, "cau-hoi.xlsx", "key,text\nx,Câu hỏi?\n", "xlsx");
  EXPECT_EQ(csv_as_xlsx.status, 422);
  EXPECT_NE(csv_as_xlsx.body.find("không phải bảng tính XLSX"), std::string::npos);
  auto xlsx_as_csv = upload(b, "ngan-hang.xlsx", xlsx, "csv");
  EXPECT_EQ(xlsx_as_csv.status, 422);
  // One bad row spoils the whole file: all or nothing.
  auto half_bad = upload(b, "mot-dong-loi.csv",
                         "key,type,text,a,b,answer\nok-1,single,Câu hỏi đúng định dạng?,Có,Không,A\n"
                         "bad-1,true_false,Câu hỏi Đúng/Sai có đáp án lạ?,,,Có thể\n");
  EXPECT_EQ(half_bad.status, 422);
  EXPECT_NE(half_bad.body.find("dòng 3"), std::string::npos);
  // Larger than the 4 MB a bank file may have.
  std::string big = "key,text\n" + std::string(4u << 20, 'a');
  auto large = upload(b, "rat-lon.csv", big);
  EXPECT_EQ(large.status, 413);
  EXPECT_NE(large.body.find("vượt quá giới hạn 4 MB"), std::string::npos);
  // No file chosen.
  auto none = upload(b, "", "");
  EXPECT_EQ(none.status, 422);
  EXPECT_NE(none.body.find("Hãy chọn một tệp"), std::string::npos);
  EXPECT_EQ(bank_size(), 0u);
}

TEST_P(ContestBankAdmin, OnlyStaffWithTheirTokenMayImportOrEdit) {
  env_->make_contest();
  auto q = by_key("ah-1");
  ASSERT_TRUE(q);
  const std::string edit = edit_page(*q);
  // A signed-in citizen: 403 on every bank page and form.
  Browser dan(env_->port());
  ASSERT_TRUE(dan.login("dan@anhoa.test", kPassword));
  EXPECT_EQ(dan.get(edit).status, 403);
  EXPECT_EQ(dan.post_form(edit, {{"revision", "1"}, {"type", "single"}, {"text", "Câu hỏi bị sửa trái phép?"}}).status, 403);
  EXPECT_EQ(upload(dan, "ngan-hang.xlsx", workbook()).status, 403);
  // Anonymous: sent to sign in.
  Browser anon(env_->port());
  EXPECT_EQ(anon.get(edit).status, 303);
  // Staff without the CSRF token: refused, nothing changed.
  Browser admin(env_->port());
  ASSERT_TRUE(admin.login("quantri@anhoa.test", kPassword));
  auto no_token = upload(admin, "ngan-hang.xlsx", workbook(), "auto", false);
  EXPECT_EQ(no_token.status, 403);
  auto forged = admin.send("POST", "/quan-tri/cuoc-thi/ngan-hang/tai-len",
                           testing::multipart_body({{"_csrf", "", "gia-mao"}, {"file", "a.csv", "key,text\nz,Câu hỏi giả mạo?\n"}}),
                           {{"Content-Type", kMultipart}});
  EXPECT_EQ(forged.status, 403);
  admin.get(edit);
  auto edit_no_token = admin.post_form(edit, {{"revision", std::to_string(q->revision)}, {"type", "single"}, {"topic", "Thư viện"},
                                              {"difficulty", "1"}, {"text", "Câu hỏi sửa không có mã chống giả mạo?"},
                                              {"option0", "Có"}, {"option1", "Không"}, {"correct", "0"}},
                                       false);
  EXPECT_EQ(edit_no_token.status, 403);
  EXPECT_FALSE(by_key("xl-1"));
  EXPECT_FALSE(by_key("z"));
  auto still = by_key("ah-1");
  ASSERT_TRUE(still);
  EXPECT_EQ(still->cur.text, q->cur.text);
  EXPECT_EQ(still->current_version, 1);
}

TEST_P(ContestBankAdmin, EditingAQuestionAnAttemptSawMakesVersionTwo) {
  int64_t contest = env_->make_contest();
  auto q = by_key("ah-1");
  ASSERT_TRUE(q);
  auto s = env_->start(contest, 1);
  ASSERT_TRUE(s.ok()) << s.error().message;
  std::string old_text = q->cur.text;
  ASSERT_NE(s->questions.dump().find(old_text), std::string::npos);
  Browser b(env_->port());
  ASSERT_TRUE(b.login("quantri@anhoa.test", kPassword));
  // The bank list links to the editor, which shows the current version.
  const std::string edit = edit_page(*q);
  EXPECT_NE(b.get("/quan-tri/cuoc-thi/ngan-hang").body.find("href=\"" + edit + "\""), std::string::npos);
  auto page = b.get(edit);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find(old_text), std::string::npos);
  EXPECT_NE(page.body.find("value=\"Miễn phí\""), std::string::npos);
  EXPECT_NE(page.body.find("value=\"0\" checked"), std::string::npos);  // option A is the key
  EXPECT_NE(page.body.find("/van-ban/luat-thu-vien-cong-dong/dieu-2"), std::string::npos);
  EXPECT_NE(page.body.find("Giải thích của ban tổ chức."), std::string::npos);
  EXPECT_NE(page.body.find("<label for=\"q-opt0\">Phương án A</label>"), std::string::npos);
  EXPECT_EQ(page.body.find("<script"), std::string::npos);
  EXPECT_LT(page.body.size(), 50u * 1024);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(page.body, m, std::regex("name=\"revision\" value=\"([0-9]+)\"")));
  std::string revision = m[1].str();
  // The key moves from A to B and the text changes.
  std::vector<std::pair<std::string, std::string>> form = {
      {"revision", revision}, {"type", "single"}, {"topic", "Thư viện"}, {"difficulty", "2"},
      {"text", "Người đọc ở thư viện cộng đồng Tỉnh An Hòa mượn sách phải trả gì (bản sửa)?"},
      {"option0", "Không phải trả gì"}, {"option1", "Một khoản phí nhỏ theo ngày"}, {"option2", "Tiền đặt cọc"},
      {"correct", "1"}, {"points", "1"}, {"explanation", "Giải thích đã sửa."},
      {"provisions", "/van-ban/luat-thu-vien-cong-dong/dieu-2\n/van-ban/luat-thu-vien-cong-dong/dieu-3"}};
  auto saved = b.post_form(edit, form);
  ASSERT_EQ(saved.status, 303) << saved.body.substr(0, 2000);
  auto after = b.get(saved.header("location"));
  EXPECT_NE(after.body.find("Đã lưu thành phiên bản 2"), std::string::npos) << after.body.substr(0, 2000);
  EXPECT_NE(after.body.find("Phiên bản hiện tại: <strong>2</strong>"), std::string::npos);
  // History: both versions, with who made them.
  EXPECT_NE(after.body.find("<td>2 (hiện tại)</td>"), std::string::npos);
  EXPECT_NE(after.body.find("<td>1</td>"), std::string::npos);
  EXPECT_NE(after.body.find("Quản trị Sở Tư pháp"), std::string::npos);
  auto now = by_key("ah-1");
  ASSERT_TRUE(now);
  EXPECT_EQ(now->current_version, 2);
  EXPECT_NE(now->cur.id, q->cur.id);
  EXPECT_TRUE(now->cur.options[1].correct);
  ASSERT_EQ(now->cur.provisions.size(), 2u);
  // The attempt still shows version 1 and is scored by its key (option A right).
  auto view = svc().view(s->attempt_id, s->token);
  ASSERT_TRUE(view.ok());
  EXPECT_NE(view->questions.dump().find(old_text), std::string::npos);
  EXPECT_EQ(view->questions.dump().find("bản sửa"), std::string::npos);
  bool keeps_v1 = false;
  for (const auto& aq : view->attempt.questions) keeps_v1 |= aq.version_id == q->cur.id;
  EXPECT_TRUE(keeps_v1);
  env_->advance(3 * kMin);
  auto answers = answers_for(svc(), view->attempt, true);
  auto r = svc().submit(s->attempt_id, s->token, answers);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->score, r->max_score);
  EXPECT_EQ(r->score, 5);
  // A new attempt draws version 2.
  auto s2 = env_->start(contest, 2, "10.0.0.2");
  ASSERT_TRUE(s2.ok()) << s2.error().message;
  EXPECT_NE(s2->questions.dump().find("bản sửa"), std::string::npos);
}

TEST_P(ContestBankAdmin, InvalidAndStaleFormsComeBackWithTheUsersInput) {
  env_->make_contest();
  auto q = by_key("ah-5");
  ASSERT_TRUE(q);
  const std::string edit = edit_page(*q);
  Browser b(env_->port());
  ASSERT_TRUE(b.login("quantri@anhoa.test", kPassword));
  b.get(edit);
  std::string rev = std::to_string(q->revision);
  // No option marked right for a single-choice question.
  auto invalid = b.post_form(edit, {{"revision", rev}, {"type", "single"}, {"topic", "Hòa giải"}, {"difficulty", "3"},
                                    {"text", "Câu hỏi tôi vừa gõ lại về tổ hòa giải?"}, {"option0", "Phương án thứ nhất"},
                                    {"option1", "Phương án thứ hai"}});
  EXPECT_EQ(invalid.status, 422);
  EXPECT_NE(invalid.body.find("Câu một lựa chọn cần đúng một phương án đúng."), std::string::npos) << invalid.body.substr(0, 2000);
  EXPECT_NE(invalid.body.find("Câu hỏi tôi vừa gõ lại về tổ hòa giải?"), std::string::npos);
  EXPECT_NE(invalid.body.find("value=\"Phương án thứ hai\""), std::string::npos);
  auto unchanged = by_key("ah-5");
  ASSERT_TRUE(unchanged);
  EXPECT_EQ(unchanged->cur.text, q->cur.text);
  EXPECT_EQ(unchanged->revision, q->revision);
  // Two admins open the same revision; the second save is refused (409) and keeps its text.
  Browser other(env_->port());
  ASSERT_TRUE(other.login("quantri@anhoa.test", kPassword));
  other.get(edit);
  auto first = other.post_form(edit, {{"revision", rev}, {"type", "single"}, {"topic", "Hòa giải"}, {"difficulty", "3"},
                                      {"text", "Ai công nhận tổ trưởng tổ hòa giải (bản của người thứ nhất)?"},
                                      {"option0", "Chủ tịch UBND cấp xã"}, {"option1", "Trưởng thôn"}, {"correct", "0"}});
  ASSERT_EQ(first.status, 303) << first.body.substr(0, 2000);
  auto stale = b.post_form(edit, {{"revision", rev}, {"type", "single"}, {"topic", "Hòa giải"}, {"difficulty", "3"},
                                  {"text", "Ai công nhận tổ trưởng tổ hòa giải (bản của người thứ hai)?"},
                                  {"option0", "Chủ tịch UBND cấp xã"}, {"option1", "Trưởng thôn"}, {"correct", "1"}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_NE(stale.body.find("đã được thay đổi sau khi bạn mở trang"), std::string::npos) << stale.body.substr(0, 2000);
  EXPECT_NE(stale.body.find("bản của người thứ hai"), std::string::npos);
  auto kept = by_key("ah-5");
  ASSERT_TRUE(kept);
  EXPECT_NE(kept->cur.text.find("người thứ nhất"), std::string::npos);
  EXPECT_TRUE(kept->cur.options[0].correct);
  // A question that does not exist.
  EXPECT_EQ(b.get("/quan-tri/cuoc-thi/ngan-hang/999999").status, 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, ContestBankAdmin, ::testing::ValuesIn(testing::backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pbgdpl::contest
