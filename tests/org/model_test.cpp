// Pure input rules of org/model.hpp (shared with people), as tables.
#include <gtest/gtest.h>

#include "org/model.hpp"

namespace hall::org {
namespace {

TEST(OrgModel, PhoneNumbers) {
  const std::vector<std::pair<std::string, bool>> cases = {
      {"", true},
      {"0731-22180001", true},
      {"+86 139 0000 0000", true},
      {"(0731) 2218 0001", true},
      {"110", true},
      {"12", false},                      // too short
      {"1-2", false},                     // fewer than 3 digits
      {"139 0000 0000 ext 1", false},     // letters
      {"'; DROP TABLE users; --", false},
      {"86+139", false},                  // "+" only in front
      {std::string(33, '1'), false},      // too long
      {"１３９００００００００", false},  // full-width digits
  };
  for (const auto& [v, ok] : cases) {
    EXPECT_EQ(is_valid_phone(v), ok) << v;
    if (!ok) {
      try {
        check_phone(v, "student.phone");
        ADD_FAILURE() << "accepted " << v;
      } catch (const ApiError& e) {
        EXPECT_EQ(e.code(), "invalid_phone");
        EXPECT_EQ(e.field(), "student.phone");
      }
    }
  }
}

TEST(OrgModel, Identifiers) {
  const std::vector<std::tuple<std::string, std::size_t, bool>> cases = {
      {"2023001001", 32, true}, {"S0101", 32, true},       {"wang.li@hut", 64, true}, {"a_b-c", 32, true},
      {"", 32, false},          {"a b", 32, false},        {"学号", 32, false},       {"a'--", 32, false},
      {"x\"", 32, false},       {std::string(33, 'a'), 32, false}, {std::string(32, 'a'), 32, true},
  };
  for (const auto& [v, max, ok] : cases) EXPECT_EQ(is_valid_identifier(v, max), ok) << v;
}

TEST(OrgModel, TrimAndBlanks) {
  EXPECT_EQ(trim("  a b \t"), "a b");
  EXPECT_EQ(trim("\xE3\x80\x80名称\xE3\x80\x80"), "名称");  // U+3000 ideographic spaces
  EXPECT_EQ(trim("   "), "");
  std::set<std::string> blanks;
  json::object in{{"phone", " "}, {"name", ""}, {"address", "x"}, {"n", 1}};
  json::object out = take_blanks(in, {"phone", "address", "n"}, blanks);
  EXPECT_EQ(blanks, (std::set<std::string>{"phone"}));
  EXPECT_TRUE(out.at("phone").is_null());
  EXPECT_EQ(out.at("name").as_string(), "");  // not allowed blank: left for JsonFields to refuse
  EXPECT_EQ(out.at("n").as_int64(), 1);
}

TEST(OrgModel, UniqueViolationField) {
  struct E : std::exception {
    std::string m;
    explicit E(std::string s) : m(std::move(s)) {}
    const char* what() const noexcept override { return m.c_str(); }
  };
  EXPECT_EQ(unique_violation_field(E("UNIQUE constraint failed: units.name"), {"code", "name"}), "name");
  EXPECT_EQ(unique_violation_field(E("duplicate key value violates unique constraint \"units_code_key\""), {"code", "name"}),
            "code");
  EXPECT_EQ(unique_violation_field(E("UNIQUE constraint failed: windows.hall_id, windows.number"), {"number"}), "number");
  EXPECT_EQ(unique_violation_field(E("something else"), {"code"}), "");
}

TEST(OrgModel, DeviceKinds) {
  for (const char* k : {"kiosk", "board", "rating_pad", "checkin"}) EXPECT_TRUE(is_device_kind(k)) << k;
  for (const char* k : {"admin", "student", "", "toaster"}) EXPECT_FALSE(is_device_kind(k)) << k;
}

}  // namespace
}  // namespace hall::org
