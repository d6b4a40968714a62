// The JSON writer behind every --json output (apps/json_writer.hpp).

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "apps/json_writer.hpp"

using fieldlab::apps::json_string;
using fieldlab::apps::JsonWriter;

TEST_CASE("strings are escaped and always valid UTF-8") {
  CHECK(json_string("a\"b\\c") == R"("a\"b\\c")");
  CHECK(json_string("line\nnext\ttab\r") == R"("line\nnext\ttab\r")");
  CHECK(json_string(std::string("nul\0x", 5)) == R"("nul\u0000x")");
  CHECK(json_string("\x7f") == R"("\u007f")");
  CHECK(json_string("caf\xc3\xa9 \xe2\x89\xa5 \xf0\x9f\x98\x80") ==
        "\"caf\xc3\xa9 \xe2\x89\xa5 \xf0\x9f\x98\x80\"");
  // Not UTF-8: a lone continuation byte, a truncated sequence, an overlong form, a surrogate.
  CHECK(json_string("\x80") == R"("\ufffd")");
  CHECK(json_string("\xc3") == R"("\ufffd")");
  CHECK(json_string("\xe2\x89") == R"("\ufffd\ufffd")");
  CHECK(json_string("\xc0\xaf") == R"("\ufffd\ufffd")");
  CHECK(json_string("\xed\xa0\x80") == R"("\ufffd\ufffd\ufffd")");
  CHECK(json_string("\xff/x") == R"("\ufffd/x")");
}

TEST_CASE("non-finite numbers are null and counted, never NaN or Infinity tokens") {
  JsonWriter j;
  j.begin_object();
  j.key("a").value(1.5).key("nan").value(std::nan(""));
  j.key("inf").value(std::numeric_limits<double>::infinity());
  j.key("list").values({1.0, -std::numeric_limits<double>::infinity(), 3.0});
  j.key("n").value(7LL).key("ok").value(true).key("s").value("x");
  j.key("empty").begin_array().end_array();
  j.key("nested").begin_array().begin_object().end_object().begin_array().value(0.0).end_array();
  j.end_array().end_object();
  CHECK(j.str() ==
        R"({"a": 1.5, "nan": null, "inf": null, "list": [1, null, 3], "n": 7, "ok": true, )"
        R"("s": "x", "empty": [], "nested": [{}, [0]]})");
  CHECK(j.nulls_for_non_finite() == 3);
}

TEST_CASE("numbers read back exactly") {
  JsonWriter j;
  j.begin_array().value(0.1).value(1e-300).value(123456789.125).value(-2.5e20).end_array();
  CHECK(j.str() == "[0.1, 1e-300, 123456789.125, -2.5e+20]");
}
