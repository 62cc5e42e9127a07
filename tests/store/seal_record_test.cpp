// seal_record() writes a record's canonical text by merging the members the store sets into the
// body's canonical text (no copy of the body): the text must be, byte for byte, RFC 8785 of the
// whole record, whatever names the body has around "prev_hash", "seq" and "type".
#include "audit/canonical_json.h"
#include "audit/digest.h"
#include "store/record.h"
#include "store/record_format.h"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <string>
#include <vector>

using namespace subsidy;
using namespace subsidy::store;
namespace json = boost::json;

namespace {

// The canonical text the old way: the whole record built as one object, then canonicalized.
std::string expected_text(const NewRecord& r, std::uint64_t seq, const audit::Digest& prev) {
  json::object full = r.body;
  full["seq"] = seq;
  full["type"] = r.type;
  full["prev_hash"] = audit::to_hex(prev);
  return audit::canonical_json(full).value();
}

}  // namespace

TEST_CASE("a sealed record's text is RFC 8785 of the whole record, whatever names sit beside the store's") {
  // Names that sort before, between and after prev_hash, seq and type, as bytes and as UTF-16:
  // prefixes, one letter more, upper case, '_', escapes (a quote, a control), non-ASCII.
  const std::vector<std::string> names = {"a",     "p",     "prev",  "prev_has", "prev_hasi", "prev_hasha", "q",
                                          "s",     "se",    "seqa",  "sep",      "t",         "ty",         "typf",
                                          "types", "u",     "Z",     "_",        "é",         "名",         "\"q",
                                          "\x01x", "prev\\", "sé",   "tý"};
  audit::Digest prev{};
  for (std::size_t i = 0; i < prev.size(); ++i) prev[i] = static_cast<unsigned char>(i * 7);
  for (std::size_t pick = 0; pick < names.size(); ++pick) {
    NewRecord r;
    r.type = "ruleset";  // a type whose body the store does not otherwise check
    r.body = json::parse(R"({"decided_at": "2024-06-30T10:00:00Z", "entries": [{"name": "湖滨区职业培训学校", "n": 1}]})").as_object();
    // Every other name in, so that each neighbourhood of the three is tried.
    for (std::size_t k = pick; k < names.size(); k += 2) r.body[names[k]] = static_cast<std::int64_t>(k);
    auto sealed = seal_record(audit::HashAlg::sha256, r, 7 + pick, prev);
    REQUIRE_MESSAGE(sealed.ok(), sealed.error().message);
    CHECK(sealed.value().canonical == expected_text(r, 7 + pick, prev));
  }
}
