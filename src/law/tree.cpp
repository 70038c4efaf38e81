#include "law/tree.h"

#include <functional>

namespace pbgdpl::law {

namespace {
NodeKind kind_of(const std::string& s) {
  for (auto k : {NodeKind::Part, NodeKind::Chapter, NodeKind::Section, NodeKind::Subsection, NodeKind::Article,
                 NodeKind::Clause, NodeKind::Point})
    if (s == node_kind_code(k)) return k;
  return NodeKind::Article;
}

std::string heading_label(const Node& n) {
  switch (n.kind) {
    case NodeKind::Part: return "Phần " + n.number;
    case NodeKind::Chapter: return "Chương " + n.number;
    case NodeKind::Section: return "Mục " + n.number;
    case NodeKind::Subsection: return "Tiểu mục " + n.number;
    default: return n.number;
  }
}

void article_text(const Node& n, std::string& out, int depth) {
  if (depth > 0) {
    if (!out.empty()) out += '\n';
    out += n.kind == NodeKind::Clause ? n.number + ". " : n.number + ") ";
    out += n.text;
  } else if (!n.text.empty()) {
    out += n.text;
  }
  for (const auto& c : n.children) article_text(c, out, depth + 1);
}
}  // namespace

nlohmann::json tree_to_json(const std::vector<Node>& nodes) {
  auto arr = nlohmann::json::array();
  for (const auto& n : nodes) {
    nlohmann::json j = {{"kind", node_kind_code(n.kind)}, {"number", n.number}, {"anchor", n.anchor}};
    if (!n.title.empty()) j["title"] = n.title;
    if (!n.text.empty()) j["text"] = n.text;
    if (!n.children.empty()) j["children"] = tree_to_json(n.children);
    arr.push_back(std::move(j));
  }
  return arr;
}

std::vector<Node> tree_from_json(const nlohmann::json& j) {
  std::vector<Node> out;
  if (!j.is_array()) return out;
  for (const auto& e : j) {
    if (!e.is_object()) continue;
    Node n;
    n.kind = kind_of(e.value("kind", "dieu"));
    n.number = e.value("number", "");
    n.anchor = e.value("anchor", "");
    n.title = e.value("title", "");
    n.text = e.value("text", "");
    if (e.contains("children")) n.children = tree_from_json(e["children"]);
    out.push_back(std::move(n));
  }
  return out;
}

std::vector<Provision> flatten(const std::vector<Node>& body) {
  std::vector<Provision> out;
  std::function<void(const std::vector<Node>&, const std::string&)> walk = [&](const std::vector<Node>& nodes,
                                                                              const std::string& path) {
    for (const auto& n : nodes) {
      if (n.kind == NodeKind::Article) {
        Provision p;
        p.anchor = n.anchor;
        p.number = n.number;
        p.title = n.title;
        article_text(n, p.text, 0);
        p.path = path;
        p.ord = static_cast<int>(out.size());
        out.push_back(std::move(p));
      } else if (n.kind != NodeKind::Clause && n.kind != NodeKind::Point) {
        walk(n.children, path.empty() ? heading_label(n) : path + " › " + heading_label(n));
      }
    }
  };
  walk(body, "");
  return out;
}

const Node* find_anchor(const std::vector<Node>& nodes, const std::string& anchor) {
  for (const auto& n : nodes) {
    if (n.anchor == anchor) return &n;
    if (const Node* c = find_anchor(n.children, anchor)) return c;
  }
  return nullptr;
}

}  // namespace pbgdpl::law
