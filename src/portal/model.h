#pragma once
// Plain data of the portal: content items (news, pages, PBGDPL materials in every format),
// their revisions, media files and satisfaction ratings. No I/O here.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pbgdpl::portal {

/// A code with its Vietnamese label (kinds, formats, audiences, languages, statuses).
struct Code {
  std::string_view code;
  std::string_view label;
};
const std::vector<Code>& kinds();      ///< tin_bai, trang, tai_lieu
const std::vector<Code>& formats();    ///< bai_viet, so_tay, to_gap, bai_giang, infographic, video, audio, sach_noi, tinh_huong
const std::vector<Code>& audiences();  ///< hoc_sinh, dan_toc, khuyet_tat, doanh_nghiep, can_bo, nguoi_dan
const std::vector<Code>& languages();  ///< vi, tay, nung, hmong, thai, dao, muong, khmer, cham, ede, giarai, bana
const std::vector<Code>& statuses();   ///< draft, submitted, approved, published, unpublished
const std::vector<Code>& categories(); ///< chuyên mục of the public site
bool valid_code(const std::vector<Code>& codes, std::string_view c);
std::string label_of(const std::vector<Code>& codes, std::string_view c);
/// URL path segment of a kind: "tin-tuc", "trang", "tai-lieu".
std::string_view kind_path(std::string_view kind);
/// The HTML lang attribute of a language code ("vi", "hnj" for H'Mông, …).
std::string_view language_tag(std::string_view lang);

struct Item {
  int64_t id = 0;
  std::string kind = "tin_bai";
  std::string format = "bai_viet";
  std::string slug;
  std::string title;
  std::string summary;
  std::string body;  ///< Markdown; for a sổ tay, pages separated by a line "+++"
  std::string category = "tin-hoat-dong";
  std::vector<std::string> audiences;
  std::vector<std::string> topics;
  std::vector<std::string> legal_refs;  ///< library addresses "/van-ban/{slug}[/dieu-n…]"
  std::string language = "vi";
  std::optional<int64_t> source_id;     ///< the item this one translates
  std::string media_url;                ///< external video link (https)
  std::optional<int64_t> cover_media_id;
  std::optional<int64_t> audio_media_id;  ///< a human recording; replaces the synthetic voice
  std::string org_code;
  std::string org_name;
  std::string status = "draft";
  int64_t version = 1;  ///< optimistic lock: bumped by every write
  bool featured = false;
  std::optional<int64_t> publish_at;
  std::optional<int64_t> unpublish_at;
  std::optional<int64_t> published_at;
  std::string review_note;
  std::string tts_path;  ///< cached synthetic speech (relative to the data dir)
  std::string tts_hash;  ///< hash of the text it was made from
  std::string author;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

/// The editor's input for create/update.
struct ItemInput {
  std::string kind = "tin_bai";
  std::string format = "bai_viet";
  std::string title;
  std::string summary;
  std::string body;
  std::string category = "tin-hoat-dong";
  std::vector<std::string> audiences;
  std::vector<std::string> topics;
  std::vector<std::string> legal_refs;
  std::string language = "vi";
  std::optional<int64_t> source_id;
  std::string media_url;
  std::optional<int64_t> cover_media_id;
  std::optional<int64_t> audio_media_id;
  std::vector<int64_t> media_ids;  ///< attachments shown with the item (pages of a tờ gấp, PDF of a bài giảng…)
  std::string org_code;
  bool featured = false;
};

struct Revision {
  int64_t id = 0;
  int64_t item_id = 0;
  int64_t version = 0;
  std::string title;
  std::string summary;
  std::string body;
  std::string author;
  std::string note;
  int64_t created_at = 0;
};

struct Media {
  int64_t id = 0;
  std::string kind;  ///< image | audio | video | pdf
  std::string mime;
  std::string filename;  ///< the uploader's name (display only)
  int64_t size = 0;
  std::string sha256;
  std::string path;  ///< relative to <data_dir>/media
  int width = 0, height = 0;
  int64_t duration_ms = 0;
  std::string alt;         ///< text alternative (images: required before publishing)
  std::string transcript;  ///< captions or transcript (audio/video)
  std::string org_code;
  std::string author;
  int64_t created_at = 0;
};

struct Rating {
  int64_t id = 0;
  std::string path;
  std::optional<int64_t> item_id;
  std::string org_code;
  int score = 0;
  std::string comment;
  std::string month;  ///< "2026-11"
  int64_t created_at = 0;
};

/// Aggregate of ratings: count, average, share of 4–5 ("hài lòng").
struct RatingStat {
  std::string key;    ///< month, item title or unit
  std::string label;
  int64_t count = 0;
  double average = 0;
  int64_t satisfied = 0;  ///< ratings of 4 or 5
  double satisfied_pct() const { return count ? 100.0 * static_cast<double>(satisfied) / static_cast<double>(count) : 0; }
};

}  // namespace pbgdpl::portal
