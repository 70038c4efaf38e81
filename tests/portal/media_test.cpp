// Upload checks without a database: the type comes from the bytes, the extension must agree,
// sizes are limited per type, corrupted files are refused with a Vietnamese message, and
// images, WAV and Ogg Opus files made by the real tools (libvips, espeak-ng, opusenc) pass.
#include "portal/media.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "portal/sample.h"
#include "support.h"

namespace pbgdpl::portal {
namespace {

using pbgdpl::testing::TempDir;
using namespace std::string_literals;

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Sniff, TypeComesFromTheBytes) {
  EXPECT_EQ(sniff("\xFF\xD8\xFF\xE0rest")->mime, "image/jpeg");
  EXPECT_EQ(sniff(std::string("\x89PNG\r\n\x1A\n", 8) + "x")->mime, "image/png");
  EXPECT_EQ(sniff("GIF89a...")->mime, "image/gif");
  EXPECT_EQ(sniff("RIFF\x10\0\0\0WEBPVP8 "s)->mime, "image/webp");
  EXPECT_EQ(sniff("RIFF\x10\0\0\0WAVEfmt "s)->mime, "audio/wav");
  EXPECT_EQ(sniff("%PDF-1.7\n")->kind, "pdf");
  EXPECT_EQ(sniff("ID3\x04\0\0\0\0\0\0"s)->mime, "audio/mpeg");
  EXPECT_EQ(sniff(std::string("\0\0\0\x20" "ftypisom", 12))->mime, "video/mp4");
  EXPECT_EQ(sniff(std::string("\0\0\0\x20" "ftypM4A ", 12))->mime, "audio/mp4");
  EXPECT_EQ(sniff("\x1A\x45\xDF\xA3")->mime, "video/webm");
  EXPECT_FALSE(sniff("<html><script>alert(1)</script>"));
  EXPECT_FALSE(sniff("MZ\x90\0"s));  // a Windows program
  EXPECT_FALSE(sniff(""));
}

TEST(Upload, RefusesWhatIsNotWhatItSays) {
  auto png = sample_png(64, 48);
  ASSERT_TRUE(png.ok()) << png.error().message;
  auto ok = check_upload("so-do.png", *png);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->type.mime, "image/png");
  EXPECT_EQ(ok->image.width, 64);
  EXPECT_EQ(ok->image.height, 48);

  // A PNG named .jpg, a PDF named .png: the extension lies.
  auto lying = check_upload("anh.jpg", *png);
  ASSERT_FALSE(lying.ok());
  EXPECT_EQ(lying.error().code, core::ErrorCode::UnsupportedMediaType);
  EXPECT_NE(lying.error().message.find("đuôi"), std::string::npos) << lying.error().message;
  auto pdf_as_png = check_upload("anh.png", "%PDF-1.4\n1 0 obj\n%%EOF\n");
  ASSERT_FALSE(pdf_as_png.ok());
  EXPECT_NE(pdf_as_png.error().message.find("application/pdf"), std::string::npos);
  // An HTML page or a program renamed to .png is not an image at all.
  auto html = check_upload("anh.png", "<html><body onload=alert(1)></body></html>");
  ASSERT_FALSE(html.ok());
  EXPECT_EQ(html.error().code, core::ErrorCode::UnsupportedMediaType);
  auto svg = check_upload("logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>");
  ASSERT_FALSE(svg.ok());
  EXPECT_NE(svg.error().message.find("SVG"), std::string::npos);
  // Empty.
  auto empty = check_upload("rong.png", "");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("trống"), std::string::npos);
  // Unknown extension even with good bytes.
  EXPECT_FALSE(check_upload("anh.exe", *png).ok());
  EXPECT_FALSE(check_upload("khong-duoi", *png).ok());
}

TEST(Upload, SizeLimitsPerType) {
  std::string big(std::string("\x89PNG\r\n\x1A\n", 8));
  big.resize(static_cast<size_t>(size_limit("image")) + 1, '\0');
  auto r = check_upload("lon.png", big);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::PayloadTooLarge);
  EXPECT_NE(r.error().message.find("10 MB"), std::string::npos) << r.error().message;
  EXPECT_LT(size_limit("image"), size_limit("audio"));
  EXPECT_LT(size_limit("audio"), size_limit("video"));
}

TEST(Upload, CorruptedFilesAreRefused) {
  auto png = sample_png(200, 120);
  ASSERT_TRUE(png.ok());
  // Truncated in the middle of the pixel data.
  auto cut = check_upload("hong.png", png->substr(0, png->size() / 2));
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().code, core::ErrorCode::Validation);
  EXPECT_NE(cut.error().message.find("hỏng"), std::string::npos) << cut.error().message;
  // A JPEG header and nothing else.
  EXPECT_FALSE(check_upload("hong.jpg", std::string("\xFF\xD8\xFF\xE0\0\x10JFIF\0", 11)).ok());
  // A WAV header without data, an Ogg page without a codec header.
  EXPECT_FALSE(check_upload("hong.wav", std::string("RIFF\x24\0\0\0WAVEfmt ", 16)).ok());
  EXPECT_FALSE(check_upload("hong.ogg", "OggS\0\x02garbage"s).ok());
  // A PDF cut before its end marker.
  EXPECT_FALSE(check_upload("hong.pdf", "%PDF-1.4\n1 0 obj << >> endobj\n").ok());
}

TEST(Upload, RealAudioFromEspeakAndOpusenc) {
  TempDir dir;
  auto wav = speak_wav("Xin chào bà con. Đây là bản tin pháp luật của xã.", dir.str());
  ASSERT_TRUE(wav.ok()) << wav.error().message;
  std::string wav_bytes = read(*wav);
  auto w = check_upload("ban-tin.wav", wav_bytes);
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->type.mime, "audio/wav");
  EXPECT_GT(w->duration_ms, 1500);
  EXPECT_LT(w->duration_ms, 15000);
  auto opus = encode_opus(*wav, dir.str());
  ASSERT_TRUE(opus.ok()) << opus.error().message;
  auto o = check_upload("ban-tin.opus", *opus);
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o->type.mime, "audio/ogg");
  // The same speech, two containers: durations agree within 100 ms.
  EXPECT_NEAR(static_cast<double>(o->duration_ms), static_cast<double>(w->duration_ms), 100.0);
  // Named .mp3 but Ogg inside.
  EXPECT_FALSE(check_upload("ban-tin.mp3", *opus).ok());
}

TEST(Upload, VariantsAreSmallWebp) {
  auto png = sample_png(1600, 900);
  ASSERT_TRUE(png.ok());
  auto v = image_variant(*png, 320);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(sniff(*v)->mime, "image/webp");
  auto info = check_image(*v);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->width, 320);
  EXPECT_EQ(info->height, 180);
}

TEST(Multipart, ParsesFieldsAndFiles) {
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\nẢnh hội nghị\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a;b \\\"c\\\".png\"\r\nContent-Type: image/png\r\n\r\n"
      "\x89PNG\r\n--not-a-boundary\r\n"
      "--XyZ--\r\n";
  auto parts = parse_multipart("multipart/form-data; boundary=XyZ", body);
  ASSERT_TRUE(parts.ok()) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "alt");
  EXPECT_EQ((*parts)[0].data, "Ảnh hội nghị");
  EXPECT_EQ((*parts)[1].filename, "a;b \"c\".png");
  EXPECT_EQ((*parts)[1].data, "\x89PNG\r\n--not-a-boundary");
  auto quoted = parse_multipart("multipart/form-data; boundary=\"a b\"", "--a b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--a b--");
  ASSERT_TRUE(quoted.ok());
  EXPECT_EQ((*quoted)[0].data, "1");
}

TEST(Multipart, BadFramingIs4xx) {
  auto no_boundary = parse_multipart("multipart/form-data", "x");
  ASSERT_FALSE(no_boundary.ok());
  EXPECT_EQ(no_boundary.error().code, core::ErrorCode::BadRequest);
  EXPECT_EQ(parse_multipart("application/json", "{}").error().code, core::ErrorCode::UnsupportedMediaType);
  // Truncated: no closing delimiter after the file.
  auto cut = parse_multipart("multipart/form-data; boundary=B",
                             "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n\x89PNG");
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.error().message.find("cắt cụt"), std::string::npos);
  EXPECT_FALSE(parse_multipart("multipart/form-data; boundary=B", "--B\r\nContent-Type: text/plain\r\n\r\nx\r\n--B--").ok());
  EXPECT_FALSE(parse_multipart("multipart/form-data; boundary=B", "--B\r\nContent-Disposition: form-data; name=\"\xFF\"\r\n\r\nx\r\n--B--").ok());
}

}  // namespace
}  // namespace pbgdpl::portal
