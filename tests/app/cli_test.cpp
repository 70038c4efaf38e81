// The `pbgdpl` command line, end to end: the real binary in a subprocess on a temporary
// data dir (SQLite) or a fresh PostgreSQL database (--database postgresql://…).
#include "app/app.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include "support.h"

namespace pbgdpl::app {
namespace {

using pbgdpl::testing::run_command;

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

class Cli : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { db_ = std::make_unique<pbgdpl::testing::TestDb>(GetParam()); }
  bool pg() const { return GetParam() == "postgres"; }
  std::string dir() const { return db_->dir().str() + "/data"; }
  /// --data-dir always; --database for PostgreSQL (SQLite uses the data dir's default file).
  std::string where() const {
    std::string s = "--data-dir " + quote(dir());
    if (pg()) s += " --database " + quote(db_->url());
    return s;
  }
  /// Runs `pbgdpl <args> <where>` with optional stdin and environment; returns the exit code.
  int pb(const std::string& args, std::string* out, const std::string& stdin_text = "", const std::string& env = "") {
    std::string cmd;
    if (!stdin_text.empty()) cmd += "printf '%s\\n' " + quote(stdin_text) + " | ";
    cmd += "env -u PBGDPL_ADMIN_PASSWORD -u PBGDPL_DATABASE -u PBGDPL_CONFIG PBGDPL_LOG_LEVEL=warn " + env + " " +
           quote(pbgdpl::testing::pbgdpl_bin()) + " " + args + " " + where();
    if (stdin_text.empty()) cmd += " </dev/null";
    return run_command(cmd, out);
  }
  /// Runs SQL on the database behind the CLI with the engine's own shell (sqlite3 / psql).
  int shell_sql(const std::string& sql, std::string* out = nullptr) {
    if (pg()) return run_command("psql -q -v ON_ERROR_STOP=1 -At " + quote(db_->url()) + " -c " + quote(sql), out);
    return run_command("sqlite3 " + quote(dir() + "/pbgdpl.db") + " " + quote(sql), out);
  }
  std::unique_ptr<pbgdpl::testing::TestDb> db_;
};

TEST(CliHelp, ListsEveryContractCommand) {
  std::string out;
  ASSERT_EQ(run_command(quote(pbgdpl::testing::pbgdpl_bin()) + " --help", &out), 0) << out;
  for (const char* s : {"serve", "migrate", "admin init", "user add --email E --role ROLE [--org CODE]",
                        "org import FILE.csv", "sample load", "backup --to FILE", "audit verify", "--data-dir DIR",
                        "--database URL", "--listen HOST:PORT", "stdin"})
    EXPECT_NE(out.find(s), std::string::npos) << "missing '" << s << "' in --help";
  ASSERT_EQ(run_command(quote(pbgdpl::testing::pbgdpl_bin()) + " serve --help", &out), 0);
  EXPECT_NE(out.find("Usage: pbgdpl"), std::string::npos);
  EXPECT_EQ(run_command(quote(pbgdpl::testing::pbgdpl_bin()), &out), 2) << "no command is a usage error";
  EXPECT_EQ(run_command(quote(pbgdpl::testing::pbgdpl_bin()) + " bay-len", &out), 2);
  EXPECT_NE(out.find("lệnh không được hỗ trợ: bay-len"), std::string::npos) << out;
}

TEST_P(Cli, MigrateTwiceAppliesNothingTheSecondTime) {
  std::string out;
  ASSERT_EQ(pb("migrate", &out), 0) << out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex("Đã áp dụng (\\d+) migration"))) << out;
  EXPECT_GE(std::stoi(m[1]), 3);
  EXPECT_NE(out.find("accounts/"), std::string::npos) << out;
  ASSERT_EQ(pb("migrate", &out), 0) << out;
  EXPECT_NE(out.find("Đã áp dụng 0 migration"), std::string::npos) << out;
}

TEST_P(Cli, CommandsBeforeMigrateSayWhatToRun) {
  std::string out;
  EXPECT_EQ(pb("audit verify", &out), 1);
  EXPECT_NE(out.find("pbgdpl migrate"), std::string::npos) << out;
}

TEST_P(Cli, AdminInitWithAPasswordFromTheEnvironment) {
  std::string out;
  ASSERT_EQ(pb("admin init --email qt@anhoa.gov.vn", &out, "", "PBGDPL_ADMIN_PASSWORD=Quan-tri-2025"), 0) << out;
  EXPECT_NE(out.find("Đã tạo quản trị hệ thống: qt@anhoa.gov.vn"), std::string::npos) << out;
  EXPECT_EQ(out.find("Quan-tri-2025"), std::string::npos) << "a given password is never echoed";
  EXPECT_EQ(out.find("Mật khẩu"), std::string::npos);
  // The password works.
  core::Config c;
  c.data_dir = dir();
  if (pg()) c.database = db_->url();
  auto app = App::open(c, false);
  ASSERT_TRUE(app.ok()) << app.error().message;
  EXPECT_TRUE((*app)->accounts->login("qt@anhoa.gov.vn", "Quan-tri-2025", "127.0.0.1", "test").ok());
}

TEST_P(Cli, AdminInitGeneratesAPasswordOnceAndOnlyOnce) {
  std::string out;
  ASSERT_EQ(pb("admin init", &out), 0) << out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex("Mật khẩu \\(chỉ hiển thị một lần, hãy lưu lại\\): (\\S+)"))) << out;
  std::string password = m[1];
  EXPECT_GE(password.size(), 12u);
  std::string again;
  ASSERT_EQ(pb("admin init", &again), 0) << again;
  EXPECT_NE(again.find("Đã có quản trị hệ thống; không tạo thêm."), std::string::npos) << again;
  EXPECT_EQ(again.find(password), std::string::npos);
  std::string n;
  ASSERT_EQ(shell_sql("SELECT COUNT(*) FROM user_roles WHERE role = 'system_admin'", &n), 0) << n;
  EXPECT_EQ(n, "1\n");
  core::Config c;
  c.data_dir = dir();
  if (pg()) c.database = db_->url();
  auto app = App::open(c, false);
  ASSERT_TRUE(app.ok());
  EXPECT_TRUE((*app)->accounts->login("admin@localhost.localdomain", password, "127.0.0.1", "test").ok());
}

TEST_P(Cli, OrgImportThenUserAddWithThePasswordOnStdin) {
  std::string out;
  ASSERT_EQ(pb("migrate", &out), 0) << out;
  auto csv = db_->dir().str() + "/don-vi.csv";
  std::ofstream(csv) << "\xEF\xBB\xBF" "code,name,type,parent_code,portal_url\r\n"
                        "AH-STP,\"Sở Tư pháp, tỉnh An Hòa\",so_nganh,AH,https://stp.anhoa.gov.vn\r\n"
                        "AH,Tỉnh An Hòa,tinh,,\r\n";
  ASSERT_EQ(pb("org import " + quote(csv), &out), 0) << out;
  EXPECT_NE(out.find("Đã nhập: 2 đơn vị mới, 0 đơn vị cập nhật."), std::string::npos) << out;

  ASSERT_EQ(pb("user add --email Bien.Tap@AnHoa.gov.vn --role editor --org AH-STP --name 'Biên tập viên'", &out,
               "Mat-khau-2025"),
            0)
      << out;
  EXPECT_NE(out.find("Đã tạo tài khoản #"), std::string::npos) << out;
  EXPECT_NE(out.find("bien.tap@anhoa.gov.vn"), std::string::npos) << out;
  std::string row;
  ASSERT_EQ(shell_sql("SELECT u.name || '|' || r.role || '|' || o.code FROM users u JOIN user_roles r ON r.user_id = u.id "
                      "JOIN orgs o ON o.id = r.org_id WHERE u.email = 'bien.tap@anhoa.gov.vn'",
                      &row),
            0)
      << row;
  EXPECT_EQ(row, "Biên tập viên|editor|AH-STP\n");

  // Without --name the login stands in, even for a one-letter mailbox or a phone-only account.
  ASSERT_EQ(pb("user add --email x@anhoa.gov.vn --role citizen", &out, "Mat-khau-2025"), 0) << out;
  ASSERT_EQ(pb("user add --phone '+84 912 345 678' --role citizen", &out, "Mat-khau-2025"), 0) << out;
  EXPECT_NE(out.find("0912345678"), std::string::npos) << out;
  ASSERT_EQ(shell_sql("SELECT name FROM users WHERE phone = '0912345678'", &row), 0);
  EXPECT_EQ(row, "0912345678\n");

  EXPECT_EQ(pb("user add --email vua@anhoa.gov.vn --role vua_chua", &out, "Mat-khau-2025"), 1);
  EXPECT_NE(out.find("lỗi: Vai trò không hợp lệ: vua_chua"), std::string::npos) << out;
  EXPECT_EQ(pb("user add --email ngan@anhoa.gov.vn --role citizen", &out, "ngan"), 1);
  EXPECT_NE(out.find("Mật khẩu phải có ít nhất 8 ký tự."), std::string::npos) << out;
  EXPECT_EQ(pb("user add --email bien.tap@anhoa.gov.vn --role citizen", &out, "Mat-khau-2025"), 1);
  EXPECT_NE(out.find("Đã có tài khoản dùng"), std::string::npos) << out;
  EXPECT_EQ(pb("user add --role citizen", &out, "Mat-khau-2025"), 1);
  EXPECT_NE(out.find("cần --email hoặc --phone"), std::string::npos) << out;
  ASSERT_EQ(shell_sql("SELECT COUNT(*) FROM users", &row), 0);
  EXPECT_EQ(row, "3\n");

  // A bad file imports nothing and names the line.
  std::ofstream(csv) << "code,name,type,parent_code\nAH-SYT,Sở Y tế,so_nganh,AH\nAH-X,Xã,xa_phuong,KHONG-CO\n";
  EXPECT_EQ(pb("org import " + quote(csv), &out), 1);
  EXPECT_NE(out.find("dòng 3"), std::string::npos) << out;
  EXPECT_EQ(pb("org import " + quote(db_->dir().str() + "/khong-co.csv"), &out), 1);
  EXPECT_NE(out.find("không mở được tệp"), std::string::npos) << out;
  ASSERT_EQ(shell_sql("SELECT COUNT(*) FROM orgs", &row), 0);
  EXPECT_EQ(row, "2\n");
}

TEST_P(Cli, SampleLoadIsIdempotent) {
  std::string out;
  ASSERT_EQ(pb("sample load", &out), 0) << out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex("Nội dung mẫu: (\\d+) đơn vị mới, 0 đơn vị cập nhật"))) << out;
  int created = std::stoi(m[1]);
  EXPECT_GE(created, 10);
  ASSERT_EQ(pb("sample load", &out), 0) << out;
  EXPECT_NE(out.find("Nội dung mẫu: 0 đơn vị mới, 0 đơn vị cập nhật"), std::string::npos) << out;
  std::string n;
  ASSERT_EQ(shell_sql("SELECT COUNT(*) FROM orgs", &n), 0);
  EXPECT_EQ(std::stoi(n), created);
}

TEST_P(Cli, BackupProducesAUsableCopy) {
  std::string out;
  ASSERT_EQ(pb("sample load", &out), 0) << out;
  auto file = db_->dir().str() + "/sao-luu.db";
  ASSERT_EQ(pb("backup --to " + quote(file), &out), 0) << out;
  if (pg()) {
    // PostgreSQL is backed up by its own tool; the command says how.
    EXPECT_NE(out.find("pg_dump --format=custom --file=" + file), std::string::npos) << out;
    return;
  }
  EXPECT_NE(out.find("Đã sao lưu vào"), std::string::npos) << out;
  std::string n;
  ASSERT_EQ(run_command("sqlite3 " + quote(file) + " 'SELECT COUNT(*) FROM orgs'", &n), 0) << n;
  EXPECT_EQ(n, "14\n");
  EXPECT_EQ(pb("backup", &out), 1);
  EXPECT_NE(out.find("cần --to FILE"), std::string::npos);
}

TEST_P(Cli, AuditVerifyDetectsTampering) {
  std::string out;
  ASSERT_EQ(pb("sample load", &out), 0) << out;
  ASSERT_EQ(pb("audit verify", &out), 0) << out;
  std::string rows;
  ASSERT_EQ(shell_sql("SELECT COUNT(*) FROM audit_log", &rows), 0);
  EXPECT_GE(std::stoi(rows), 14) << "one row per sample organization at least";
  EXPECT_NE(out.find("Nhật ký toàn vẹn: " + std::to_string(std::stoi(rows)) + " dòng, chuỗi mã băm khớp."),
            std::string::npos)
      << out;

  // With the guard in place the database itself refuses.
  EXPECT_NE(shell_sql("UPDATE audit_log SET summary = 'sửa' WHERE id = 3", &out), 0) << out;
  EXPECT_NE(out.find("append-only"), std::string::npos) << out;
  ASSERT_EQ(pb("audit verify", &out), 0) << out;

  std::string drop = pg() ? "DROP TRIGGER audit_log_no_change ON audit_log" : "DROP TRIGGER audit_log_no_update";
  ASSERT_EQ(shell_sql(drop + "; UPDATE audit_log SET summary = '{\"before\":null,\"after\":null}' WHERE id = 3", &out), 0)
      << out;
  EXPECT_EQ(pb("audit verify", &out), 1) << out;
  EXPECT_NE(out.find("PHÁT HIỆN NHẬT KÝ BỊ THAY ĐỔI"), std::string::npos) << out;
  EXPECT_NE(out.find("dòng 3: nội dung đã bị sửa"), std::string::npos) << out;
}

TEST_P(Cli, AuditVerifyDetectsADeletedTail) {
  std::string out;
  ASSERT_EQ(pb("sample load", &out), 0) << out;
  std::string drop = pg() ? "DROP TRIGGER audit_log_no_change ON audit_log" : "DROP TRIGGER audit_log_no_delete";
  ASSERT_EQ(shell_sql(drop + "; DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)", &out), 0) << out;
  EXPECT_EQ(pb("audit verify", &out), 1) << out;
  EXPECT_NE(out.find("các dòng cuối đã bị xóa hoặc sửa"), std::string::npos) << out;
}

uint16_t free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

TEST_P(Cli, ServeStopsGracefullyOnSigterm) {
  const uint16_t port = free_port();
  const std::string log = db_->dir().str() + "/serve.log";
  std::vector<std::string> args = {pbgdpl::testing::pbgdpl_bin(), "serve", "--data-dir", dir(), "--listen",
                                   "127.0.0.1:" + std::to_string(port), "--workers", "0", "--threads", "1"};
  if (pg()) {
    args.push_back("--database");
    args.push_back(db_->url());
  }
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  // Wait until it answers.
  int status = -1;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  pbgdpl::testing::HttpResponse r;
  while (std::chrono::steady_clock::now() < deadline) {
    r = pbgdpl::testing::raw_request(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 2000);
    if (r.status == 200) break;
    if (waitpid(pid, &status, WNOHANG) == pid) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(r.status, 200) << "server did not come up";
  auto home = pbgdpl::testing::raw_request(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(home.status, 200);
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  pid_t done = 0;
  while (std::chrono::steady_clock::now() < deadline && (done = waitpid(pid, &status, WNOHANG)) == 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (done != pid) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    FAIL() << "serve did not stop within 30 s of SIGTERM";
  }
  ASSERT_TRUE(WIFEXITED(status)) << "killed by a signal";
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("pbgdpl stopped"), std::string::npos) << text;
}

TEST_P(Cli, ServeRefusesAPortInUseWithAMessage) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  std::string out;
  int rc = pb("serve --workers 0 --listen 127.0.0.1:" + std::to_string(ntohs(a.sin_port)), &out);
  close(fd);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("Không lắng nghe được"), std::string::npos) << out;
}

INSTANTIATE_TEST_SUITE_P(Backends, Cli, ::testing::ValuesIn(pbgdpl::testing::backends()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
}  // namespace pbgdpl::app
