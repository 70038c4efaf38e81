#pragma once
// SQL of the law module (documents, versions, status history, relations, provisions).
#include <optional>
#include <string>
#include <vector>

#include "law/model.h"
#include "storage/db.h"

namespace pbgdpl::law::store {

using core::Result;
using core::Status;
using storage::Conn;

struct ListFilter {
  std::string doc_type;
  std::string status;
  bool include_unpublished = false;
  int64_t after_id = 0;  ///< cursor: documents with a smaller id (newest first)
  int limit = 20;
};

Result<std::optional<Document>> by_id(Conn& c, int64_t id);
Result<std::optional<Document>> by_slug(Conn& c, const std::string& slug);
Result<std::optional<Document>> by_source(Conn& c, const std::string& source_key);
Result<std::optional<Document>> by_number(Conn& c, const std::string& number);
Result<std::vector<Document>> list(Conn& c, const ListFilter& f);
Result<std::vector<std::pair<std::string, int64_t>>> count_by_type(Conn& c);
Result<bool> slug_taken(Conn& c, const std::string& slug, int64_t except_id);
Result<int64_t> insert(Conn& c, const Document& d);
Status update(Conn& c, const Document& d);

struct Version {
  int64_t id = 0;
  std::string valid_from;
  std::string tree;
  std::string source_text;
  std::string note;
  int64_t created_at = 0;
};
Result<int64_t> add_version(Conn& c, int64_t doc_id, const Version& v);
/// The version in force at `as_at` (YYYY-MM-DD; "" = the latest).
Result<std::optional<Version>> version_at(Conn& c, int64_t doc_id, const std::string& as_at);
Result<std::vector<Version>> versions(Conn& c, int64_t doc_id);  ///< without tree/text

Status add_status(Conn& c, int64_t doc_id, const StatusChange& s);
Result<std::vector<StatusChange>> status_history(Conn& c, int64_t doc_id);

Status add_relation(Conn& c, int64_t from, int64_t to, const std::string& type, const std::string& note);
/// Relations seen from doc_id, both directions.
Result<std::vector<Relation>> relations(Conn& c, int64_t doc_id);

Status replace_provisions(Conn& c, int64_t doc_id, const std::vector<Provision>& ps);
Result<std::vector<Provision>> provisions(Conn& c, int64_t doc_id);
Result<std::vector<int64_t>> all_ids(Conn& c);
Result<std::vector<Document>> suggest(Conn& c, const std::string& folded_prefix, int limit);

}  // namespace pbgdpl::law::store
