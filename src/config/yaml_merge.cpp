#include "config/yaml_merge.h"

#include <vector>

namespace switchyard::config {
namespace {

constexpr int kMaxDepth = 64;
constexpr long kMaxVisits = 1'000'000;  // aliases share nodes: a small file can name a huge tree

class Expander {
 public:
  std::optional<MergeProblem> problem;

  void visit(YAML::Node node, int depth) {
    if (problem) return;
    if (depth > kMaxDepth || ++visits_ > kMaxVisits) {
      problem = MergeProblem{node.Mark(), "YAML nests or repeats aliases too deeply to read"};
      return;
    }
    if (node.IsSequence()) {
      for (auto item : node) visit(item, depth + 1);
      return;
    }
    if (!node.IsMap()) return;
    merge_into(node, depth);
    for (auto kv : node) visit(kv.second, depth + 1);
  }

 private:
  void merge_into(YAML::Node map, int depth) {
    YAML::Node sources;
    bool found = false;  // (a default-constructed Node counts as defined: a flag, not `!sources`)
    for (auto kv : map) {
      if (kv.first.IsScalar() && kv.first.Scalar() == "<<" && kv.first.Tag() != "!") {
        sources = kv.second;
        found = true;
        break;
      }
    }
    if (!found) return;
    std::vector<YAML::Node> list;
    if (sources.IsMap()) {
      list.push_back(sources);
    } else if (sources.IsSequence()) {
      for (auto s : sources) list.push_back(s);
    }
    if (list.empty() && !sources.IsMap()) {
      problem = MergeProblem{sources.Mark(), "merge key '<<' needs a mapping or a list of mappings (e.g. <<: *defaults)"};
      return;
    }
    map.remove("<<");
    const YAML::Node lookup = map;  // const operator[] never inserts
    for (auto source : list) {
      if (!source.IsMap()) {
        problem = MergeProblem{source.Mark(), "merge key '<<' needs a mapping or a list of mappings (e.g. <<: *defaults)"};
        return;
      }
      visit(source, depth + 1);  // a source may merge others itself
      if (problem) return;
      for (auto kv : source) {
        if (!kv.first.IsScalar()) continue;
        if (lookup[kv.first.Scalar()]) continue;  // explicit keys, then earlier sources, win
        map.force_insert(kv.first, kv.second);
      }
    }
  }

  long visits_ = 0;
};

}  // namespace

std::optional<MergeProblem> expand_merge_keys(YAML::Node root) {
  Expander e;
  e.visit(root, 0);
  return e.problem;
}

}  // namespace switchyard::config
