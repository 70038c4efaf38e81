#include "portal/sample.h"

#include <vips/vips.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/assets.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/utf8.h"

namespace pbgdpl::portal {

using core::Error;
using core::ErrorCode;
namespace fs = std::filesystem;

int run_tool(const std::vector<std::string>& argv);  // service.cpp

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string x;
  while (std::getline(ss, x, ',')) {
    auto t = std::string(core::trim(x));
    if (!t.empty()) out.push_back(t);
  }
  return out;
}

}  // namespace

core::Result<std::string> speak_wav(const std::string& text, const std::string& work_dir) {
  std::error_code ec;
  fs::create_directories(work_dir, ec);
  std::string base = work_dir + "/speak-" + core::random_hex(6);
  {
    std::ofstream f(base + ".txt", std::ios::binary);
    f << text;
  }
  int rc = run_tool({"espeak-ng", "-v", "vi", "-s", "150", "-f", base + ".txt", "-w", base + ".wav"});
  fs::remove(base + ".txt", ec);
  if (rc != 0) return Error::of(ErrorCode::Unavailable, "espeak-ng không chạy được (hãy cài gói espeak-ng).");
  return base + ".wav";
}

core::Result<std::string> encode_opus(const std::string& wav_path, const std::string& work_dir) {
  std::string out = work_dir + "/enc-" + core::random_hex(6) + ".opus";
  int rc = run_tool({"opusenc", "--quiet", "--speech", "--bitrate", "24", wav_path, out});
  if (rc != 0) return Error::of(ErrorCode::Unavailable, "opusenc không chạy được (hãy cài gói opus-tools).");
  std::string bytes = read_file(out);
  std::error_code ec;
  fs::remove(out, ec);
  return bytes;
}

core::Result<std::string> sample_png(int width, int height) {
  // check_image() has initialised libvips already when this runs in the service; be safe.
  if (VIPS_INIT("pbgdpl")) vips_error_clear();
  VipsImage* grad = nullptr;
  if (vips_xyz(&grad, width, height, nullptr)) return Error::of(ErrorCode::Internal, "vips_xyz");
  VipsImage* x = nullptr;
  vips_extract_band(grad, &x, 0, nullptr);
  g_object_unref(grad);
  // Blue (#0b5394) to light blue across the width, as three bands.
  double a[3] = {(230.0 - 11) / width, (240.0 - 83) / width, (250.0 - 148) / width};
  double b[3] = {11, 83, 148};
  VipsImage* rgb = nullptr;
  int rc = vips_linear(x, &rgb, a, b, 3, "uchar", TRUE, nullptr);
  g_object_unref(x);
  if (rc) return Error::of(ErrorCode::Internal, "vips_linear");
  void* buf = nullptr;
  size_t len = 0;
  rc = vips_pngsave_buffer(rgb, &buf, &len, nullptr);
  g_object_unref(rgb);
  if (rc) return Error::of(ErrorCode::Internal, "vips_pngsave");
  std::string s(static_cast<const char*>(buf), len);
  g_free(buf);
  return s;
}

core::Result<int> load_sample(Service& svc, const SlugOf& slug_of) {
  accounts::Actor a;
  a.name = "sample";
  const auto who = accounts::Service::system_principal();
  int created = 0;
  const std::string work = svc.options().data_dir + "/tmp";
  for (const auto& name : core::list_assets("portal/sample/")) {
    std::string src(*core::find_asset(name));
    auto sep = src.find("\n---\n");
    if (sep == std::string::npos) return Error::of(ErrorCode::Internal, "sample without header: " + name);
    std::map<std::string, std::string> h;
    std::stringstream hs(src.substr(0, sep));
    std::string line;
    while (std::getline(hs, line)) {
      auto colon = line.find(':');
      if (colon != std::string::npos) h[line.substr(0, colon)] = std::string(core::trim(line.substr(colon + 1)));
    }
    ItemInput in;
    in.kind = h["kind"];
    in.format = h.count("format") ? h["format"] : "bai_viet";
    in.title = h["title"];
    in.summary = h["summary"];
    in.body = src.substr(sep + 5);
    in.category = h["category"];
    in.audiences = split_list(h["audiences"]);
    in.topics = split_list(h["topics"]);
    in.org_code = h["org"];
    in.featured = h["featured"] == "1";
    in.media_url = h["video"];
    // Already there (the slug is made from the title)?
    auto existing = svc.view(slug_base(in.title), true);
    if (!existing) return existing.take_error();
    if (existing->has_value()) continue;
    for (const auto& ref : split_list(h["refs"])) {
      // "05/2026/NQ-HĐND#dieu-3"
      auto hash = ref.find('#');
      std::string slug = slug_of ? slug_of(ref.substr(0, hash)) : "";
      if (slug.empty()) continue;
      std::string anchor = hash == std::string::npos ? "" : ref.substr(hash + 1);
      for (auto& c : anchor)
        if (c == ':') c = '/';
      in.legal_refs.push_back("/van-ban/" + slug + (anchor.empty() ? "" : "/" + anchor));
    }
    if (h.count("image")) {
      auto png = sample_png(1200, 675);
      if (!png) return png.take_error();
      auto m = svc.upload(who, a, "infographic-" + core::random_hex(3) + ".png", *png, h["image"], "", in.org_code);
      if (!m) return m.take_error();
      in.cover_media_id = m->id;
    }
    if (h.count("audio")) {
      // The podcast's audio: the transcript read by espeak-ng.
      std::string transcript = in.body;
      auto wav = speak_wav(transcript, work);
      if (!wav) return wav.take_error();
      auto opus = encode_opus(*wav, work);
      std::error_code ec;
      fs::remove(*wav, ec);
      if (!opus) return opus.take_error();
      auto m = svc.upload(who, a, h["audio"], *opus, "", transcript, in.org_code);
      if (!m) return m.take_error();
      in.media_ids.push_back(m->id);
    }
    auto it = svc.create(who, a, in);
    if (!it) return Error::of(it.error().code, name + ": " + it.error().message);
    auto sub = svc.submit(who, a, it->id, it->version);
    if (!sub) return Error::of(sub.error().code, name + ": " + sub.error().message);
    auto pub = svc.publish(who, a, it->id, sub->version, {});
    if (!pub) return Error::of(pub.error().code, name + ": " + pub.error().message);
    ++created;
  }
  return created;
}

}  // namespace pbgdpl::portal
