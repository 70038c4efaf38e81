#pragma once
// The portal's rules: content items and their editorial workflow per organization
// (draft → submitted → approved → published, scheduled publish/unpublish as jobs),
// revisions, optimistic locking, the media library, read-aloud audio, satisfaction
// ratings, the unit directory's link checks, and search over published items.
//
// Workload assumptions: public reads outnumber editorial writes by 1000:1; a province has
// tens of units, thousands of items and a few new items a day; ratings are a few per
// hundred page views. Item pages are one indexed read plus one read for attached media.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "accounts/service.h"
#include "portal/model.h"
#include "search/index.h"
#include "storage/db.h"
#include "storage/jobs.h"

namespace pbgdpl::portal {

using core::Result;
using core::Status;

struct ServiceOptions {
  std::string data_dir = "var";  ///< media under <data_dir>/media, speech under <data_dir>/tts
  std::string public_url = "http://127.0.0.1:8080";  ///< for feeds, sitemap, Open Graph and QR codes
  std::string espeak = "espeak-ng";
  std::string opusenc = "opusenc";
  int ratings_per_hour = 20;     ///< per client (hashed IP)
  int64_t link_timeout_ms = 5000;
};

struct ListQuery {
  std::string kind, format, category, audience, topic, language, org_code;
  bool featured_only = false;
  int page = 1;
  int per_page = 10;
};

struct ItemPage {
  std::vector<Item> items;
  int64_t total = 0;
  int page = 1, pages = 1;
};

struct ItemView {
  Item item;
  std::vector<Media> media;  ///< cover, recording and attachments, in one read
  std::vector<Item> translations;
  std::optional<Item> source;
};

struct RatingInput {
  std::string path;
  std::optional<int64_t> item_id;
  std::string score;  ///< as typed: "1".."5"
  std::string comment;
  std::string client;  ///< IP address (only its keyed hash is stored)
};

struct RatingReport {
  std::vector<RatingStat> by_month, by_item, by_org;
  std::vector<Rating> comments;
  RatingStat total;
};

struct PublishOptions {
  std::optional<int64_t> publish_at;    ///< ms; nullopt = now
  std::optional<int64_t> unpublish_at;  ///< ms; nullopt = never
};

/// Answers whether a library address ("/van-ban/{slug}[/dieu-n]") exists; wired to the
/// legal library by the App, absent in tests that do not need it.
using RefChecker = std::function<bool(const std::string& address)>;

class Service {
 public:
  Service(storage::Database& db, accounts::Service& accounts, search::Index* index, ServiceOptions o);
  void set_ref_checker(RefChecker f) { ref_checker_ = std::move(f); }
  void register_jobs(storage::JobQueue& q);
  const ServiceOptions& options() const { return opt_; }

  // ---- editorial -------------------------------------------------------------------------
  Result<Item> create(const http::Principal& who, const accounts::Actor& a, const ItemInput& in);
  /// Saves an edit if the item is still at expected_version; Conflict otherwise (nothing
  /// is written). Adds a revision when the text changed.
  Result<Item> update(const http::Principal& who, const accounts::Actor& a, int64_t id, int64_t expected_version,
                      const ItemInput& in, const std::string& note = "");
  Result<Item> submit(const http::Principal& who, const accounts::Actor& a, int64_t id, int64_t expected_version);
  Result<Item> approve(const http::Principal& who, const accounts::Actor& a, int64_t id, int64_t expected_version);
  /// Back to the editor as a draft with the approver's note.
  Result<Item> reject(const http::Principal& who, const accounts::Actor& a, int64_t id, int64_t expected_version,
                      const std::string& note);
  /// Publishes now, or schedules it (publish_at in the future); a past time is refused.
  Result<Item> publish(const http::Principal& who, const accounts::Actor& a, int64_t id, int64_t expected_version,
                       const PublishOptions& o);
  Result<Item> unpublish(const http::Principal& who, const accounts::Actor& a, int64_t id, int64_t expected_version);
  /// The scheduled job's work: publishes/unpublishes the item when its time has come.
  Status run_schedule(int64_t id);

  // ---- reading ---------------------------------------------------------------------------
  Result<std::optional<Item>> get(int64_t id);
  /// A published item by its address, with media and translations (or nullopt).
  Result<std::optional<ItemView>> view(const std::string& slug, bool include_unpublished = false);
  Result<ItemPage> list(const ListQuery& q);
  /// Items the person may edit or approve (their units' subtree), newest first.
  Result<std::vector<Item>> editorial_list(const http::Principal& who, const std::string& status, int limit = 100);
  Result<std::vector<Revision>> revisions(int64_t id);
  Result<std::vector<std::pair<std::string, int64_t>>> topics(int limit = 30);
  /// Every published item (for sitemap.xml); id, kind, slug, updated_at.
  Result<std::vector<Item>> all_published(int limit = 50000);

  // ---- media -----------------------------------------------------------------------------
  /// Checks the upload completely, stores the file and its variants, then records it; on
  /// any failure nothing stays behind.
  Result<Media> upload(const http::Principal& who, const accounts::Actor& a, const std::string& filename,
                       std::string_view bytes, const std::string& alt, const std::string& transcript,
                       const std::string& org_code = "");
  Result<Media> update_media(const http::Principal& who, const accounts::Actor& a, int64_t id, const std::string& alt,
                             const std::string& transcript);
  Result<std::optional<Media>> media(int64_t id);
  Result<std::vector<Media>> media_list(int page);
  /// The file of a media item or of one of its variants ("w320"), absolute path.
  std::string media_file(const Media& m, const std::string& variant = "") const;

  // ---- read aloud ------------------------------------------------------------------------
  /// Renders the item's text with espeak-ng (voice vi) and encodes it to Opus; cached by the
  /// text's hash, so re-publishing unchanged text costs nothing.
  Status synthesize(int64_t id);
  /// Absolute path of a cached speech file.
  std::string tts_file(const std::string& rel) const { return opt_.data_dir + "/" + rel; }

  // ---- satisfaction ----------------------------------------------------------------------
  Status rate(const accounts::Actor& a, const RatingInput& in);
  Result<RatingReport> rating_report(const http::Principal& who);

  // ---- search and directory ----------------------------------------------------------------
  Result<search::Results> search(const std::string& q, const std::string& kind, size_t offset, size_t limit);
  Status index_item(int64_t id);
  Result<size_t> reindex();
  /// Checks every unit's portal address (HEAD/GET over HTTP) and records the outcome.
  Status check_links();
  Result<std::vector<std::pair<std::string, std::pair<bool, std::string>>>> link_status();
  /// Queues the periodic link check unless one is already queued.
  Status ensure_link_job();

 private:
  Result<Item> transition(const http::Principal& who, const accounts::Actor& a, int64_t id, int64_t expected_version,
                          accounts::Permission perm, const std::string& action,
                          const std::function<Status(storage::Conn&, Item&)>& change);
  /// The item and its unit's organization path (for permission checks), or NotFound.
  Result<std::pair<Item, std::string>> item_and_path(storage::Conn& c, int64_t id);
  Status validate(const ItemInput& in, storage::Conn& c);
  Status ready_to_publish(storage::Conn& c, const Item& it);
  Result<accounts::Org> org_for(const http::Principal& who, const std::string& code);
  storage::Database& db_;
  accounts::Service& accounts_;
  search::Index* index_;
  ServiceOptions opt_;
  RefChecker ref_checker_;
};

/// The address an item's title gives (before "-2", "-3" for duplicates).
std::string slug_base(std::string_view title);
/// Registers embedded templates, migrations and sample content of this module.
void register_portal_assets();

}  // namespace pbgdpl::portal
