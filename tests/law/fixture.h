#pragma once
// Shared by the law integration tests: texts of our own in the official layout, and the
// small helpers that turn them into imports.
#include <string>

#include "law/importer.h"
#include "law/parser.h"
#include "law/service.h"

namespace pbgdpl::law::testdata {

/// A short law of our own (fictional), header and three articles.
inline const char* kLawV1 = R"(QUỐC HỘI
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Luật số: 77/2025/QH15
Hà Nội, ngày 12 tháng 6 năm 2025

LUẬT
THƯ VIỆN CỘNG ĐỒNG

Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;

Điều 1. Phạm vi điều chỉnh
Luật này quy định về thư viện cộng đồng ở thôn, bản, tổ dân phố.

Điều 2. Quyền của người đọc
1. Người đọc được mượn sách miễn phí.
2. Người đọc được đề nghị bổ sung sách mới.

Điều 3. Trách nhiệm của Ủy ban nhân dân cấp xã
Ủy ban nhân dân cấp xã bố trí chỗ đọc sách tại nhà văn hóa.

Luật này đã được Quốc hội thông qua ngày 12 tháng 6 năm 2025.

CHỦ TỊCH QUỐC HỘI

Nguyễn Văn Thử
)";

/// The same law with Điều 2 changed (a new khoản) and a new word only this version has.
inline const char* kLawV2 = R"(QUỐC HỘI
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Luật số: 77/2025/QH15
Hà Nội, ngày 12 tháng 6 năm 2025

LUẬT
THƯ VIỆN CỘNG ĐỒNG

Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;

Điều 1. Phạm vi điều chỉnh
Luật này quy định về thư viện cộng đồng ở thôn, bản, tổ dân phố.

Điều 2. Quyền của người đọc
1. Người đọc được mượn sách miễn phí.
2. Người đọc được đề nghị bổ sung sách mới.
3. Người đọc được nghe sách nói qua loa truyền thanh.

Điều 3. Trách nhiệm của Ủy ban nhân dân cấp xã
Ủy ban nhân dân cấp xã bố trí chỗ đọc sách tại nhà văn hóa.

Luật này đã được Quốc hội thông qua ngày 12 tháng 6 năm 2025.

CHỦ TỊCH QUỐC HỘI

Nguyễn Văn Thử
)";

/// A decree of our own that other documents can relate to.
inline const char* kDecree = R"(CHÍNH PHỦ
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 31/2025/NĐ-CP
Hà Nội, ngày 1 tháng 7 năm 2025

NGHỊ ĐỊNH
QUY ĐỊNH CHI TIẾT VỀ TỦ SÁCH NÔNG THÔN

Điều 1. Tủ sách nông thôn
Mỗi xã có ít nhất một tủ sách nông thôn đặt tại nhà văn hóa.

Điều 2. Kinh phí
Kinh phí mua sách do ngân sách cấp tỉnh bảo đảm.
)";

inline ImportInput input_of(const std::string& text, const std::string& source_key) {
  ImportInput in;
  in.parsed = parse_text(text);
  in.meta = meta_from_header(in.parsed, source_key);
  in.source_key = source_key;
  in.source_text = text;
  return in;
}

}  // namespace pbgdpl::law::testdata
