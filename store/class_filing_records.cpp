#include "store/class_filing_records.h"

#include "engine/class_filing_parser.h"

#include <utility>
#include <variant>

namespace subsidy::store {
namespace rf = record_format;
namespace {

StoreError invalid(std::uint64_t seq, std::string message) {
  return store_error(StoreCode::invalid_argument, "class_filing: " + std::move(message), seq);
}

Result<ClassFiling> filing_of(const boost::json::object& body, std::uint64_t seq) {
  const boost::json::value* filing = body.if_contains("filing");
  if (filing == nullptr) return invalid(seq, "needs a \"filing\" object");
  auto parsed = parse_class_filing(*filing);
  if (auto* problems = std::get_if<Problems>(&parsed)) {
    return invalid(seq, "\"filing\"" + problems->front().pointer + ": " + problems->front().message);
  }
  return std::move(std::get<ClassFiling>(parsed));
}

}  // namespace

NewRecord class_filing_record(const ClassFiling& filing, std::string_view token_id, const std::string& decided_at) {
  NewRecord r;
  r.type = std::string(type_class_filing);
  r.body[rf::decided_at_field] = decided_at;
  r.body[rf::token_id_field] = token_id;
  r.body["filing"] = class_filing_json(filing);
  return r;
}

Status check_class_filing_body(const boost::json::object& body, std::uint64_t seq) {
  for (const auto& member : body) {
    std::string_view key = member.key();
    if (key != rf::decided_at_field && key != rf::token_id_field && key != "filing") {
      return invalid(seq, "unknown member \"" + std::string(key) + "\"");
    }
  }
  Result<ClassFiling> filing = filing_of(body, seq);
  if (!filing.ok()) return filing.error();
  return {};
}

Status apply_class_filing(const boost::json::object& record, MemorySystems& systems, std::uint64_t seq) {
  Result<ClassFiling> filing = filing_of(record, seq);
  if (!filing.ok()) return filing.error();
  if (systems.class_filing(filing.value().class_id) != nullptr) {
    return invalid(seq, "class_id " + filing.value().class_id + " is filed twice");
  }
  systems.file_class(std::move(filing).value(), seq);
  return {};
}

}  // namespace subsidy::store
