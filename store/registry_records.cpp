#include "store/registry_records.h"

#include "audit/canonical_json.h"
#include "engine/problem.h"
#include "engine/registry_json.h"

#include <boost/json/array.hpp>

#include <optional>
#include <stdexcept>
#include <utility>

namespace subsidy::store {
namespace rf = record_format;
namespace {

StoreError invalid(std::uint64_t seq, std::string message) {
  return store_error(StoreCode::invalid_argument, "registry_import: " + std::move(message), seq);
}

NewRecord part(const RegistryImportFacts& facts, std::string_view token_id, const std::string& decided_at) {
  NewRecord r;
  r.type = std::string(type_registry_import);
  r.body[rf::decided_at_field] = decided_at;
  r.body["token_id"] = token_id;
  r.body["import"] = boost::json::object{{"sha256", facts.sha256},
                                         {"format", registry_format_name(facts.format)},
                                         {"rows", facts.rows},
                                         {"persons", facts.persons}};
  return r;
}

const boost::json::value* member(const boost::json::object& o, std::string_view name) { return o.if_contains(name); }

bool is_count(const boost::json::value* v) {
  return v != nullptr && ((v->is_int64() && v->get_int64() >= 0) || v->is_uint64());
}

std::size_t count_of(const boost::json::value& v) {
  return static_cast<std::size_t>(v.is_uint64() ? v.get_uint64() : static_cast<std::uint64_t>(v.get_int64()));
}

// The persons of a well-formed part, or the first thing wrong with it.
Result<std::vector<RegisteredPerson>> part_persons(const boost::json::object& body, std::uint64_t seq) {
  const boost::json::value* import = member(body, "import");
  const boost::json::object* facts = import ? import->if_object() : nullptr;
  if (!facts) return invalid(seq, "needs an \"import\" object");
  const boost::json::value* sha = member(*facts, "sha256");
  if (!sha || !sha->is_string() || sha->get_string().size() != 64) {
    return invalid(seq, "\"import\".\"sha256\" must be 64 hex digits");
  }
  const boost::json::value* format = member(*facts, "format");
  if (!format || !format->is_string() ||
      (format->get_string() != registry_format_name(RegistryFormat::csv) &&
       format->get_string() != registry_format_name(RegistryFormat::json_lines))) {
    return invalid(seq, "\"import\".\"format\" must be \"csv\" or \"json_lines\"");
  }
  if (!is_count(member(*facts, "rows")) || !is_count(member(*facts, "persons"))) {
    return invalid(seq, "\"import\".\"rows\" and \"persons\" must be counts");
  }
  const boost::json::value* persons = member(body, "persons");
  if (!persons || !persons->is_array()) return invalid(seq, "needs a \"persons\" array");
  std::vector<RegisteredPerson> out;
  out.reserve(persons->get_array().size());
  Problems problems;
  for (std::size_t i = 0; i < persons->get_array().size(); ++i) {
    std::optional<RegisteredPerson> p =
        registry_person_from_json(persons->get_array()[i], pointer_append("/persons", i), problems);
    if (!problems.empty()) return invalid(seq, problems.front().pointer + ": " + problems.front().message);
    if (p) out.push_back(std::move(*p));
  }
  return out;
}

}  // namespace

std::string_view registry_format_name(RegistryFormat format) {
  return format == RegistryFormat::csv ? "csv" : "json_lines";
}

std::vector<NewRecord> registry_import_records(const RegistryImportFacts& facts,
                                               const std::vector<RegisteredPerson>& persons,
                                               std::string_view token_id, const std::string& decided_at) {
  // Each part's persons as canonical text ("[p1,p2,…]"), then each part's other members around it:
  // the persons are never all JSON values at once.
  std::vector<std::string> persons_texts(1, "[");
  for (const RegisteredPerson& p : persons) {
    audit::Result<std::string> text = audit::canonical_json(registry_person_json(p));
    if (!text.ok()) throw std::invalid_argument("registry person " + p.id_number + ": " + text.error().message);
    std::string& current = persons_texts.back();
    if (current.size() > 1 && current.size() + text.value().size() + 1 > registry_part_persons_bytes_max) {
      current += ']';
      persons_texts.emplace_back("[");
    }
    if (persons_texts.back().size() > 1) persons_texts.back() += ',';
    persons_texts.back() += text.value();
  }
  persons_texts.back() += ']';
  std::vector<NewRecord> parts;
  parts.reserve(persons_texts.size());
  for (std::size_t i = 0; i < persons_texts.size(); ++i) {
    NewRecord r = part(facts, token_id, decided_at);
    r.body["part"] = i + 1;
    r.body["parts"] = persons_texts.size();
    audit::Result<std::string> rest = audit::canonical_json(r.body);
    if (!rest.ok()) throw std::invalid_argument("registry import: " + rest.error().message);
    r.canonical_body = audit::with_canonical_members(rest.value(), {{"persons", persons_texts[i]}});
    r.body = {};
    r.returned_with_text = i + 1 == persons_texts.size();  // the import is answered with its last part
    std::string().swap(persons_texts[i]);
    parts.push_back(std::move(r));
  }
  return parts;
}

Status check_registry_import_body(const boost::json::object& body, std::uint64_t seq) {
  Result<std::vector<RegisteredPerson>> persons = part_persons(body, seq);
  if (!persons.ok()) return persons.error();
  const boost::json::value* part_no = member(body, "part");
  const boost::json::value* parts = member(body, "parts");
  if (!is_count(part_no) || !is_count(parts) || count_of(*part_no) < 1 || count_of(*part_no) > count_of(*parts)) {
    return invalid(seq, "\"part\" must be from 1 to \"parts\"");
  }
  return {};
}

RegistryImportFacts registry_import_facts(const boost::json::object& body) {
  const boost::json::object& o = body.at("import").get_object();
  RegistryImportFacts f;
  f.sha256 = std::string(o.at("sha256").get_string());
  f.format = o.at("format").get_string() == "csv" ? RegistryFormat::csv : RegistryFormat::json_lines;
  f.rows = count_of(o.at("rows"));
  f.persons = count_of(o.at("persons"));
  return f;
}

Status apply_registry_import(const boost::json::object& record, MemoryRegistry& registry, std::uint64_t seq) {
  Result<std::vector<RegisteredPerson>> persons = part_persons(record, seq);
  if (!persons.ok()) return persons.error();
  const boost::json::value* part_no = member(record, "part");
  if (!is_count(part_no)) return invalid(seq, "needs a \"part\" number");
  RegistryImportFacts facts = registry_import_facts(record);
  registry.note_import_part(facts.sha256, seq, count_of(*part_no), facts.rows, facts.persons);
  for (RegisteredPerson& p : persons.value()) registry.replace(std::move(p), seq);
  return {};
}

}  // namespace subsidy::store
