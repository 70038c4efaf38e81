#pragma once
// search::Index — the one facade every module searches through. The engine (Xapian 1.4)
// stays behind it: no Xapian type appears here.
//
// Workload assumptions: searches are ~1000× more frequent than index updates; updates
// arrive one document at a time from the job queue (publish, edit, unpublish) and in bulk
// from `pbgdpl search reindex`. Readers never block on the writer.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"

namespace pbgdpl::search {

/// A text field with its weight (title 3, heading 2, body 1 are typical).
struct Field {
  std::string text;
  int weight = 1;
};

struct IndexDoc {
  std::string id;     ///< unique key ("a:123")
  std::string group;  ///< collapse/remove key (the legal document's id)
  std::string group_title;  ///< the name of the group (law title), used for "theo Luật X…"
  std::vector<Field> fields;
  std::map<std::string, std::string> facets;  ///< type, issuer, field, status, year, scope
  int64_t date = 0;          ///< for "sort by date" (days or ms; only the order matters)
  std::string payload;       ///< stored and returned as is (JSON)
  std::string snippet_text;  ///< text the snippet is cut from
};

struct Query {
  std::string text;
  std::map<std::string, std::vector<std::string>> filters;  ///< facet → allowed values (OR)
  bool by_date = false;   ///< newest first instead of relevance
  bool collapse = false;  ///< one hit per group (document level)
  size_t offset = 0;
  size_t limit = 10;
  std::vector<std::string> facets;  ///< facet names to count
};

struct Hit {
  std::string id;
  std::string group;
  double score = 0;
  std::string payload;
  std::string snippet;  ///< HTML-escaped text with <mark>…</mark> around matched words
};

struct Results {
  size_t total = 0;  ///< estimated number of matches
  std::vector<Hit> hits;
  std::map<std::string, std::vector<std::pair<std::string, size_t>>> facets;
  std::string named_group;  ///< the group whose name the query mentions, if any
};

/// Tunable ranking knobs (defaults chosen on the ALQAC train split; see bench/search-quality).
struct Ranking {
  double bigram_scale = 1.0;      ///< weight of adjacent-syllable pairs (phrase awareness)
  double exact_scale = 0.4;       ///< extra weight when diacritics match exactly
  double identifier_scale = 3.0;  ///< "91/2015/QH13" and friends
  double named_boost = 1.6;       ///< multiplier for hits inside the law the query names
  double k1 = 1.2, b = 0.75;      ///< BM25
  /// Queries with at least long_query_words distinct words drop the terms (words, exact
  /// forms, pairs) found in more than common_share of the documents; 1 keeps everything.
  double common_share = 0.3;
  /// Long queries then require one of their terms found in at most rare_share of the
  /// documents (the more frequent ones only add to the score, AND_MAYBE); 1 = plain OR.
  double rare_share = 0.02;
  size_t long_query_words = 12;
};

/// Sets knobs from "name=value,name=value" (names as in Ranking: bigram_scale, exact_scale,
/// identifier_scale, named_boost, k1, b, common_share, rare_share, long_query_words). Benchmarks use it
/// to compare settings without a rebuild; an unknown name or a bad number is an error.
core::Status apply_ranking(Ranking& r, const std::string& spec);

class Index {
 public:
  /// Opens (creating if needed) the index in dir.
  static core::Result<std::unique_ptr<Index>> open(const std::string& dir);
  virtual ~Index() = default;

  /// Adds or replaces documents (by id). Not visible to searches until commit().
  virtual core::Status put(const IndexDoc& d) = 0;
  virtual core::Status remove(const std::string& id) = 0;
  virtual core::Status remove_group(const std::string& group) = 0;
  virtual core::Status commit() = 0;
  /// Drops everything (reindex).
  virtual core::Status clear() = 0;

  virtual core::Result<Results> search(const Query& q) = 0;
  virtual core::Result<size_t> size() = 0;
  virtual Ranking& ranking() = 0;
};

}  // namespace pbgdpl::search
