#include "engine/identity.h"

#include <doctest/doctest.h>

#include <string>

using namespace subsidy;

TEST_CASE("resident ID: the published GB 11643 vectors") {
  CHECK_FALSE(resident_id_problem("11010519491231002X").has_value());
  CHECK_FALSE(resident_id_problem("440524188001010014").has_value());
  CHECK(resident_id_problem("110105194912310021") == "check character is wrong");
  CHECK(resident_id_check_char("11010519491231002") == 'X');
  CHECK(resident_id_check_char("44052418800101001") == '4');
}

TEST_CASE("resident ID: every check character is reachable and only it passes") {
  // Varying the sequence number walks the check character through all eleven values.
  int seen = 0;
  for (int seq = 0; seq < 1000; ++seq) {
    std::string first17 = "11010519900101" +
                          std::string(seq < 10    ? "00"
                                      : seq < 100 ? "0"
                                                  : "") +
                          std::to_string(seq);
    auto check = resident_id_check_char(first17);
    REQUIRE(check.has_value());
    CHECK_FALSE(resident_id_problem(first17 + *check).has_value());
    for (char other : std::string("0123456789X")) {
      if (other != *check)
        CHECK(resident_id_problem(first17 + other) == "check character is wrong");
    }
    if (*check == 'X')
      seen |= 1 << 10;
    else
      seen |= 1 << (*check - '0');
  }
  CHECK(seen == (1 << 11) - 1);
}

TEST_CASE("resident ID: malformed numbers are described") {
  CHECK(resident_id_problem("") == "must be 18 characters");
  CHECK(resident_id_problem("11010519491231002") == "must be 18 characters");
  CHECK(resident_id_problem("11010519491231002X0") == "must be 18 characters");
  CHECK(resident_id_problem("110105491231002") == "must be 18 characters");  // old 15-digit form
  CHECK(resident_id_problem("11010519491231002x") == "check character must be an uppercase 'X'");
  CHECK(resident_id_problem("1101051949123100A2") == "characters 1-17 must be digits");
  CHECK(resident_id_problem("X10105194912310021") == "characters 1-17 must be digits");
  CHECK(resident_id_problem("11010519491231002Y") == "character 18 must be a digit or 'X'");
  CHECK(resident_id_problem("11010519491231002 ") == "character 18 must be a digit or 'X'");
  // Full-width digits are multi-byte in UTF-8, so the length is already wrong.
  CHECK(resident_id_problem("１１０１０５１９４９１２３１００２Ｘ") == "must be 18 characters");
}

TEST_CASE("resident ID: the birth date must be a real calendar date") {
  auto with_check = [](std::string first17) { return first17 + *resident_id_check_char(first17); };
  CHECK_FALSE(resident_id_problem(with_check("11010520000229001")).has_value());  // leap day
  CHECK(resident_id_problem(with_check("11010519000229001")) ==
        "birth date in the number is not a real date");  // 1900 was not a leap year
  CHECK(resident_id_problem(with_check("11010519491301001")) ==
        "birth date in the number is not a real date");
  CHECK(resident_id_problem(with_check("11010519490001001")) ==
        "birth date in the number is not a real date");
  CHECK(resident_id_problem(with_check("11010519490100001")) ==
        "birth date in the number is not a real date");
  CHECK(resident_id_problem(with_check("11010519490431001")) ==
        "birth date in the number is not a real date");
  CHECK(resident_id_problem(with_check("11010517991231001")) ==
        "birth date in the number is not a real date");
  CHECK_FALSE(resident_id_problem(with_check("11010518000101001")).has_value());
  // The birth date is checked before the check character: it is the more useful message.
  CHECK(resident_id_problem("110105194913310021") == "birth date in the number is not a real date");
}

TEST_CASE("resident ID check character needs 17 digits") {
  CHECK_FALSE(resident_id_check_char("1101051949123100").has_value());
  CHECK_FALSE(resident_id_check_char("110105194912310021").has_value());
  CHECK_FALSE(resident_id_check_char("1101051949123100A").has_value());
}

TEST_CASE("credit code: the published GB 32100 vectors") {
  CHECK_FALSE(credit_code_problem("91350100M000100Y43").has_value());
  CHECK_FALSE(credit_code_problem("91110000600037341L").has_value());
  CHECK(credit_code_problem("91350100M000100Y4Z") ==
        "characters must be digits or uppercase letters other than I, O, S, V, Z");
  CHECK(credit_code_check_char("91350100M000100Y4") == '3');
  CHECK(credit_code_check_char("91110000600037341") == 'L');
}

TEST_CASE("credit code: a wrong check character from the charset") {
  CHECK(credit_code_problem("91350100M000100Y44") == "check character is wrong");
  CHECK(credit_code_problem("91350100M000100Y40") == "check character is wrong");
  CHECK(credit_code_problem("91110000600037341M") == "check character is wrong");
  // A transposition of two characters is caught.
  CHECK(credit_code_problem("91350100M000010Y43") == "check character is wrong");
}

TEST_CASE("credit code: every check value, including 0 from 31, is reachable") {
  constexpr std::string_view charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  int seen_count = 0;
  bool seen[31] = {};
  for (char c : charset) {
    for (char d : charset) {
      std::string first17 = "91350100M000100" + std::string{c, d};
      auto check = credit_code_check_char(first17);
      REQUIRE(check.has_value());
      auto index = charset.find(*check);
      REQUIRE(index != std::string_view::npos);
      if (!seen[index]) ++seen_count;
      seen[index] = true;
      CHECK_FALSE(credit_code_problem(first17 + *check).has_value());
    }
  }
  CHECK(seen_count == 31);
}

TEST_CASE("credit code: malformed codes are described") {
  CHECK(credit_code_problem("") == "must be 18 characters");
  CHECK(credit_code_problem("91350100M000100Y4") == "must be 18 characters");
  CHECK(credit_code_problem("91350100M000100Y433") == "must be 18 characters");
  CHECK(credit_code_problem("91350100m000100Y43") == "letters must be uppercase");
  CHECK(credit_code_problem("91110000600037341l") == "letters must be uppercase");
  for (char bad : std::string("IOSVZ-* ")) {
    std::string code = "91350100M000100Y43";
    code[10] = bad;
    CHECK(credit_code_problem(code) ==
          "characters must be digits or uppercase letters other than I, O, S, V, Z");
  }
  CHECK_FALSE(credit_code_check_char("91350100M000100Y").has_value());
  CHECK_FALSE(credit_code_check_char("91350100M00010OY4").has_value());
}
