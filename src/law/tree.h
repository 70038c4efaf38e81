#pragma once
// The provision tree as JSON (stored per version, served by the API) and flattening of
// articles into provisions for addressing and search.
#include <nlohmann/json.hpp>

#include <vector>

#include "law/model.h"

namespace pbgdpl::law {

nlohmann::json tree_to_json(const std::vector<Node>& nodes);
std::vector<Node> tree_from_json(const nlohmann::json& j);
/// Articles with their khoản/điểm text, in order, with the container path ("Chương II › Mục 1").
std::vector<Provision> flatten(const std::vector<Node>& body);
/// The node with this anchor, or nullptr.
const Node* find_anchor(const std::vector<Node>& nodes, const std::string& anchor);

}  // namespace pbgdpl::law
