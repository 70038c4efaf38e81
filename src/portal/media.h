#pragma once
// Uploaded files: type detection from content (magic bytes,
// never the extension), per-type size limits, audio/video duration from the container
// headers, and image variants through libvips. Nothing here touches the database.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/multipart.h"

namespace pbgdpl::portal {

// The multipart parser lives in src/http (shared with the contest bank import).
using http::Part;
using http::parse_multipart;

struct Sniffed {
  std::string kind;  ///< image | audio | video | pdf
  std::string mime;
  std::string ext;   ///< canonical extension without the dot
};
/// The type of a file from its first bytes, or nullopt when it is none we accept.
std::optional<Sniffed> sniff(std::string_view bytes);
/// Largest accepted size for a kind, in bytes.
int64_t size_limit(std::string_view kind);
/// Duration of an audio/video file in ms from its container (WAV, Ogg Opus/Vorbis, MP3,
/// MP4/M4A, WebM); nullopt when the headers cannot be read (a corrupted file).
std::optional<int64_t> media_duration_ms(std::string_view mime, std::string_view bytes);

struct ImageInfo {
  int width = 0, height = 0;
};
/// Decodes the whole image (so a truncated or corrupted file is caught) and reports its size.
core::Result<ImageInfo> check_image(std::string_view bytes);
/// A WebP of the image scaled to at most `width` pixels wide.
core::Result<std::string> image_variant(std::string_view bytes, int width);
/// Widths of the variants made for every image (srcset).
const std::vector<int>& variant_widths();

/// Checks an upload completely: content type, extension agreeing with it, size, decodable
/// content. Returns the sniffed type, the image size and the duration.
struct Checked {
  Sniffed type;
  ImageInfo image;
  int64_t duration_ms = 0;
};
core::Result<Checked> check_upload(std::string_view filename, std::string_view bytes);

}  // namespace pbgdpl::portal
