#pragma once
// Plain data of the legal library: a document's header and its provision tree
// (Phần / Chương / Mục / Tiểu mục / Điều / Khoản / Điểm).
#include <cstdint>
#include <string>
#include <vector>

namespace pbgdpl::law {

enum class NodeKind { Part, Chapter, Section, Subsection, Article, Clause, Point };
/// "phan", "chuong", "muc", "tieu-muc", "dieu", "khoan", "diem" (used in anchors and JSON)
const char* node_kind_code(NodeKind k);

struct Node {
  NodeKind kind = NodeKind::Article;
  std::string number;  ///< "12", "12a", "II", "thứ nhất", "a", "đ"
  std::string title;   ///< heading text (Điều title, Chương name), may be empty
  std::string text;    ///< the node's own text (paragraphs joined by '\n'), without children
  std::string anchor;  ///< stable address inside the document: "dieu-12", "dieu-12-khoan-3-diem-a"
  int line = 0;        ///< 1-based source line of the heading
  std::vector<Node> children;
};

struct Header {
  std::string issuer;     ///< "QUỐC HỘI"
  std::string number;     ///< số ký hiệu, "68/2020/QH14"
  std::string place;      ///< "Hà Nội"
  std::string date;       ///< ISO date "2020-11-13"
  std::string doc_type;   ///< "Luật", "Bộ luật", "Hiến pháp", "Nghị định", …
  std::string title;      ///< "Luật Cư trú" style display title
  std::string signer_title;  ///< "CHỦ TỊCH QUỐC HỘI"
  std::string signer;        ///< "Nguyễn Thị Kim Ngân"
};

struct ParsedDocument {
  Header header;
  std::string preamble;  ///< căn cứ ban hành and other text before the first provision
  std::vector<Node> body;
  std::string closing;   ///< "Luật này đã được Quốc hội … thông qua ngày …"
};

}  // namespace pbgdpl::law

namespace pbgdpl::law {

/// A code with its Vietnamese label (types, statuses, relation kinds).
struct Code {
  const char* code;
  const char* label;
};

/// Loại văn bản: hien_phap, bo_luat, luat, …, nghi_quyet_hdnd, quyet_dinh_ubnd.
const std::vector<Code>& doc_types();
/// Tình trạng hiệu lực: con_hieu_luc, het_hieu_luc, het_hieu_luc_mot_phan, chua_co_hieu_luc, ngung_hieu_luc.
const std::vector<Code>& statuses();
/// Relation kinds with the label seen from the other side ("được sửa đổi, bổ sung bởi").
struct RelationKind {
  const char* code;
  const char* label;
  const char* reverse_label;
};
const std::vector<RelationKind>& relation_kinds();
const char* label_of(const std::vector<Code>& codes, const std::string& code);
bool valid_code(const std::vector<Code>& codes, const std::string& code);
/// "Luật" → "luat", "Bộ luật" → "bo_luat" (header type to code), "" when unknown.
std::string doc_type_code_for(const std::string& header_type);

struct DocumentMeta {
  std::string doc_type = "luat";
  std::string number;
  std::string title;
  std::string issuer;
  std::string signer;
  std::string issued_on;     ///< YYYY-MM-DD or ""
  std::string effective_on;
  std::string expires_on;
  std::string status = "con_hieu_luc";
  std::string field;         ///< lĩnh vực
  std::string scope = "trung_uong";  ///< trung_uong | dia_phuong
  std::string language = "vi";
  bool published = true;
};

struct Document : DocumentMeta {
  int64_t id = 0;
  std::string slug;
  std::string source_key;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct Relation {
  int64_t id = 0;
  int64_t other_id = 0;
  std::string other_slug;
  std::string other_title;
  std::string type;
  std::string label;  ///< seen from the document being read
  std::string note;
};

struct StatusChange {
  std::string status;
  std::string since;
  std::string note;
  int64_t created_at = 0;
};

struct Provision {
  int64_t document_id = 0;
  std::string anchor;
  std::string number;
  std::string title;
  std::string text;  ///< the article with its khoản/điểm, as plain text
  std::string path;  ///< "Chương II › Mục 1"
  int ord = 0;
};

}  // namespace pbgdpl::law
