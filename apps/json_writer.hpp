#pragma once
// The one JSON writer behind every --json output: strings escaped (quotes, backslashes, control
// characters; bytes that are not UTF-8 become U+FFFD so the output is always valid UTF-8), and
// never a NaN or Infinity token: a non-finite number is written as null and counted, so the
// command can say so on stderr and exit non-zero.
//
//   JsonWriter j;
//   j.begin_object().key("path").value(path).key("mean").value(m).end_object();
//   fmt::print("{}\n", j.str());

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fieldlab::apps {

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(double v);  // null when not finite (counted in nulls_for_non_finite)
  JsonWriter& value(float v) { return value(static_cast<double>(v)); }
  JsonWriter& value(long long v);
  JsonWriter& value(int v) { return value(static_cast<long long>(v)); }
  JsonWriter& value(long v) { return value(static_cast<long long>(v)); }
  JsonWriter& value(unsigned long long v);
  JsonWriter& value(unsigned long v) { return value(static_cast<unsigned long long>(v)); }
  JsonWriter& value(unsigned v) { return value(static_cast<unsigned long long>(v)); }
  JsonWriter& value(bool v);
  JsonWriter& null();
  // A list of numbers as one array.
  JsonWriter& values(const std::vector<double>& v);

  const std::string& str() const { return out_; }
  // How many non-finite numbers were written as null.
  int nulls_for_non_finite() const { return non_finite_; }

 private:
  void before_value();
  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
  int non_finite_ = 0;
};

// s as a JSON string literal (with the quotes).
std::string json_string(std::string_view s);

}  // namespace fieldlab::apps
