// bench/search-speed: query latency, throughput, memory and index size of our search engine
// and its peers (SQLite FTS5, PostgreSQL 15 FTS, Sphinx 2.2) on a scaled-up real corpus.
//
//   search-speed gen    --work DIR [--articles N] [--queries N] [--data ../shared/data]
//   search-speed build  --work DIR --engine pbgdpl|fts5|postgres|sphinx [--pg URL --pg-dir D]
//   search-speed query  --work DIR --engine E [--queries N] [--max-seconds S] [--threads T]
//   search-speed report --work DIR
//   search-speed whatif --work DIR [--queries N]   (phases of our engine's search, variants)
//
// build and query are separate processes, so the query process's memory is that of an
// engine that opened an existing index (plus the query list). Each writes a JSON line to
// DIR/results/<engine>.<build|query>.json; report prints the Markdown tables.
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cmath>
#include <cstdio>
#include <dirent.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "speed.h"

namespace speed {

std::unique_ptr<Engine> make_pbgdpl_engine(const EngineConfig& c);
std::unique_ptr<Engine> make_fts5_engine(const EngineConfig& c);
std::unique_ptr<Engine> make_postgres_engine(const EngineConfig& c);
std::unique_ptr<Engine> make_sphinx_engine(const EngineConfig& c);

int whatif(const std::string& work, size_t queries);

std::unique_ptr<Engine> make_engine(const std::string& name, const EngineConfig& c) {
  if (name == "pbgdpl") return make_pbgdpl_engine(c);
  if (name == "fts5") return make_fts5_engine(c);
  if (name == "postgres") return make_postgres_engine(c);
  if (name == "sphinx") return make_sphinx_engine(c);
  return nullptr;
}

uint64_t du(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return fs::file_size(path, ec);
  uint64_t n = 0;
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_regular_file(ec)) n += it->file_size(ec);
  return n;
}

}  // namespace speed

namespace {

using Clock = std::chrono::steady_clock;

std::string arg(int argc, char** argv, const std::string& name, const std::string& def) {
  for (int i = 1; i + 1 < argc; ++i)
    if (argv[i] == "--" + name) return argv[i + 1];
  return def;
}

/// The process and its descendants (a server's workers).
std::vector<pid_t> tree(pid_t root) {
  std::map<pid_t, pid_t> parent;
  if (DIR* d = opendir("/proc")) {
    while (dirent* e = readdir(d)) {
      pid_t pid = static_cast<pid_t>(std::atol(e->d_name));
      if (pid <= 0) continue;
      std::ifstream f("/proc/" + std::string(e->d_name) + "/stat");
      std::string s;
      std::getline(f, s);
      auto rp = s.rfind(')');
      if (rp == std::string::npos) continue;
      std::istringstream rest(s.substr(rp + 2));
      char state;
      long ppid;
      rest >> state >> ppid;
      parent[pid] = static_cast<pid_t>(ppid);
    }
    closedir(d);
  }
  std::vector<pid_t> out{root};
  for (size_t i = 0; i < out.size(); ++i)
    for (const auto& [p, pp] : parent)
      if (pp == out[i]) out.push_back(p);
  return out;
}

struct Mem {
  uint64_t rss_kb = 0, hwm_kb = 0, pss_kb = 0;
  size_t processes = 0;
};

uint64_t status_kb(const std::string& file, const std::string& key) {
  std::ifstream f(file);
  std::string line;
  while (std::getline(f, line))
    if (line.rfind(key, 0) == 0) return std::strtoull(line.c_str() + key.size(), nullptr, 10);
  return 0;
}

Mem memory(const std::vector<pid_t>& roots) {
  Mem m;
  std::vector<pid_t> all;
  if (roots.empty()) all.push_back(::getpid());
  for (auto r : roots)
    for (auto p : tree(r)) all.push_back(p);
  for (auto p : all) {
    std::string base = "/proc/" + std::to_string(p);
    m.rss_kb += status_kb(base + "/status", "VmRSS:");
    m.hwm_kb += status_kb(base + "/status", "VmHWM:");
    m.pss_kb += status_kb(base + "/smaps_rollup", "Pss:");
    ++m.processes;
  }
  return m;
}

/// CPU seconds (user + system) of the processes and their descendants.
double cpu_seconds(const std::vector<pid_t>& roots) {
  std::vector<pid_t> all;
  if (roots.empty()) all.push_back(::getpid());
  for (auto r : roots)
    for (auto p : tree(r)) all.push_back(p);
  double ticks = 0;
  for (auto p : all) {
    std::ifstream f("/proc/" + std::to_string(p) + "/stat");
    std::string s;
    std::getline(f, s);
    auto rp = s.rfind(')');
    if (rp == std::string::npos) continue;
    std::istringstream rest(s.substr(rp + 2));
    std::string field;
    for (int i = 3; i <= 15 && rest >> field; ++i)
      if (i == 14 || i == 15) ticks += std::atof(field.c_str());
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::string loadavg() {
  std::ifstream f("/proc/loadavg");
  std::string a;
  f >> a;
  return a;
}

double pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t k = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::min(v.size() - 1, k ? k - 1 : 0)];
}

void write_result(const std::string& work, const std::string& file, const nlohmann::json& j) {
  std::filesystem::create_directories(work + "/results");
  std::ofstream(work + "/results/" + file) << j.dump() << '\n';
  std::printf("%s\n", j.dump().c_str());
}

int cmd_gen(int argc, char** argv) {
  speed::GenOptions o;
  std::string data = arg(argc, argv, "data", "../shared/data");
  o.alqac = data + "/alqac2024";
  o.vlc = data + "/vlc/corpus";
  o.articles = std::stoull(arg(argc, argv, "articles", "1000000"));
  o.queries = std::stoull(arg(argc, argv, "queries", "10000"));
  std::string work = arg(argc, argv, "work", "/tmp/pbgdpl-speed");
  auto t0 = Clock::now();
  auto err = speed::generate(o, work);
  if (!err.empty()) {
    std::fprintf(stderr, "gen: %s\n", err.c_str());
    return 1;
  }
  write_result(work, "corpus.json",
               {{"articles", o.articles},
                {"queries", o.queries},
                {"bytes", speed::du(work + "/corpus.tsv")},
                {"gen_s", std::chrono::duration<double>(Clock::now() - t0).count()}});
  return 0;
}

speed::EngineConfig config(int argc, char** argv) {
  return {arg(argc, argv, "work", "/tmp/pbgdpl-speed"), arg(argc, argv, "pg", ""), arg(argc, argv, "pg-dir", "")};
}

int cmd_build(int argc, char** argv) {
  auto c = config(argc, argv);
  std::string name = arg(argc, argv, "engine", "");
  auto e = speed::make_engine(name, c);
  if (!e) return std::fprintf(stderr, "unknown engine %s\n", name.c_str()), 2;
  auto t0 = Clock::now();
  auto err = e->build(c.work + "/corpus.tsv");
  double s = std::chrono::duration<double>(Clock::now() - t0).count();
  nlohmann::json j = {{"engine", name}, {"name", e->name()}, {"notes", e->notes()}};
  if (!err.empty()) j["error"] = err;
  else j.update({{"build_s", s}, {"disk_bytes", e->disk_bytes()}, {"build_hwm_kb", memory({}).hwm_kb}});
  write_result(c.work, name + ".build.json", j);
  return err.empty() ? 0 : 1;
}

int cmd_query(int argc, char** argv) {
  auto c = config(argc, argv);
  std::string name = arg(argc, argv, "engine", "");
  size_t nq = std::stoull(arg(argc, argv, "queries", "10000"));
  double max_s = std::stod(arg(argc, argv, "max-seconds", "600"));
  int threads = std::stoi(arg(argc, argv, "threads", "2"));
  auto e = speed::make_engine(name, c);
  if (!e) return std::fprintf(stderr, "unknown engine %s\n", name.c_str()), 2;
  auto qs = speed::read_queries(c.work + "/queries.tsv", nq);
  nlohmann::json j = {{"engine", name}, {"name", e->name()}};
  if (auto err = e->open(); !err.empty()) {
    j["error"] = err;
    write_result(c.work, name + ".query.json", j);
    return 1;
  }
  auto server = e->server_pids();
  // Warm-up: the first 200 queries (at most max-seconds / 10), untimed.
  {
    auto cl = e->client();
    auto t0 = Clock::now();
    for (size_t i = 0; i < qs.size() && i < 200; ++i) {
      cl->search(qs[i].text);
      if (std::chrono::duration<double>(Clock::now() - t0).count() > max_s / 10) break;
    }
  }
  // Single thread: every query (or as many as fit in max-seconds), each timed.
  std::vector<double> ms;
  std::map<std::string, std::vector<double>> by_kind;
  size_t hits = 0;
  std::string load0 = loadavg();
  {
    auto cl = e->client();
    auto t0 = Clock::now();
    for (const auto& q : qs) {
      auto a = Clock::now();
      hits += cl->search(q.text);
      double d = std::chrono::duration<double, std::milli>(Clock::now() - a).count();
      ms.push_back(d);
      by_kind[q.kind + (q.folded ? " folded" : "")].push_back(d);
      if (std::chrono::duration<double>(Clock::now() - t0).count() > max_s) break;
    }
  }
  Mem after_single = memory(server);
  // T client threads over the same queries. Clients (server connections) are opened before
  // and closed after the measurement, so that their server processes are counted.
  std::vector<std::unique_ptr<speed::Client>> clients;
  for (int t = 0; t < threads; ++t) clients.push_back(e->client());
  std::atomic<size_t> next{0}, done{0};
  double cpu0 = cpu_seconds({}) + (server.empty() ? 0 : cpu_seconds(server));
  auto t0 = Clock::now();
  {
    std::vector<std::thread> ts;
    for (int t = 0; t < threads; ++t)
      ts.emplace_back([&, t] {
        auto& cl = clients[static_cast<size_t>(t)];
        for (;;) {
          size_t i = next.fetch_add(1);
          if (i >= qs.size()) break;
          if (std::chrono::duration<double>(Clock::now() - t0).count() > max_s) break;
          cl->search(qs[i].text);
          done.fetch_add(1);
        }
      });
    for (auto& t : ts) t.join();
  }
  double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  double cpu = cpu_seconds({}) + (server.empty() ? 0 : cpu_seconds(server)) - cpu0;
  Mem mem = memory(server);
  clients.clear();
  j.update({{"queries", qs.size()},
            {"single_n", ms.size()},
            {"avg_hits", ms.empty() ? 0.0 : static_cast<double>(hits) / static_cast<double>(ms.size())},
            {"p50", pct(ms, 0.50)},
            {"p95", pct(ms, 0.95)},
            {"p99", pct(ms, 0.99)},
            {"max", pct(ms, 1.0)},
            {"mean", ms.empty() ? 0.0 : [&] {
               double s = 0;
               for (double d : ms) s += d;
               return s / static_cast<double>(ms.size());
             }()},
            {"threads", threads},
            {"multi_n", done.load()},
            {"qps", static_cast<double>(done.load()) / wall},
            {"cpu_ms_per_query", done.load() ? 1000.0 * cpu / static_cast<double>(done.load()) : 0.0},
            {"rss_kb", mem.rss_kb},
            {"hwm_kb", mem.hwm_kb},
            {"pss_kb", mem.pss_kb},
            {"rss_single_kb", after_single.rss_kb},
            {"processes", mem.processes},
            {"in_process", server.empty()},
            {"load_before", load0},
            {"load_after", loadavg()}});
  nlohmann::json kinds = nlohmann::json::object();
  for (const auto& [k, v] : by_kind) kinds[k] = {{"n", v.size()}, {"p50", pct(v, 0.5)}, {"p99", pct(v, 0.99)}};
  j["kinds"] = kinds;
  j["ms"] = ms;  // every timed query in stream order: the report compares engines on the same queries
  std::string run = arg(argc, argv, "run", "");
  write_result(c.work, name + ".query" + (run.empty() ? "" : "." + run) + ".json", j);
  return 0;
}

nlohmann::json load(const std::string& path) {
  std::ifstream f(path);
  if (!f) return nullptr;
  return nlohmann::json::parse(f, nullptr, false);
}

/// The query results of an engine: ENGINE.query.json, or the median of ENGINE.query.N.json
/// (repeated runs, `query --run N`) for every timing and memory figure, with the number of runs
/// and the range of the load average seen.
/// Every query result of an engine (ENGINE.query.json, ENGINE.query.N.json), in file order.
std::vector<nlohmann::json> query_runs(const std::string& work, const std::string& e) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> files;
  for (const auto& f : fs::directory_iterator(work + "/results", ec)) {
    std::string n = f.path().filename().string();
    if (n.rfind(e + ".query.", 0) == 0 && n.size() > 5 && n.compare(n.size() - 5, 5, ".json") == 0) files.push_back(f.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<nlohmann::json> runs;
  for (const auto& f : files) {
    auto j = load(f);
    if (!j.is_null() && !j.is_discarded()) runs.push_back(j);
  }
  return runs;
}

nlohmann::json load_runs(const std::string& work, const std::string& e) {
  auto runs = query_runs(work, e);
  if (runs.empty()) return nullptr;
  for (const auto& r : runs)
    if (r.contains("error")) return r;
  nlohmann::json out = runs.front();
  for (const char* k : {"p50", "p95", "p99", "max", "mean", "qps", "cpu_ms_per_query", "avg_hits"}) {
    std::vector<double> v;
    for (const auto& r : runs) v.push_back(r[k].get<double>());
    out[k] = pct(v, 0.5);
  }
  for (const char* k : {"rss_kb", "hwm_kb", "pss_kb", "rss_single_kb", "single_n", "multi_n"}) {
    std::vector<double> v;
    for (const auto& r : runs) v.push_back(r[k].get<double>());
    out[k] = static_cast<uint64_t>(pct(v, 0.5));
  }
  double lo = 1e9, hi = 0;
  for (const auto& r : runs)
    for (const char* k : {"load_before", "load_after"}) {
      double l = std::atof(r.value(k, "0").c_str());
      lo = std::min(lo, l);
      hi = std::max(hi, l);
    }
  out["runs"] = runs.size();
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f–%.1f", lo, hi);
  out["load_range"] = buf;
  // per-kind figures: medians too
  for (auto& [k, v] : out["kinds"].items()) {
    std::vector<double> p50, p99;
    for (const auto& r : runs)
      if (r["kinds"].contains(k)) {
        p50.push_back(r["kinds"][k]["p50"].get<double>());
        p99.push_back(r["kinds"][k]["p99"].get<double>());
      }
    v["p50"] = pct(p50, 0.5);
    v["p99"] = pct(p99, 0.5);
  }
  return out;
}

/// Per-query single-thread latency of an engine: for each position of the query stream, the
/// median over the runs that timed it.
std::vector<double> per_query_ms(const std::string& work, const std::string& e) {
  std::vector<std::vector<double>> runs;
  for (const auto& j : query_runs(work, e))
    if (j.contains("ms")) runs.push_back(j["ms"].get<std::vector<double>>());
  std::vector<double> out;
  for (size_t i = 0;; ++i) {
    std::vector<double> v;
    for (const auto& r : runs)
      if (i < r.size()) v.push_back(r[i]);
    if (v.size() < runs.size() || v.empty()) break;  // only positions every run timed
    out.push_back(pct(v, 0.5));
  }
  return out;
}

/// With --max-seconds the slow engines time only the start of the query stream, so the main
/// table compares different samples. This one takes the queries every engine timed (the
/// first N of the stream, the same for all) and, for throughput, a bound that favours the
/// peers: twice their single-thread rate (perfect use of both cores) against pbgdpl's
/// measured 2-client QPS.
void same_queries_table(const std::string& work, double ours_qps, const std::map<std::string, std::string>& names) {
  std::vector<std::pair<std::string, std::vector<double>>> ms;  // pbgdpl first, as in the main table
  size_t n = SIZE_MAX;
  for (std::string e : {"pbgdpl", "fts5", "postgres", "sphinx"}) {
    auto v = per_query_ms(work, e);
    if (v.empty()) continue;
    n = std::min(n, v.size());
    ms.emplace_back(e, std::move(v));
  }
  if (ms.size() < 2 || ms.front().first != "pbgdpl" || n == 0 || ours_qps <= 0) return;
  std::printf("\nThe same queries for every engine: the first %zu of the stream, single thread (median per query "
              "over the runs):\n\n| engine | p50 ms | p95 ms | p99 ms | mean ms | single-thread QPS | pbgdpl 2-client QPS "
              "/ (2 × this) |\n|---|---:|---:|---:|---:|---:|---:|\n", n);
  for (auto& [e, v] : ms) {
    v.resize(n);
    double sum = 0;
    for (double d : v) sum += d;
    double mean = sum / static_cast<double>(n);
    char ratio[32] = "";
    if (e != "pbgdpl") std::snprintf(ratio, sizeof ratio, "%.1f×", ours_qps / (2 * 1000.0 / mean));
    auto name = names.find(e);
    std::printf("| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %s |\n", name == names.end() ? e.c_str() : name->second.c_str(),
                pct(v, 0.5), pct(v, 0.95), pct(v, 0.99), mean, 1000.0 / mean, ratio);
  }
}

std::string mib(double kb) {
  char b[32];
  std::snprintf(b, sizeof b, "%.0f", kb / 1024.0);
  return b;
}

int cmd_report(int argc, char** argv) {
  std::string work = arg(argc, argv, "work", "/tmp/pbgdpl-speed");
  auto corpus = load(work + "/results/corpus.json");
  if (!corpus.is_null() && !corpus.is_discarded())
    std::printf("Corpus: %s synthetic articles (%.0f MiB of text), %s queries.\n\n",
                std::to_string(corpus["articles"].get<uint64_t>()).c_str(),
                corpus["bytes"].get<double>() / 1048576.0, std::to_string(corpus["queries"].get<uint64_t>()).c_str());
  std::printf(
      "| engine | build s | index MiB | queries timed | runs | p50 ms | p95 ms | p99 ms | mean ms | QPS (2 clients) | CPU "
      "ms/query | RSS MiB | peak RSS MiB | PSS MiB | load avg |\n"
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
  double best_peer_qps = 0, ours_qps = 0;
  std::map<std::string, std::string> names;
  std::vector<std::string> kinds_rows;
  for (std::string e : {"pbgdpl", "fts5", "postgres", "sphinx"}) {
    auto b = load(work + "/results/" + e + ".build.json");
    auto q = load_runs(work, e);
    if (b.is_null() && q.is_null()) continue;
    std::string name = !b.is_null() ? b.value("name", e) : q.value("name", e);
    names[e] = name;
    if (!b.is_null() && b.contains("error")) {
      std::printf("| %s | build failed: %s |||||||||||\n", name.c_str(), b["error"].get<std::string>().c_str());
      continue;
    }
    if (q.is_null() || q.contains("error")) {
      std::printf("| %s | %.0f | %.0f | query failed: %s ||||||||||\n", name.c_str(), b.value("build_s", 0.0),
                  b.value("disk_bytes", 0.0) / 1048576.0, q.is_null() ? "not run" : q["error"].get<std::string>().c_str());
      continue;
    }
    double qps = q["qps"].get<double>();
    if (e == "pbgdpl") ours_qps = qps;
    else best_peer_qps = std::max(best_peer_qps, qps);
    std::string timed = std::to_string(q["single_n"].get<size_t>());
    if (q["single_n"].get<size_t>() < q["queries"].get<size_t>()) timed += " of " + std::to_string(q["queries"].get<size_t>());
    std::string multi = q["multi_n"].get<size_t>() < q["queries"].get<size_t>()
                            ? " (" + std::to_string(q["multi_n"].get<size_t>()) + " q)"
                            : "";
    std::printf("| %s | %.0f | %.0f | %s | %zu | %.2f | %.2f | %.2f | %.2f | %.1f%s | %.2f | %s%s | %s | %s | %s |\n",
                name.c_str(), b.value("build_s", 0.0), b.value("disk_bytes", 0.0) / 1048576.0, timed.c_str(),
                q.value("runs", size_t{1}), q["p50"].get<double>(), q["p95"].get<double>(), q["p99"].get<double>(), q["mean"].get<double>(), qps,
                multi.c_str(), q["cpu_ms_per_query"].get<double>(), mib(q["rss_kb"].get<double>()).c_str(),
                q["in_process"].get<bool>() ? "" : (" (" + std::to_string(q["processes"].get<size_t>()) + " proc)").c_str(),
                mib(q["hwm_kb"].get<double>()).c_str(), mib(q["pss_kb"].get<double>()).c_str(),
                q.value("load_range", q.value("load_before", std::string("?")) + "–" + q.value("load_after", std::string("?"))).c_str());
    for (const auto& [k, v] : q["kinds"].items()) {
      char buf[256];
      std::snprintf(buf, sizeof buf, "| %s | %s | %zu | %.2f | %.2f |", name.c_str(), k.c_str(), v["n"].get<size_t>(),
                    v["p50"].get<double>(), v["p99"].get<double>());
      kinds_rows.push_back(buf);
    }
  }
  if (ours_qps > 0 && best_peer_qps > 0)
    std::printf("\nQPS of pbgdpl / fastest peer: %.2f×\n", ours_qps / best_peer_qps);
  same_queries_table(work, ours_qps, names);
  std::printf("\nSingle-thread latency by query kind (long = question + choices, short = 3–8 words; folded = no "
              "diacritics):\n\n| engine | kind | queries | p50 ms | p99 ms |\n|---|---|---:|---:|---:|\n");
  for (const auto& r : kinds_rows) std::printf("%s\n", r.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd == "gen") return cmd_gen(argc, argv);
  if (cmd == "build") return cmd_build(argc, argv);
  if (cmd == "query") return cmd_query(argc, argv);
  if (cmd == "report") return cmd_report(argc, argv);
  if (cmd == "whatif")
    return speed::whatif(arg(argc, argv, "work", "/tmp/pbgdpl-speed"), std::stoull(arg(argc, argv, "queries", "1000")));
  std::fprintf(stderr, "usage: search-speed gen|build|query|report --work DIR [options]\n");
  return 2;
}
