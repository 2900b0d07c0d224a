#include "config/fallback_graph.h"

#include <map>

namespace switchyard::config {
namespace {

enum class Mark { unvisited, on_path, done };

class CycleFinder {
 public:
  explicit CycleFinder(const std::vector<FallbackRule>& rules) {
    for (const auto& r : rules) edges_[r.group] = &r;
  }

  std::vector<FallbackCycle> run() {
    for (const auto& [group, rule] : edges_)
      if (mark_[group] == Mark::unvisited) visit(group);
    return std::move(cycles_);
  }

 private:
  // Iterative depth-first search: a config can list thousands of groups; no deep recursion.
  void visit(const std::string& start) {
    struct Frame {
      std::string group;
      std::size_t next = 0;
    };
    std::vector<Frame> stack{{start, 0}};
    mark_[start] = Mark::on_path;
    while (!stack.empty()) {
      auto& top = stack.back();
      const auto it = edges_.find(top.group);
      if (it == edges_.end() || top.next >= it->second->targets.size()) {
        mark_[top.group] = Mark::done;
        stack.pop_back();
        continue;
      }
      const std::string target = it->second->targets[top.next++];
      auto& m = mark_[target];
      if (m == Mark::on_path) {
        report(stack, target, it->second->where);
      } else if (m == Mark::unvisited) {
        m = Mark::on_path;
        stack.push_back({target, 0});
      }
    }
  }

  template <typename Stack>
  void report(const Stack& stack, const std::string& target, SourceLocation where) {
    std::string path;
    bool in_cycle = false;
    for (const auto& frame : stack) {
      if (frame.group == target) in_cycle = true;
      if (in_cycle) path += frame.group + " -> ";
    }
    cycles_.push_back({path + target, where});
  }

  std::map<std::string, const FallbackRule*> edges_;
  std::map<std::string, Mark> mark_;
  std::vector<FallbackCycle> cycles_;
};

}  // namespace

std::vector<FallbackCycle> find_fallback_cycles(const std::vector<FallbackRule>& rules) {
  return CycleFinder(rules).run();
}

}  // namespace switchyard::config
