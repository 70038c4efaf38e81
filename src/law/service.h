#pragma once
// The legal library's rules: import (idempotent, one transaction per document), editing
// with versions and status history, typed relations, reading "as at" a date, and search
// through search::Index (indexing runs as jobs queued in the same transaction as the write).
//
// Workload assumptions: reads and searches dominate; imports come in batches of tens to
// thousands of documents; a document has at most a few hundred articles.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "accounts/model.h"
#include "law/model.h"
#include "law/parser.h"
#include "search/index.h"
#include "storage/db.h"
#include "storage/jobs.h"

namespace pbgdpl::law {

using core::Result;
using core::Status;

struct ImportInput {
  std::string source_key;  ///< identity across re-imports ("vlc/luat-cu-tru.txt", "alqac/Luật Cư trú")
  DocumentMeta meta;
  ParsedDocument parsed;
  std::string source_text;
  std::string valid_from;  ///< date the version takes effect ("" = from the start)
};

enum class ImportOutcome { Created, Updated, Unchanged };
struct ImportResult {
  int64_t id = 0;
  std::string slug;
  ImportOutcome outcome = ImportOutcome::Created;
  size_t articles = 0;
};

struct View {
  Document doc;
  ParsedDocument content;  ///< preamble, body, closing of the version shown
  std::string version_from;
  std::string as_at;
  std::vector<Relation> relations;
  std::vector<StatusChange> history;
  std::vector<std::pair<int64_t, std::string>> versions;  ///< id, valid_from
};

struct SearchRequest {
  std::string q;
  std::string level = "article";  ///< article | document
  std::map<std::string, std::vector<std::string>> filters;  ///< type, status, issuer, field, year, scope
  bool all_statuses = false;  ///< without it only documents in force are searched
  bool by_date = false;
  size_t offset = 0;
  size_t limit = 10;
};

class Service {
 public:
  Service(storage::Database& db, search::Index* index);
  void register_jobs(storage::JobQueue& q);

  Result<ImportResult> import(const accounts::Actor& a, const ImportInput& in);
  /// Creates a document from metadata and text (the editor's form).
  Result<Document> create(const accounts::Actor& a, DocumentMeta meta, const std::string& text);
  /// Updates metadata; a non-empty text adds a new version valid from valid_from.
  Result<Document> update(const accounts::Actor& a, int64_t id, DocumentMeta meta, const std::string& text,
                          const std::string& valid_from);
  Status set_published(const accounts::Actor& a, int64_t id, bool published);
  Status set_status(const accounts::Actor& a, int64_t id, const std::string& status, const std::string& since,
                    const std::string& note);
  /// Relates two documents; `other` is a slug or a số ký hiệu.
  Status relate(const accounts::Actor& a, int64_t from, const std::string& other, const std::string& type,
                const std::string& note);

  Result<std::optional<Document>> get(int64_t id);
  Result<std::optional<Document>> find_by_number(const std::string& number);
  /// The reading view; as_at (YYYY-MM-DD) selects the version in force on that date.
  Result<std::optional<View>> view(const std::string& slug, const std::string& as_at, bool include_unpublished);
  Result<std::vector<Document>> list(const std::string& doc_type, const std::string& status, int64_t cursor, int limit,
                                     bool include_unpublished);
  Result<std::vector<std::pair<std::string, int64_t>>> counts();
  Result<std::vector<Provision>> provisions(int64_t id);
  Result<std::vector<Document>> suggest(const std::string& prefix, int limit);

  Result<search::Results> search(const SearchRequest& r);
  /// Brings the index in line with the database for one document (the job's work); commits
  /// unless told not to (a reindex commits once at the end).
  Status index_document(int64_t id, bool commit = true);
  /// Rebuilds the whole index; progress(done, total) after each document.
  Result<size_t> reindex(const std::function<void(size_t, size_t)>& progress);

 private:
  Result<std::string> unique_slug(storage::Conn& c, const DocumentMeta& m, int64_t self);
  storage::Database& db_;
  search::Index* index_;
};

/// Checks metadata; a Vietnamese message naming the field when something is wrong.
Status validate_meta(const DocumentMeta& m);
void register_law_assets();

}  // namespace pbgdpl::law
