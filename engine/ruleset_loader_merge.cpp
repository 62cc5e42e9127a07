#include "engine/ruleset_loader_merge.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cassert>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/vocabulary.h"

namespace subsidy::ruleset_loader {
namespace {

namespace json = boost::json;

std::string_view key_of(const json::key_value_pair& member) { return {member.key().data(), member.key().size()}; }

// Marks `pointer` of the merged document as the amendment's own (same pointer in its file).
void own(const std::string& pointer, ErrorSink& sink) { sink.add_origin({pointer, sink.file_name(), pointer}); }

void from_base(const std::string& pointer, const std::string& original, const std::string& base_file, ErrorSink& sink) {
  sink.add_origin({pointer, base_file, original});
}

// Adds the amendment's members of one parameter to the base's: dated values one by one.
void amend_parameter(json::object& merged, const json::object& amendment, const std::string& pointer, ErrorSink& sink) {
  for (const auto& member : amendment) {
    std::string member_pointer = pointer_append(pointer, key_of(member));
    const json::value* base_member = merged.if_contains(member.key());
    if (member.key() == "type" && base_member && *base_member != member.value()) {
      own(member_pointer, sink);
      sink.add(member_pointer, "an amendment cannot change a parameter's type (the base declares " +
                                   json::serialize(*base_member) + ")");
      continue;
    }
    json::object* base_values = base_member ? merged[member.key()].if_object() : nullptr;
    if (member.key() == "values" && base_values && member.value().is_object()) {
      for (const auto& dated : member.value().get_object()) {
        (*base_values)[dated.key()] = dated.value();
        own(pointer_append(member_pointer, key_of(dated)), sink);
      }
      continue;
    }
    merged[member.key()] = member.value();
    own(member_pointer, sink);
  }
}

json::object merge_parameters(const json::object& base, const json::value* amendment, const std::string& base_file,
                              ErrorSink& sink) {
  json::object out;
  for (const auto& member : base) {
    std::string pointer = pointer_append("/parameters", key_of(member));
    out[member.key()] = member.value();
    from_base(pointer, pointer, base_file, sink);
  }
  if (!amendment) return out;
  const json::object* parameters = amendment->if_object();
  if (!parameters) {
    sink.add("/parameters", "must be an object (name -> {...})");
    return out;
  }
  for (const auto& member : *parameters) {
    std::string pointer = pointer_append("/parameters", key_of(member));
    json::value* existing = out.if_contains(member.key());
    if (existing && existing->is_object() && member.value().is_object()) {
      amend_parameter(existing->get_object(), member.value().get_object(), pointer, sink);
    } else {
      out[member.key()] = member.value();
      own(pointer, sink);
    }
  }
  return out;
}

json::object merge_definitions(const json::object& base, const json::value* amendment, const std::string& base_file,
                               ErrorSink& sink) {
  json::object out;
  for (const auto& member : base) {
    std::string pointer = pointer_append("/definitions", key_of(member));
    out[member.key()] = member.value();
    from_base(pointer, pointer, base_file, sink);
  }
  if (!amendment) return out;
  if (!amendment->is_object()) {
    sink.add("/definitions", "must be an object (name -> expression)");
    return out;
  }
  for (const auto& member : amendment->get_object()) {
    out[member.key()] = member.value();
    own(pointer_append("/definitions", key_of(member)), sink);
  }
  return out;
}

// What identifies a rule for replacement: its id and its set of programs. Lenient: the merged
// document is checked properly when it is read.
struct RuleKey {
  std::string id;
  std::uint8_t programs = 0;
  bool operator==(const RuleKey&) const = default;
};

RuleKey key_of_rule(const json::value& rule) {
  RuleKey key;
  const json::object* object = rule.if_object();
  if (!object) return key;
  if (const json::value* id = object->if_contains("id"); id && id->is_string()) key.id = std::string(id->get_string());
  const json::value* programs = object->if_contains("programs");
  if (!programs || !programs->is_array()) return key;
  for (const json::value& p : programs->get_array()) {
    auto program = p.is_string() ? parse_enum<Program>(std::string_view(p.get_string())) : std::nullopt;
    if (program) key.programs = static_cast<std::uint8_t>(key.programs | (1u << static_cast<unsigned>(*program)));
  }
  return key;
}

struct RuleEntry {
  const json::value* rule;
  bool from_base;
  std::string original;  // pointer in its own file
};

json::array merge_rules(const json::array& base, const json::value* amendment, const std::string& base_file,
                        ErrorSink& sink) {
  std::vector<RuleEntry> entries;
  for (std::size_t i = 0; i < base.size(); ++i) entries.push_back({&base[i], true, pointer_append("/rules", i)});
  const json::array* rules = amendment ? amendment->if_array() : nullptr;
  if (amendment && !rules) sink.add("/rules", "must be an array of rules");
  for (std::size_t j = 0; rules && j < rules->size(); ++j) {
    RuleEntry entry{&(*rules)[j], false, pointer_append("/rules", j)};
    RuleKey key = key_of_rule(*entry.rule);
    bool replaced = false;
    for (RuleEntry& e : entries) {
      if (!e.from_base || key.id.empty() || key.programs == 0 || key_of_rule(*e.rule) != key) continue;
      e = entry;
      replaced = true;
      break;
    }
    if (!replaced) entries.push_back(entry);
  }
  json::array out;
  for (std::size_t k = 0; k < entries.size(); ++k) {
    out.push_back(*entries[k].rule);
    std::string pointer = pointer_append("/rules", k);
    if (entries[k].from_base)
      from_base(pointer, entries[k].original, base_file, sink);
    else
      sink.add_origin({pointer, sink.file_name(), entries[k].original});
  }
  return out;
}

}  // namespace

json::value merge_amendment(const json::value& base, const std::string& base_file, const json::value& amendment,
                            ErrorSink& sink) {
  assert(base.is_object() && amendment.is_object());
  const json::object& b = base.get_object();
  const json::object& a = amendment.get_object();
  json::object merged;
  for (const auto& member : a) {
    std::string_view key = key_of(member);
    if (key != "parameters" && key != "definitions" && key != "rules" && key != "targets")
      merged[member.key()] = member.value();
  }
  const json::object empty_object;
  const json::array empty_array;
  const json::value* base_parameters = b.if_contains("parameters");
  const json::value* base_definitions = b.if_contains("definitions");
  const json::value* base_rules = b.if_contains("rules");
  merged["parameters"] =
      merge_parameters(base_parameters && base_parameters->is_object() ? base_parameters->get_object() : empty_object,
                       a.if_contains("parameters"), base_file, sink);
  merged["definitions"] = merge_definitions(
      base_definitions && base_definitions->is_object() ? base_definitions->get_object() : empty_object,
      a.if_contains("definitions"), base_file, sink);
  merged["rules"] = merge_rules(base_rules && base_rules->is_array() ? base_rules->get_array() : empty_array,
                                a.if_contains("rules"), base_file, sink);
  if (const json::value* targets = a.if_contains("targets")) {
    merged["targets"] = *targets;
  } else if (const json::value* base_targets = b.if_contains("targets")) {
    merged["targets"] = *base_targets;
    from_base("/targets", "/targets", base_file, sink);
  }
  return merged;
}

}  // namespace subsidy::ruleset_loader
