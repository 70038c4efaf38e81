#pragma once
// SQL of the portal module (items, tags, revisions, media, ratings, link checks).
#include <optional>
#include <string>
#include <vector>

#include "portal/model.h"
#include "storage/db.h"

namespace pbgdpl::portal::store {

using core::Result;
using core::Status;
using storage::Conn;

struct ListFilter {
  std::string kind, format, category, language, org_code, status;
  std::string audience, topic;  ///< via portal_item_tags
  bool featured_only = false;
  bool public_only = true;      ///< status = 'published'
  int offset = 0;
  int limit = 20;
};

Result<std::optional<Item>> by_id(Conn& c, int64_t id);
Result<std::optional<Item>> by_slug(Conn& c, const std::string& slug);
Result<std::vector<Item>> list(Conn& c, const ListFilter& f);
Result<int64_t> count(Conn& c, const ListFilter& f);
Result<bool> slug_taken(Conn& c, const std::string& slug);
Result<int64_t> insert(Conn& c, const Item& it);
/// Writes every editable column when the row still has `expected_version`; bumps the
/// version. Returns false when someone else wrote first (nothing changed).
Result<bool> update_if_version(Conn& c, const Item& it, int64_t expected_version);
Status replace_tags(Conn& c, int64_t item_id, const Item& it);
Status replace_item_media(Conn& c, int64_t item_id, const std::vector<int64_t>& media_ids);
Result<std::vector<int64_t>> item_media_ids(Conn& c, int64_t item_id);
Result<std::vector<Item>> translations(Conn& c, int64_t source_id);
Status set_tts(Conn& c, int64_t item_id, const std::string& path, const std::string& hash);
Result<std::vector<int64_t>> published_ids(Conn& c);
/// Distinct topics of published items with their counts.
Result<std::vector<std::pair<std::string, int64_t>>> topic_counts(Conn& c, int limit);

Status add_revision(Conn& c, const Revision& r);
Result<std::vector<Revision>> revisions(Conn& c, int64_t item_id);

Result<int64_t> insert_media(Conn& c, const Media& m);
Result<std::optional<Media>> media_by_id(Conn& c, int64_t id);
Result<std::optional<Media>> media_by_sha(Conn& c, const std::string& sha, const std::string& org_code);
Result<std::vector<Media>> media_by_ids(Conn& c, const std::vector<int64_t>& ids);
Result<std::vector<Media>> media_list(Conn& c, int offset, int limit);
Status update_media_text(Conn& c, int64_t id, const std::string& alt, const std::string& transcript);

Result<int64_t> insert_rating(Conn& c, const Rating& r, const std::string& client);
Result<int64_t> ratings_since(Conn& c, const std::string& client, int64_t since_ms);
Result<int64_t> ratings_of_path_since(Conn& c, const std::string& client, const std::string& path, int64_t since_ms);
/// Aggregates by "month", "item" or "org".
Result<std::vector<RatingStat>> rating_stats(Conn& c, const std::string& by, int limit);
Result<std::vector<Rating>> recent_comments(Conn& c, int limit);

struct LinkCheck {
  std::string org_code, url, status;
  bool ok = false;
  int64_t checked_at = 0;
};
Status put_link_check(Conn& c, const LinkCheck& l);
Result<std::vector<LinkCheck>> link_checks(Conn& c);

}  // namespace pbgdpl::portal::store
