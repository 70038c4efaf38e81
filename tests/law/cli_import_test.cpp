// `pbgdpl library import` end to end (the real binary in a subprocess, both backends): a
// folder that mixes a good law with unparseable and corrupted files. Every bad file is
// reported on its own line with its name and the reason, the exit code says something
// failed, the good file is imported whole, and nothing of a bad file reaches the database —
// not even the valid first document of a JSON file whose second document is broken.
#include <gtest/gtest.h>

#include <fstream>

#include "fixture.h"
#include "support.h"

namespace pbgdpl::law {
namespace {

using pbgdpl::testing::run_command;

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class LibraryImportCli : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { db_ = std::make_unique<pbgdpl::testing::TestDb>(GetParam()); }
  std::string data_dir() const { return db_->dir().str() + "/data"; }
  int pb(const std::string& args, std::string* out) {
    std::string where = "--data-dir " + quote(data_dir());
    if (GetParam() == "postgres") where += " --database " + quote(db_->url());
    return run_command("env -u PBGDPL_DATABASE -u PBGDPL_CONFIG PBGDPL_LOG_LEVEL=warn " +
                           quote(pbgdpl::testing::pbgdpl_bin()) + " " + args + " " + where + " </dev/null 2>&1",
                       out);
  }
  std::string sql(const std::string& query) {
    std::string out;
    int rc = GetParam() == "postgres"
                 ? run_command("psql -q -v ON_ERROR_STOP=1 -At " + quote(db_->url()) + " -c " + quote(query), &out)
                 : run_command("sqlite3 " + quote(data_dir() + "/pbgdpl.db") + " " + quote(query), &out);
    EXPECT_EQ(rc, 0) << out;
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
  }
  void write(const std::string& name, const std::string& bytes) {
    std::ofstream(db_->dir().path() / "in" / name, std::ios::binary) << bytes;
  }
  std::unique_ptr<pbgdpl::testing::TestDb> db_;
};

TEST_P(LibraryImportCli, BadFilesAreReportedOneByOneAndNothingOfThemIsImported) {
  std::string out;
  ASSERT_EQ(pb("migrate", &out), 0) << out;
  std::filesystem::create_directories(db_->dir().path() / "in");
  write("a-tot.txt", testdata::kLawV1);
  write("b-latin1.txt", "Điều 1. Phạm vi\nNội dung\nDi\xe1u 2. Sai m\xe3 ho\xe1\n");
  write("c-hong.docx", "PK\x03\x04 không phải zip");
  write("d-hong.pdf", "%PDF-1.4\nrác");
  write("e-thu.txt", "Kính gửi các đơn vị,\nĐề nghị báo cáo trước ngày 15.\n");
  // Two documents; the second has no text: the whole file is refused, the first included.
  write("f-hai-van-ban.json", "{\"format\": \"pbgdpl.law/1\", \"documents\": [\n"
                              "{\"title\": \"Quyết định về nhà văn hóa thôn\", \"doc_type\": \"quyet_dinh\", "
                              "\"text\": \"Điều 1. Phạm vi\\nNhà văn hóa thôn Bắc Sơn.\"},\n"
                              "{\"title\": \"Quyết định thứ hai\", \"doc_type\": \"quyet_dinh\"}]}\n");

  EXPECT_EQ(pb("library import " + quote((db_->dir().path() / "in").string()), &out), 1) << out;
  EXPECT_NE(out.find("5 lỗi"), std::string::npos) << out;
  struct Expect {
    const char* file;
    const char* reason;
  };
  for (auto [file, reason] : {Expect{"b-latin1.txt", "dòng 3"}, Expect{"c-hong.docx", "DOCX"},
                              Expect{"d-hong.pdf", "PDF"}, Expect{"e-thu.txt", "không tìm thấy Điều"},
                              Expect{"f-hai-van-ban.json", "văn bản thứ 2"}}) {
    // One line per failure: "  - <file>…: <reason>".
    auto at = out.find("  - ");
    bool found = false;
    for (; at != std::string::npos; at = out.find("  - ", at + 1)) {
      auto line = out.substr(at, out.find('\n', at) - at);
      if (line.find(file) != std::string::npos) {
        found = true;
        EXPECT_NE(line.find(reason), std::string::npos) << "reason for " << file << ": " << line;
      }
    }
    EXPECT_TRUE(found) << file << " is not reported:\n" << out;
  }
  EXPECT_EQ(out.find("a-tot.txt"), std::string::npos) << "the good file is not a failure:\n" << out;
  // The good law whole, nothing else.
  EXPECT_EQ(sql("SELECT count(*) FROM law_documents"), "1");
  EXPECT_EQ(sql("SELECT number FROM law_documents"), "77/2025/QH15");
  EXPECT_EQ(sql("SELECT count(*) FROM law_documents WHERE title LIKE '%nhà văn hóa%' OR title LIKE '%thứ hai%'"), "0");

  // Running it again changes nothing and reports the same failures.
  auto before = sql("SELECT count(*) FROM law_provisions");
  EXPECT_EQ(pb("library import " + quote((db_->dir().path() / "in").string()), &out), 1) << out;
  EXPECT_NE(out.find("1 không đổi"), std::string::npos) << out;
  EXPECT_EQ(sql("SELECT count(*) FROM law_documents"), "1");
  EXPECT_EQ(sql("SELECT count(*) FROM law_provisions"), before);
}

INSTANTIATE_TEST_SUITE_P(Backends, LibraryImportCli, ::testing::ValuesIn(pbgdpl::testing::backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pbgdpl::law
