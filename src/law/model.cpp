#include "law/model.h"

namespace pbgdpl::law {

const std::vector<Code>& doc_types() {
  static const std::vector<Code> v = {
      {"hien_phap", "Hiến pháp"},
      {"bo_luat", "Bộ luật"},
      {"luat", "Luật"},
      {"phap_lenh", "Pháp lệnh"},
      {"nghi_quyet", "Nghị quyết"},
      {"nghi_dinh", "Nghị định"},
      {"quyet_dinh", "Quyết định"},
      {"thong_tu", "Thông tư"},
      {"thong_tu_lien_tich", "Thông tư liên tịch"},
      {"chi_thi", "Chỉ thị"},
      {"van_ban_hop_nhat", "Văn bản hợp nhất"},
      {"nghi_quyet_hdnd", "Nghị quyết HĐND"},
      {"quyet_dinh_ubnd", "Quyết định UBND"},
  };
  return v;
}

const std::vector<Code>& statuses() {
  static const std::vector<Code> v = {
      {"con_hieu_luc", "Còn hiệu lực"},
      {"het_hieu_luc_mot_phan", "Hết hiệu lực một phần"},
      {"het_hieu_luc", "Hết hiệu lực"},
      {"chua_co_hieu_luc", "Chưa có hiệu lực"},
      {"ngung_hieu_luc", "Ngưng hiệu lực"},
  };
  return v;
}

const std::vector<RelationKind>& relation_kinds() {
  static const std::vector<RelationKind> v = {
      {"sua_doi_bo_sung", "Sửa đổi, bổ sung", "Được sửa đổi, bổ sung bởi"},
      {"thay_the", "Thay thế", "Bị thay thế bởi"},
      {"bai_bo", "Bãi bỏ", "Bị bãi bỏ bởi"},
      {"huong_dan", "Hướng dẫn", "Được hướng dẫn bởi"},
      {"hop_nhat", "Hợp nhất", "Được hợp nhất trong"},
      {"can_cu", "Căn cứ", "Là căn cứ của"},
      {"dan_chieu", "Dẫn chiếu", "Được dẫn chiếu bởi"},
  };
  return v;
}

const char* label_of(const std::vector<Code>& codes, const std::string& code) {
  for (const auto& c : codes)
    if (code == c.code) return c.label;
  return "";
}

bool valid_code(const std::vector<Code>& codes, const std::string& code) {
  for (const auto& c : codes)
    if (code == c.code) return true;
  return false;
}

std::string doc_type_code_for(const std::string& header_type) {
  for (const auto& c : doc_types())
    if (header_type == c.label) return c.code;
  return "";
}

}  // namespace pbgdpl::law
