#pragma once
// bench/search-speed: shared declarations (corpus generator, engines, process metrics).
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace speed {

/// One synthetic article as stored in corpus.tsv (one line, fields separated by tabs; the
/// newlines inside body are stored as U+001F so that a line is a record).
struct Article {
  uint64_t id = 0;          ///< 1-based, dense
  std::string group;        ///< "g:17"
  std::string group_title;  ///< "Luật Du lịch và báo chí"
  std::string heading;      ///< article title (without "Điều N.")
  std::string body;         ///< 3–8 real sentences, '\n' between them
};

constexpr char kNewline = '\x1f';

/// Reads corpus.tsv line by line; f returns false to stop.
bool read_corpus(const std::string& path, const std::function<bool(Article&)>& f);
std::string tsv_escape(const std::string& s);  ///< '\n' → U+001F, '\t' and '\r' → ' '

struct GenOptions {
  std::string alqac;  ///< ../shared/data/alqac2024
  std::string vlc;    ///< ../shared/data/vlc/corpus
  uint64_t articles = 1'000'000;
  uint64_t queries = 10'000;
  uint64_t seed = 20240601;
  size_t group_size = 200;
};
/// Writes DIR/corpus.tsv and DIR/queries.tsv (kind \t text); prints a summary to stderr.
std::string generate(const GenOptions& o, const std::string& dir);

struct Query {
  std::string kind;  ///< "long" (question + choices) or "short" (3–8 consecutive words)
  bool folded = false;
  std::string text;
};
std::vector<Query> read_queries(const std::string& path, size_t limit);

/// A per-thread query client. search() returns the number of hits (≤ 10).
class Client {
 public:
  virtual ~Client() = default;
  virtual size_t search(const std::string& q) = 0;
};

struct EngineConfig {
  std::string work;    ///< the engine keeps its files under work/<name>
  std::string pg_url;  ///< postgresql://… of the server started by run.sh
  std::string pg_dir;  ///< that server's directory (for its processes' memory)
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::string name() const = 0;
  /// Builds the index from corpus.tsv; "" on success, else the reason.
  virtual std::string build(const std::string& corpus_tsv) = 0;
  /// Opens the built index for querying (starting a server if the engine has one).
  virtual std::string open() = 0;
  virtual std::unique_ptr<Client> client() = 0;
  virtual uint64_t disk_bytes() = 0;
  /// Processes that hold the index while answering (empty: this process).
  virtual std::vector<pid_t> server_pids() { return {}; }
  virtual std::string notes() const { return {}; }
};

std::unique_ptr<Engine> make_engine(const std::string& name, const EngineConfig& c);

// Helpers shared by the peers.
uint64_t du(const std::string& path);                          ///< bytes of a file or a directory tree

}  // namespace speed
