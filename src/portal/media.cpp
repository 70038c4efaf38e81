#include "portal/media.h"

#include <vips/vips.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "core/ascii.h"
#include "core/utf8.h"

namespace pbgdpl::portal {

using core::Error;
using core::ErrorCode;

namespace {

using core::ascii_lower;

uint32_t le32(const unsigned char* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24); }
uint32_t be32(const unsigned char* p) { return (static_cast<uint32_t>(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3]; }
uint64_t le64(const unsigned char* p) { return le32(p) | (static_cast<uint64_t>(le32(p + 4)) << 32); }
uint64_t be64(const unsigned char* p) { return (static_cast<uint64_t>(be32(p)) << 32) | be32(p + 4); }

std::optional<int64_t> wav_duration(std::string_view b) {
  auto p = reinterpret_cast<const unsigned char*>(b.data());
  size_t pos = 12;
  uint32_t byte_rate = 0;
  while (pos + 8 <= b.size()) {
    uint32_t len = le32(p + pos + 4);
    if (b.compare(pos, 4, "fmt ") == 0 && pos + 20 <= b.size()) byte_rate = le32(p + pos + 16);
    if (b.compare(pos, 4, "data") == 0) {
      if (!byte_rate) return std::nullopt;
      uint64_t avail = std::min<uint64_t>(len, b.size() - pos - 8);
      return static_cast<int64_t>(avail * 1000 / byte_rate);
    }
    pos += 8 + static_cast<size_t>(len) + (len & 1);
  }
  return std::nullopt;
}

std::optional<int64_t> ogg_duration(std::string_view b) {
  auto p = reinterpret_cast<const unsigned char*>(b.data());
  // Codec from the first page's packet.
  auto head = b.find("OpusHead");
  uint32_t rate = 0;
  uint64_t preskip = 0;
  if (head != std::string_view::npos && head < 512 && head + 19 <= b.size()) {
    rate = 48000;
    preskip = p[head + 10] | (p[head + 11] << 8);
  } else if (auto v = b.find("\x01vorbis"); v != std::string_view::npos && v < 512 && v + 16 <= b.size()) {
    rate = le32(p + v + 12);
  }
  if (!rate) return std::nullopt;
  // The last page's granule position is the total sample count.
  auto last = b.rfind("OggS");
  if (last == std::string_view::npos || last + 14 > b.size()) return std::nullopt;
  uint64_t granule = le64(p + last + 6);
  if (granule == ~0ULL || granule <= preskip) return std::nullopt;
  return static_cast<int64_t>((granule - preskip) * 1000 / rate);
}

std::optional<int64_t> mp3_duration(std::string_view b) {
  auto p = reinterpret_cast<const unsigned char*>(b.data());
  size_t pos = 0;
  if (b.size() >= 10 && b.compare(0, 3, "ID3") == 0)
    pos = 10 + ((p[6] & 0x7f) << 21 | (p[7] & 0x7f) << 14 | (p[8] & 0x7f) << 7 | (p[9] & 0x7f));
  // Find the first frame header (MPEG-1/2 Layer III).
  static const int kBitrates[2][16] = {{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0},
                                       {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0}};
  static const int kRates[3][4] = {{44100, 48000, 32000, 0}, {22050, 24000, 16000, 0}, {11025, 12000, 8000, 0}};
  for (size_t tries = 0; pos + 4 <= b.size() && tries < 65536; ++pos, ++tries) {
    if (p[pos] != 0xFF || (p[pos + 1] & 0xE0) != 0xE0) continue;
    int version = (p[pos + 1] >> 3) & 3;  // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
    int layer = (p[pos + 1] >> 1) & 3;    // 1 = Layer III
    int br_idx = p[pos + 2] >> 4, sr_idx = (p[pos + 2] >> 2) & 3;
    if (version == 1 || layer != 1 || br_idx == 0 || br_idx == 15 || sr_idx == 3) continue;
    bool mpeg1 = version == 3;
    int bitrate = kBitrates[mpeg1 ? 0 : 1][br_idx] * 1000;
    int rate = kRates[mpeg1 ? 0 : version == 2 ? 1 : 2][sr_idx];
    int samples = mpeg1 ? 1152 : 576;
    // A Xing/Info header gives the exact frame count (VBR files, lame's default).
    bool mono = (p[pos + 3] >> 6) == 3;
    size_t side = mpeg1 ? (mono ? 17 : 32) : (mono ? 9 : 17);
    size_t x = pos + 4 + side;
    if (x + 12 <= b.size() && (b.compare(x, 4, "Xing") == 0 || b.compare(x, 4, "Info") == 0) && (p[x + 7] & 1)) {
      uint32_t frames = be32(p + x + 8);
      if (frames == 0) return std::nullopt;
      return static_cast<int64_t>(static_cast<uint64_t>(frames) * samples * 1000 / rate);
    }
    return static_cast<int64_t>(static_cast<uint64_t>(b.size() - pos) * 8 * 1000 / bitrate);
  }
  return std::nullopt;
}

// ISO BMFF: moov → mvhd (timescale, duration).
std::optional<int64_t> mp4_duration(std::string_view b) {
  auto p = reinterpret_cast<const unsigned char*>(b.data());
  auto find_box = [&](size_t from, size_t to, std::string_view type) -> std::optional<std::pair<size_t, size_t>> {
    size_t pos = from;
    while (pos + 8 <= to) {
      uint64_t len = be32(p + pos);
      size_t hdr = 8;
      if (len == 1) {
        if (pos + 16 > to) return std::nullopt;
        len = be64(p + pos + 8);
        hdr = 16;
      } else if (len == 0) {
        len = to - pos;
      }
      if (len < hdr || len > to - pos) return std::nullopt;
      if (b.compare(pos + 4, 4, type) == 0) return std::make_pair(pos + hdr, pos + static_cast<size_t>(len));
      pos += static_cast<size_t>(len);
    }
    return std::nullopt;
  };
  auto moov = find_box(0, b.size(), "moov");
  if (!moov) return std::nullopt;
  auto mvhd = find_box(moov->first, moov->second, "mvhd");
  if (!mvhd || mvhd->first + 32 > mvhd->second) return std::nullopt;
  size_t q = mvhd->first;
  uint32_t scale;
  uint64_t dur;
  if (p[q] == 1) {
    scale = be32(p + q + 20);
    dur = be64(p + q + 24);
  } else {
    scale = be32(p + q + 12);
    dur = be32(p + q + 16);
  }
  if (!scale || !dur) return std::nullopt;
  return static_cast<int64_t>(dur * 1000 / scale);
}

// Matroska/WebM: Segment/Info/Duration (float, in TimecodeScale units, default 1 ms).
std::optional<int64_t> webm_duration(std::string_view b) {
  auto p = reinterpret_cast<const unsigned char*>(b.data());
  auto info = b.find("\x15\x49\xA9\x66");
  if (info == std::string_view::npos) return std::nullopt;
  size_t end = std::min(b.size(), info + 4096);
  uint64_t scale = 1000000;
  auto ts = b.substr(0, end).find("\x2A\xD7\xB1", info);
  if (ts != std::string_view::npos && ts + 4 < end && (p[ts + 3] & 0xF0) == 0x80) {
    size_t n = p[ts + 3] & 0x0F;
    if (n >= 1 && n <= 8 && ts + 4 + n <= end) {
      scale = 0;
      for (size_t i = 0; i < n; ++i) scale = (scale << 8) | p[ts + 4 + i];
    }
  }
  auto d = b.substr(0, end).find("\x44\x89", info);
  if (d == std::string_view::npos || d + 3 > end) return std::nullopt;
  size_t n = p[d + 2] == 0x84 ? 4 : p[d + 2] == 0x88 ? 8 : 0;
  if (!n || d + 3 + n > end) return std::nullopt;
  double v;
  if (n == 4) {
    uint32_t u = be32(p + d + 3);
    float f;
    std::memcpy(&f, &u, 4);
    v = f;
  } else {
    uint64_t u = be64(p + d + 3);
    std::memcpy(&v, &u, 8);
  }
  if (!(v > 0) || v > 1e13) return std::nullopt;
  return static_cast<int64_t>(v * static_cast<double>(scale) / 1e6);
}

void vips_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (VIPS_INIT("pbgdpl")) vips_error_clear();
    vips_concurrency_set(1);
    vips_cache_set_max(0);  // no operation cache: every upload is new
  });
}

struct VipsImage_ {
  VipsImage* p = nullptr;
  ~VipsImage_() {
    if (p) g_object_unref(p);
  }
};

Error vips_failed(std::string msg) {
  vips_error_clear();
  return Error::of(ErrorCode::Validation, std::move(msg), "file");
}

}  // namespace

std::optional<Sniffed> sniff(std::string_view b) {
  auto starts = [&](std::string_view m, size_t at = 0) { return b.size() >= at + m.size() && b.compare(at, m.size(), m) == 0; };
  if (starts("\xFF\xD8\xFF")) return Sniffed{"image", "image/jpeg", "jpg"};
  if (starts("\x89PNG\r\n\x1A\n")) return Sniffed{"image", "image/png", "png"};
  if (starts("GIF87a") || starts("GIF89a")) return Sniffed{"image", "image/gif", "gif"};
  if (starts("RIFF") && starts("WEBP", 8)) return Sniffed{"image", "image/webp", "webp"};
  if (starts("RIFF") && starts("WAVE", 8)) return Sniffed{"audio", "audio/wav", "wav"};
  if (starts("%PDF-")) return Sniffed{"pdf", "application/pdf", "pdf"};
  if (starts("OggS")) return Sniffed{"audio", "audio/ogg", b.find("OpusHead") < 512 ? "opus" : "ogg"};
  if (starts("ID3")) return Sniffed{"audio", "audio/mpeg", "mp3"};
  if (b.size() >= 2 && static_cast<unsigned char>(b[0]) == 0xFF && (static_cast<unsigned char>(b[1]) & 0xE6) == 0xE2)
    return Sniffed{"audio", "audio/mpeg", "mp3"};
  if (starts("ftyp", 4)) {
    if (starts("M4A ", 8) || starts("M4B ", 8)) return Sniffed{"audio", "audio/mp4", "m4a"};
    return Sniffed{"video", "video/mp4", "mp4"};
  }
  if (starts("\x1A\x45\xDF\xA3")) return Sniffed{"video", "video/webm", "webm"};
  return std::nullopt;
}

int64_t size_limit(std::string_view kind) {
  if (kind == "image") return 10LL << 20;
  if (kind == "pdf") return 20LL << 20;
  if (kind == "audio") return 40LL << 20;
  return 60LL << 20;  // video
}

std::optional<int64_t> media_duration_ms(std::string_view mime, std::string_view b) {
  if (mime == "audio/wav") return wav_duration(b);
  if (mime == "audio/ogg") return ogg_duration(b);
  if (mime == "audio/mpeg") return mp3_duration(b);
  if (mime == "audio/mp4" || mime == "video/mp4") return mp4_duration(b);
  if (mime == "video/webm") return webm_duration(b);
  return std::nullopt;
}

core::Result<ImageInfo> check_image(std::string_view bytes) {
  vips_once();
  VipsImage_ img;
  img.p = vips_image_new_from_buffer(bytes.data(), bytes.size(), "", "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
                                     VIPS_FAIL_ON_TRUNCATED, nullptr);
  if (!img.p) return vips_failed("Không đọc được ảnh: tệp bị hỏng hoặc không đúng định dạng.");
  ImageInfo info{vips_image_get_width(img.p), vips_image_get_height(img.p)};
  if (info.width <= 0 || info.height <= 0 || static_cast<int64_t>(info.width) * info.height > 40'000'000)
    return Error::of(ErrorCode::Validation, "Ảnh quá lớn (tối đa 40 triệu điểm ảnh).", "file");
  double avg = 0;
  if (vips_avg(img.p, &avg, nullptr)) return vips_failed("Ảnh bị hỏng: không giải mã được toàn bộ nội dung.");
  return info;
}

core::Result<std::string> image_variant(std::string_view bytes, int width) {
  vips_once();
  VipsImage_ out;
  if (vips_thumbnail_buffer(const_cast<char*>(bytes.data()), bytes.size(), &out.p, width, "size", VIPS_SIZE_DOWN,
                            nullptr))
    return vips_failed("Không tạo được ảnh thu nhỏ.");
  void* buf = nullptr;
  size_t len = 0;
  if (vips_webpsave_buffer(out.p, &buf, &len, "Q", 75, "strip", TRUE, nullptr))
    return vips_failed("Không lưu được ảnh thu nhỏ.");
  std::string s(static_cast<const char*>(buf), len);
  g_free(buf);
  return s;
}

const std::vector<int>& variant_widths() {
  static const std::vector<int> w = {320, 800};
  return w;
}

core::Result<Checked> check_upload(std::string_view filename, std::string_view bytes) {
  if (bytes.empty()) return Error::of(ErrorCode::Validation, "Tệp tải lên trống (0 byte).", "file");
  auto type = sniff(bytes);
  if (!type) {
    if (bytes.find("<svg") < 1024)
      return Error::of(ErrorCode::UnsupportedMediaType, "Không nhận ảnh SVG (có thể chứa mã chạy). Hãy dùng PNG hoặc JPEG.", "file");
    return Error::of(ErrorCode::UnsupportedMediaType,
                     "Không nhận dạng được tệp. Chỉ nhận ảnh (JPEG, PNG, GIF, WebP), âm thanh (MP3, Ogg/Opus, WAV, M4A), "
                     "video (MP4, WebM) và PDF.",
                     "file");
  }
  // The extension must agree with the content.
  auto dot = filename.rfind('.');
  std::string ext = dot == std::string_view::npos ? "" : ascii_lower(filename.substr(dot + 1));
  static const std::vector<std::pair<std::string_view, std::string_view>> kExt = {
      {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"png", "image/png"},   {"gif", "image/gif"},
      {"webp", "image/webp"}, {"wav", "audio/wav"},  {"pdf", "application/pdf"}, {"ogg", "audio/ogg"},
      {"oga", "audio/ogg"},  {"opus", "audio/ogg"},  {"mp3", "audio/mpeg"},  {"m4a", "audio/mp4"},
      {"mp4", "video/mp4"},  {"m4v", "video/mp4"},   {"webm", "video/webm"}};
  auto known = std::find_if(kExt.begin(), kExt.end(), [&](const auto& e) { return e.first == ext; });
  if (known == kExt.end())
    return Error::of(ErrorCode::UnsupportedMediaType, "Đuôi tệp “." + ext + "” không được chấp nhận.", "file");
  if (known->second != type->mime)
    return Error::of(ErrorCode::UnsupportedMediaType,
                     "Tệp có đuôi “." + ext + "” nhưng nội dung là " + type->mime + ". Hãy kiểm tra lại tệp.", "file");
  if (static_cast<int64_t>(bytes.size()) > size_limit(type->kind))
    return Error::of(ErrorCode::PayloadTooLarge,
                     "Tệp quá lớn: tối đa " + std::to_string(size_limit(type->kind) >> 20) + " MB cho loại tệp này.", "file");
  Checked c;
  c.type = *type;
  if (type->kind == "image") {
    auto info = check_image(bytes);
    if (!info) return info.take_error();
    c.image = *info;
  } else if (type->kind == "audio" || type->kind == "video") {
    auto d = media_duration_ms(type->mime, bytes);
    if (!d || *d <= 0)
      return Error::of(ErrorCode::Validation, "Không đọc được thời lượng: tệp âm thanh/video có thể bị hỏng.", "file");
    c.duration_ms = *d;
  } else if (type->kind == "pdf") {
    if (bytes.rfind("%%EOF") == std::string_view::npos || bytes.size() - bytes.rfind("%%EOF") > 1024)
      return Error::of(ErrorCode::Validation, "Tệp PDF bị cắt cụt hoặc bị hỏng (thiếu %%EOF).", "file");
  }
  return c;
}

}  // namespace pbgdpl::portal
