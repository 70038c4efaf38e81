#pragma once
// Plain data of the legal library: a document's header and its provision tree
// (Phần / Chương / Mục / Tiểu mục / Điều / Khoản / Điểm).
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
