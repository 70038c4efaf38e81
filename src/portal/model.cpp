#include "portal/model.h"

#include <algorithm>

namespace pbgdpl::portal {

const std::vector<Code>& kinds() {
  static const std::vector<Code> v = {{"tin_bai", "Tin bài"}, {"trang", "Trang"}, {"tai_lieu", "Tài liệu PBGDPL"}};
  return v;
}

const std::vector<Code>& formats() {
  static const std::vector<Code> v = {{"bai_viet", "Bài viết"},
                                      {"so_tay", "Sổ tay điện tử"},
                                      {"to_gap", "Tờ gấp điện tử"},
                                      {"bai_giang", "Bài giảng điện tử"},
                                      {"infographic", "Infographic"},
                                      {"video", "Video"},
                                      {"audio", "Audio, podcast"},
                                      {"sach_noi", "Sách nói"},
                                      {"tinh_huong", "Tình huống pháp lý"}};
  return v;
}

const std::vector<Code>& audiences() {
  static const std::vector<Code> v = {{"hoc_sinh", "Học sinh – sinh viên"},
                                      {"dan_toc", "Đồng bào dân tộc thiểu số"},
                                      {"khuyet_tat", "Người khuyết tật"},
                                      {"doanh_nghiep", "Doanh nghiệp"},
                                      {"can_bo", "Cán bộ"},
                                      {"nguoi_dan", "Người dân"}};
  return v;
}

const std::vector<Code>& languages() {
  static const std::vector<Code> v = {{"vi", "Tiếng Việt"},   {"tay", "Tiếng Tày"},     {"nung", "Tiếng Nùng"},
                                      {"hmong", "Tiếng H'Mông"}, {"thai", "Tiếng Thái"},  {"dao", "Tiếng Dao"},
                                      {"muong", "Tiếng Mường"},  {"khmer", "Tiếng Khmer"}, {"cham", "Tiếng Chăm"},
                                      {"ede", "Tiếng Ê Đê"},    {"giarai", "Tiếng Gia Rai"}, {"bana", "Tiếng Ba Na"}};
  return v;
}

const std::vector<Code>& statuses() {
  static const std::vector<Code> v = {{"draft", "Bản nháp"},
                                      {"submitted", "Chờ duyệt"},
                                      {"approved", "Đã duyệt"},
                                      {"published", "Đã xuất bản"},
                                      {"unpublished", "Đã gỡ"}};
  return v;
}

const std::vector<Code>& categories() {
  static const std::vector<Code> v = {{"tin-hoat-dong", "Tin hoạt động"},
                                      {"phap-luat-doi-song", "Pháp luật và đời sống"},
                                      {"van-ban-moi", "Văn bản mới"},
                                      {"hoi-dap-tinh-huong", "Tình huống pháp lý"},
                                      {"tai-lieu-tuyen-truyen", "Tài liệu tuyên truyền"},
                                      {"gioi-thieu", "Giới thiệu"}};
  return v;
}

bool valid_code(const std::vector<Code>& codes, std::string_view c) {
  return std::any_of(codes.begin(), codes.end(), [&](const Code& x) { return x.code == c; });
}

std::string label_of(const std::vector<Code>& codes, std::string_view c) {
  for (const auto& x : codes)
    if (x.code == c) return std::string(x.label);
  return std::string(c);
}

std::string_view kind_path(std::string_view kind) {
  if (kind == "trang") return "trang";
  if (kind == "tai_lieu") return "tai-lieu";
  return "tin-tuc";
}

std::string_view language_tag(std::string_view lang) {
  // ISO 639 codes for the languages the plans name.
  static const std::pair<std::string_view, std::string_view> tags[] = {
      {"vi", "vi"},     {"tay", "tyz"},   {"nung", "nut"}, {"hmong", "hmn"}, {"thai", "blt"},   {"dao", "ium"},
      {"muong", "mtq"}, {"khmer", "km"},  {"cham", "cja"}, {"ede", "rad"},   {"giarai", "jra"}, {"bana", "bdq"}};
  for (const auto& [code, tag] : tags)
    if (code == lang) return tag;
  return "vi";
}

}  // namespace pbgdpl::portal
