#pragma once
// Shared by the search-quality benchmark's engines: the corpus, questions and metrics.
#include <memory>
#include <string>
#include <vector>

namespace bench {

struct Article {
  std::string law;     ///< law name (ALQAC law id)
  std::string number;  ///< article number
  std::string heading; ///< first line of the text
  std::string body;
  std::string key() const { return law + "#" + number; }
};

struct Question {
  std::string id;
  std::string text;  ///< question text plus the choices, as every engine receives it
  std::vector<std::string> gold;  ///< article keys
};

/// A search engine under test: builds its index from the corpus, answers top-k keys.
class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::string name() const = 0;
  /// Returns an empty string on success, else why the engine is unavailable.
  virtual std::string build(const std::vector<Article>& corpus) = 0;
  virtual std::vector<std::string> search(const std::string& query, size_t k) = 0;
};

std::unique_ptr<Engine> make_pbgdpl_engine(const std::string& dir);
std::unique_ptr<Engine> make_fts5_engine(const std::string& dir);
std::unique_ptr<Engine> make_postgres_engine(const std::string& url);
std::unique_ptr<Engine> make_sphinx_engine(const std::string& dir);

/// Removes Vietnamese diacritics (how people type on phones).
std::string strip_diacritics(const std::string& s);

}  // namespace bench
