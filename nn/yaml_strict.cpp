#include "nn/yaml_strict.hpp"

#include <yaml-cpp/eventhandler.h>

#include <set>
#include <sstream>
#include <vector>

#include "core/error.hpp"

namespace fieldlab::nn {
namespace {

// Walks the parser's events (no node tree is built, so nothing can expand) and fails on the
// first construct a configuration must not contain.
class StrictChecker : public YAML::EventHandler {
 public:
  explicit StrictChecker(const std::string& source) : source_(source) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1)
      fail(ErrorKind::usage, "{}: more than one YAML document (a second '---' at line {})", source_,
           mark.line + 1);
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    check_anchor(mark, anchor);
    if (at_key())
      fail(ErrorKind::usage, "{}: line {}: a key is empty (write 'name: value')", source_,
           mark.line + 1);
    leaf(mark, "");
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    fail(ErrorKind::usage,
         "{}: line {}: aliases (*name) are not supported in configuration files; write the "
         "value out",
         source_, mark.line + 1);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string& value) override {
    check_anchor(mark, anchor);
    leaf(mark, value);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor, false);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor, true);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    bool map = false;
    bool at_key = true;  // maps: the next node is a key
    std::set<std::string> keys;
  };

  void check_anchor(const YAML::Mark& mark, YAML::anchor_t anchor) const {
    if (anchor != YAML::NullAnchor)
      fail(ErrorKind::usage,
           "{}: line {}: anchors (&name) are not supported in configuration files", source_,
           mark.line + 1);
  }
  bool at_key() const { return !stack_.empty() && stack_.back().map && stack_.back().at_key; }
  // A scalar or null finished: as a key it must be new in its mapping.
  void leaf(const YAML::Mark& mark, const std::string& value) {
    if (at_key() && !stack_.back().keys.insert(value).second)
      fail(ErrorKind::usage, "{}: line {}: duplicate key '{}' (each key may appear once)", source_,
           mark.line + 1, value);
    done();
  }
  void open(const YAML::Mark& mark, YAML::anchor_t anchor, bool map) {
    check_anchor(mark, anchor);
    if (at_key())
      fail(ErrorKind::usage, "{}: line {}: a key must be a plain value, not a list or mapping",
           source_, mark.line + 1);
    if (static_cast<int>(stack_.size()) >= kMaxYamlDepth)
      fail(ErrorKind::usage, "{}: line {}: nested more than {} levels deep", source_, mark.line + 1,
           kMaxYamlDepth);
    stack_.push_back({map, true, {}});
  }
  void close() {
    stack_.pop_back();
    done();
  }
  // A whole node finished: in a mapping, keys and values alternate.
  void done() {
    if (!stack_.empty() && stack_.back().map) stack_.back().at_key = !stack_.back().at_key;
  }

  const std::string& source_;
  std::vector<Frame> stack_;
  int documents_ = 0;
};

}  // namespace

YAML::Node load_yaml_strict(const std::string& text, const std::string& source) {
  try {
    {
      std::istringstream in(text);
      YAML::Parser parser(in);
      StrictChecker checker(source);
      while (parser.HandleNextDocument(checker)) {
      }
    }
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    if (e.mark.is_null()) fail(ErrorKind::usage, "{}: malformed YAML: {}", source, e.msg);
    fail(ErrorKind::usage, "{}: malformed YAML at line {}: {}", source, e.mark.line + 1, e.msg);
  }
}

}  // namespace fieldlab::nn
