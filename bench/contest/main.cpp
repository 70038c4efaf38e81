// bench/contest: a deadline rush on loopback against a real `pbgdpl serve`.
//
// 1. Generates a 50-question bank (our own text) and a contest drawing 50 questions,
//    imports both with the CLI.
// 2. Starts the server (SQLite by default, or --database postgresql://…).
// 3. Phase "start": N participants register and start (POST /api/v1/contests/{id}/attempts).
// 4. Phase "rush": all of them submit their 50 answers as fast as C concurrent clients can
//    (POST /api/v1/attempts/{id}/submit). Prints throughput and latency percentiles.
// 5. With --crash K, a killer sends SIGKILL to the server K times during the rush and
//    restarts it; clients retry until acknowledged (submit is idempotent). Afterwards the
//    database is opened directly and every acknowledged submission is checked: stored,
//    same receipt and score, and listed exactly once in the audit log's batch rows.
// 6. Measures this disk's fdatasync rate for comparison.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "storage/db.h"

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

struct Opts {
  std::string bin = "build-bench/pbgdpl";
  std::string database;  // empty: SQLite in the work dir
  std::string work = "/tmp/pbgdpl-bench-contest";
  int participants = 20000;
  int clients = 64;
  int server_threads = 64;
  int crashes = 0;
  int port = 18431;
};

double now_s() { return std::chrono::duration<double>(Clock::now().time_since_epoch()).count(); }

// ---- a minimal keep-alive HTTP/1.1 client ----------------------------------------------
class Conn {
 public:
  explicit Conn(int port) : port_(port) {}
  ~Conn() { close_fd(); }
  // Returns status (0 on a connection failure) and body.
  int request(const std::string& method, const std::string& path, const std::string& body, std::string& out,
              const std::string& extra = "") {
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (fd_ < 0 && !open_fd()) return 0;
      std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + extra +
                        "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
      if (!send_all(req)) {
        close_fd();
        continue;
      }
      int st = read_response(out);
      if (st == 0) {
        close_fd();
        if (attempt == 0 && buf_.empty()) continue;  // stale keep-alive connection
        return 0;
      }
      return st;
    }
    return 0;
  }

 private:
  bool open_fd() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port_));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      close_fd();
      return false;
    }
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval tv{30, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    buf_.clear();
    return true;
  }
  void close_fd() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    buf_.clear();
  }
  bool send_all(const std::string& s) {
    size_t off = 0;
    while (off < s.size()) {
      auto n = ::send(fd_, s.data() + off, s.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    return true;
  }
  bool fill() {
    char tmp[65536];
    auto n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }
  int read_response(std::string& out) {
    size_t hdr_end;
    while ((hdr_end = buf_.find("\r\n\r\n")) == std::string::npos)
      if (!fill()) return 0;
    int status = std::atoi(buf_.c_str() + 9);
    size_t len = 0;
    std::string head = buf_.substr(0, hdr_end);
    for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto p = head.find("content-length:");
    if (p != std::string::npos) len = std::strtoul(head.c_str() + p + 15, nullptr, 10);
    bool close_after = head.find("connection: close") != std::string::npos;
    while (buf_.size() < hdr_end + 4 + len)
      if (!fill()) return 0;
    out = buf_.substr(hdr_end + 4, len);
    buf_.erase(0, hdr_end + 4 + len);
    if (close_after) close_fd();
    return status;
  }
  int port_;
  int fd_ = -1;
  std::string buf_;
};

// ---- the server process ------------------------------------------------------------------
struct Server {
  Opts o;
  pid_t pid = -1;
  void start() {
    pid = fork();
    if (pid == 0) {
      int devnull = ::open("/dev/null", O_WRONLY);
      dup2(devnull, 1);
      std::string log = o.work + "/server.log";
      int lf = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      dup2(lf, 2);
      std::vector<std::string> args = {o.bin, "serve", "--data-dir", o.work, "--listen", "127.0.0.1:" + std::to_string(o.port),
                                       "--threads", std::to_string(o.server_threads), "--workers", "0", "--access-log", "false",
                                       "--log-level", "warn", "--db-pool", "16"};
      if (!o.database.empty()) {
        args.push_back("--database");
        args.push_back(o.database);
      }
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(o.bin.c_str(), argv.data());
      _exit(127);
    }
    // Wait for /healthz.
    for (int i = 0; i < 600; ++i) {
      Conn c(o.port);
      std::string body;
      if (c.request("GET", "/healthz", "", body) == 200) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    std::cerr << "server did not come up, see " << o.work << "/server.log\n";
    std::exit(1);
  }
  void kill9() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
      pid = -1;
    }
  }
  void stop() {
    if (pid > 0) {
      ::kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
      pid = -1;
    }
  }
};

int run(const std::string& cmd) {
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : 1;
}

std::string q(const std::string& s) { return "'" + s + "'"; }

double pct(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1));
  return v[i];
}

// CPU seconds (user + system) a process has used so far, from /proc/PID/stat.
double cpu_seconds(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto p = stat.rfind(')');
  if (p == std::string::npos) return 0;
  std::istringstream in(stat.substr(p + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; in >> field; ++i) {  // field 3 is the state; utime is 14, stime 15
    if (i == 14) utime = std::stod(field);
    if (i == 15) {
      stime = std::stod(field);
      break;
    }
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double fdatasync_rate(const std::string& dir) {
  std::string path = dir + "/fsync-probe";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  char block[4096] = {};
  int n = 0;
  double t0 = now_s();
  while (now_s() - t0 < 2.0) {
    if (::pwrite(fd, block, sizeof block, 0) != static_cast<ssize_t>(sizeof block)) break;
    ::fdatasync(fd);
    ++n;
  }
  double rate = n / (now_s() - t0);
  ::close(fd);
  std::filesystem::remove(path);
  return rate;
}

}  // namespace

int main(int argc, char** argv) {
  Opts o;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--bin") o.bin = v;
    else if (k == "--database") o.database = v;
    else if (k == "--work") o.work = v;
    else if (k == "--participants") o.participants = std::stoi(v);
    else if (k == "--clients") o.clients = std::stoi(v);
    else if (k == "--server-threads") o.server_threads = std::stoi(v);
    else if (k == "--crash") o.crashes = std::stoi(v);
    else if (k == "--port") o.port = std::stoi(v);
    else {
      std::cerr << "unknown option " << k << "\n";
      return 2;
    }
  }
  std::filesystem::remove_all(o.work);
  std::filesystem::create_directories(o.work);
  std::string base = q(o.bin) + " --data-dir " + q(o.work) + (o.database.empty() ? "" : " --database " + q(o.database)) +
                     " --log-level warn ";
  // A 60-question bank of our own (five topics, every scored type) and a 50-question contest.
  json bank = json::array();
  const char* topics[] = {"Hòa giải ở cơ sở", "Đất đai", "Hôn nhân và gia đình", "Giao thông đường bộ", "Phòng, chống ma túy"};
  for (int i = 0; i < 60; ++i) {
    std::string topic = topics[i % 5];
    std::string key = "bench-" + std::to_string(i);
    std::string text = "Câu hỏi thử số " + std::to_string(i + 1) + " về " + topic + " của Tỉnh An Hòa: chọn phương án đúng.";
    if (i % 10 == 9) {
      bank.push_back({{"key", key}, {"topic", topic}, {"type", "true_false"}, {"text", text}, {"answer", i % 20 == 9}});
    } else if (i % 10 == 8) {
      bank.push_back({{"key", key}, {"topic", topic}, {"type", "numeric"}, {"text", text}, {"number", 10 + i}});
    } else if (i % 10 == 7) {
      bank.push_back({{"key", key}, {"topic", topic}, {"type", "multiple"}, {"text", text},
                      {"options", {{{"text", "Phương án thứ nhất"}, {"correct", true}}, {{"text", "Phương án thứ hai"}, {"correct", true}},
                                   {{"text", "Phương án thứ ba"}, {"correct", false}}, {{"text", "Phương án thứ tư"}, {"correct", false}}}}});
    } else {
      json opts = json::array();
      for (int k = 0; k < 4; ++k)
        opts.push_back({{"text", "Phương án " + std::string(1, static_cast<char>('A' + k)) + " của câu " + std::to_string(i + 1)},
                        {"correct", k == i % 4}});
      bank.push_back({{"key", key}, {"topic", topic}, {"type", "single"}, {"text", text}, {"options", opts}});
    }
  }
  bank.push_back({{"key", "bench-pred"}, {"type", "prediction"}, {"text", "Dự đoán số người tham gia vòng thi?"}});
  std::ofstream(o.work + "/bank.json") << bank.dump();
  if (run(base + "contest bank import " + q(o.work + "/bank.json") + " --format json >/dev/null") != 0) return 1;
  auto t = std::time(nullptr);
  char opens[32], closes[32];
  std::time_t a = t - 3600, b = t + 86400;
  std::strftime(opens, sizeof opens, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&a));
  std::strftime(closes, sizeof closes, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&b));
  json draw = json::array();
  for (auto* tp : topics) draw.push_back({{"topic", tp}, {"count", 10}});
  json def = {{"title", "Cuộc thi thử tải: hạn chót toàn tỉnh"},
              {"time_limit_minutes", 120},
              {"max_attempts", 1},
              {"topics", topics},
              {"draw", draw},
              {"prediction", "bench-pred"},
              {"starts_per_ip_per_minute", 0},
              {"starts_per_device_per_minute", 0},
              {"min_seconds_per_question", 0},
              {"published", true},
              {"rounds", {{{"name", "Đợt thử"}, {"opens_at", opens}, {"closes_at", closes}}}}};
  std::ofstream(o.work + "/contest.json") << def.dump();
  std::string idfile = o.work + "/contest.id";
  if (run(base + "contest create --from " + q(o.work + "/contest.json") + " > " + q(idfile)) != 0) return 1;
  int64_t contest_id = 0;
  std::ifstream(idfile) >> contest_id;

  Server server{o};
  server.start();

  struct Participant {
    int64_t attempt = 0;
    std::string token;
    std::string answers;
  };
  std::vector<Participant> ps(static_cast<size_t>(o.participants));
  std::atomic<int> next{0};
  std::mutex mu;
  std::vector<double> start_lat, submit_lat;
  std::atomic<int64_t> start_fail{0}, submit_retries{0};

  // ---- phase 1: start --------------------------------------------------------------------
  double cpu0 = cpu_seconds(server.pid);
  double t0 = now_s();
  {
    std::vector<std::thread> th;
    for (int c = 0; c < o.clients; ++c)
      th.emplace_back([&] {
        Conn conn(o.port);
        std::vector<double> lat;
        std::mt19937 rng(std::random_device{}());
        for (int i; (i = next++) < o.participants;) {
          char phone[16];
          std::snprintf(phone, sizeof phone, "09%08d", i);
          json reg = {{"full_name", "Người Thử Tải " + std::to_string(i)}, {"birth_year", 1960 + i % 50},
                      {"gender", i % 2 ? "nu" : "nam"}, {"phone", phone}, {"org_unit", "Đơn vị " + std::to_string(i % 40)},
                      {"commune", "Xã " + std::to_string(i % 102)}, {"audience", i % 3 ? "can_bo" : "nong_dan"}};
          std::string body = json{{"registration", reg}}.dump(), out;
          double s = now_s();
          int st = conn.request("POST", "/api/v1/contests/" + std::to_string(contest_id) + "/attempts", body, out);
          lat.push_back(now_s() - s);
          if (st != 201) {
            ++start_fail;
            continue;
          }
          auto j = json::parse(out);
          auto& p = ps[static_cast<size_t>(i)];
          p.attempt = j["attempt_id"];
          p.token = j["token"];
          json ans = json::array();
          for (const auto& qq : j["questions"]) {
            std::string type = qq["type"];
            if (type == "numeric" || type == "prediction") ans.push_back({{"question_id", qq["id"]}, {"value", static_cast<int>(rng() % 30) + o.participants - 15}});
            else ans.push_back({{"question_id", qq["id"]}, {"choices", {1 + static_cast<int>(rng() % qq["options"].size())}}});
          }
          p.answers = json{{"answers", ans}}.dump();
        }
        std::lock_guard l(mu);
        start_lat.insert(start_lat.end(), lat.begin(), lat.end());
      });
    for (auto& x : th) x.join();
  }
  double t_start = now_s() - t0;
  double cpu_start = cpu_seconds(server.pid) - cpu0;

  // ---- phase 2: the rush (optionally with kill -9) -----------------------------------------
  std::map<int64_t, std::pair<std::string, double>> acked;  // attempt → (receipt, score)
  std::atomic<bool> rush_done{false};
  std::atomic<int> kills{0};
  std::thread killer;
  next = 0;
  std::cerr << "bench-contest: " << o.participants << " started in " << t_start << " s; the rush begins\n";
  cpu0 = cpu_seconds(server.pid);
  t0 = now_s();
  if (o.crashes > 0) {
    killer = std::thread([&] {
      std::mt19937 rng(7);
      while (!rush_done && kills < o.crashes) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100 + rng() % 150));
        if (rush_done) break;
        server.kill9();
        ++kills;
        server.start();
      }
    });
  }
  {
    std::vector<std::thread> th;
    for (int c = 0; c < o.clients; ++c)
      th.emplace_back([&] {
        Conn conn(o.port);
        std::vector<double> lat;
        std::vector<std::tuple<int64_t, std::string, double>> mine;
        for (int i; (i = next++) < o.participants;) {
          auto& p = ps[static_cast<size_t>(i)];
          if (!p.attempt) continue;
          std::string out;
          double s = now_s();
          for (int tries = 0;; ++tries) {
            int st = conn.request("POST", "/api/v1/attempts/" + std::to_string(p.attempt) + "/submit", p.answers, out,
                                  "X-Attempt-Token: " + p.token + "\r\n");
            if (st == 200) break;
            ++submit_retries;
            if (st != 0 && st != 503) {
              std::cerr << "submit " << p.attempt << ": HTTP " << st << " " << out.substr(0, 200) << "\n";
              break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
          }
          lat.push_back(now_s() - s);
          auto j = json::parse(out, nullptr, false);
          if (j.is_object() && j.contains("receipt")) mine.emplace_back(p.attempt, j["receipt"], j["score"].get<double>());
        }
        std::lock_guard l(mu);
        submit_lat.insert(submit_lat.end(), lat.begin(), lat.end());
        for (auto& [id, r, sc] : mine) acked[id] = {r, sc};
      });
    for (auto& x : th) x.join();
  }
  double t_rush = now_s() - t0;
  double cpu_rush = o.crashes > 0 ? 0 : cpu_seconds(server.pid) - cpu0;  // a restarted server's clock starts anew
  rush_done = true;
  if (killer.joinable()) killer.join();
  server.stop();

  // ---- verification straight from the database --------------------------------------------
  std::string url = o.database.empty() ? "sqlite:" + o.work + "/pbgdpl.db" : o.database;
  auto db = pbgdpl::storage::Database::open(url, 2);
  if (!db) {
    std::cerr << db.error().message << "\n";
    return 1;
  }
  int64_t stored = 0, mismatched = 0, missing = 0;
  std::map<int64_t, int> in_audit;
  int64_t submit_batches = 0;  // group commits that stored at least one submission (one audit row each)
  auto st = (*db)->read([&](pbgdpl::storage::Conn& c) -> pbgdpl::core::Status {
    auto rows = c.query("SELECT id, status, receipt, score FROM contest_attempts WHERE contest_id = ?", {contest_id});
    if (!rows) return rows.take_error();
    std::map<int64_t, std::tuple<std::string, std::string, double>> m;
    for (const auto& r : *rows) {
      m[r.i64(0)] = {r.str(1), r.str(2), r.f64(3)};
      stored += r.str(1) == "submitted";
    }
    for (const auto& [id, rs] : acked) {
      auto it = m.find(id);
      if (it == m.end() || std::get<0>(it->second) != "submitted") ++missing;
      else if (std::get<1>(it->second) != rs.first || std::get<2>(it->second) != rs.second) ++mismatched;
    }
    auto audit = c.query("SELECT summary FROM audit_log WHERE action = 'contest.attempts'");
    if (!audit) return audit.take_error();
    for (const auto& r : *audit) {
      auto j = json::parse(r.str(0), nullptr, false);
      if (!j["after"]["submitted"].empty()) ++submit_batches;
      for (const auto& x : j["after"]["submitted"]) in_audit[x[0].get<int64_t>()]++;
    }
    return {};
  });
  if (!st) {
    std::cerr << st.error().message << "\n";
    return 1;
  }
  int64_t audit_once = 0, audit_twice = 0;
  for (const auto& [id, rs] : acked) {
    int n = in_audit[id];
    audit_once += n == 1;
    audit_twice += n > 1;
  }
  double fsync = fdatasync_rate(o.work);

  std::string backend = o.database.empty() ? "SQLite" : "PostgreSQL";
  std::printf("\n| backend | participants | clients | server threads | kill -9 | start/s | start p50 ms | start p99 ms | server CPU ms/start | submit/s | submit p50 ms | submit p99 ms | server CPU ms/submit | acked | stored | missing | mismatched | in audit once | audit dup | retries | fdatasync/s |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  auto per = [](double cpu, double n) {
    if (n <= 0 || cpu <= 0) return std::string("—");
    char b[32];
    std::snprintf(b, sizeof b, "%.3f", cpu * 1000 / n);
    return std::string(b);
  };
  std::printf("| %s | %d | %d | %d | %d | %.0f | %.1f | %.1f | %s | %.0f | %.1f | %.1f | %s | %zu | %lld | %lld | %lld | %lld | %lld | %lld | %.0f |\n",
              backend.c_str(), o.participants, o.clients, o.server_threads, kills.load(),
              (o.participants - start_fail.load()) / t_start, pct(start_lat, 0.5) * 1000, pct(start_lat, 0.99) * 1000,
              per(cpu_start, static_cast<double>(o.participants - start_fail.load())).c_str(),
              static_cast<double>(acked.size()) / t_rush, pct(submit_lat, 0.5) * 1000, pct(submit_lat, 0.99) * 1000,
              per(cpu_rush, static_cast<double>(acked.size())).c_str(),
              acked.size(), static_cast<long long>(stored), static_cast<long long>(missing),
              static_cast<long long>(mismatched), static_cast<long long>(audit_once), static_cast<long long>(audit_twice),
              static_cast<long long>(submit_retries.load()), fsync);
  std::printf("\ngroup commits carrying submissions: %lld (mean %.1f submissions per commit, i.e. per fdatasync)\n",
              static_cast<long long>(submit_batches),
              submit_batches ? static_cast<double>(acked.size()) / static_cast<double>(submit_batches) : 0.0);
  bool ok = missing == 0 && mismatched == 0 && audit_twice == 0 && audit_once == static_cast<int64_t>(acked.size()) &&
            stored == static_cast<int64_t>(acked.size());
  std::printf("\nstart failures: %lld; every acknowledged submission stored, scored and audited exactly once: %s\n",
              static_cast<long long>(start_fail.load()), ok ? "YES" : "NO");
  return ok ? 0 : 1;
}
