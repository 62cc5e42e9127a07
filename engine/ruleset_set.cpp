#include "engine/ruleset_set.h"

#include <algorithm>
#include <boost/json/object.hpp>
#include <cassert>
#include <optional>
#include <utility>

#include "engine/json_reader.h"
#include "engine/ruleset_loader_common.h"
#include "engine/ruleset_loader_document.h"
#include "engine/ruleset_loader_merge.h"
#include "engine/sha256.h"

namespace subsidy {
namespace {

namespace json = boost::json;
using ruleset_loader::ErrorSink;

// One source on its way to a Ruleset.
struct Parsed {
  RulesetSource source;
  std::optional<json::value> document;  // when the text is JSON
  std::string id;                       // the document's "id" and "extends", when they are strings
  std::string extends;
  std::unique_ptr<Ruleset> ruleset;  // when it compiled without error
};

std::string string_member(const json::value& document, std::string_view name) {
  const json::object* object = document.if_object();
  const json::value* member = object ? object->if_contains(name) : nullptr;
  return member && member->is_string() ? std::string(member->get_string()) : std::string();
}

void parse(Parsed& p, std::vector<RulesetLoadError>& errors) {
  if (p.source.text.size() > ruleset_loader::file_bytes_max) {
    errors.push_back(
        {p.source.file_name, "", "", 0, "is larger than " + std::to_string(ruleset_loader::file_bytes_max) + " bytes"});
    return;
  }
  auto result = read_json(p.source.text);
  if (auto* error = std::get_if<JsonSyntaxError>(&result)) {
    errors.push_back({p.source.file_name, "", error->pointer, 0,
                      "invalid JSON at byte " + std::to_string(error->offset) + ": " + error->message});
    return;
  }
  p.document = std::move(std::get<json::value>(result));
  p.id = string_member(*p.document, "id");
  p.extends = string_member(*p.document, "extends");
}

void check_unique_ids(const std::vector<Parsed>& parsed, std::vector<RulesetLoadError>& errors) {
  for (std::size_t j = 0; j < parsed.size(); ++j) {
    for (std::size_t i = 0; i < j; ++i) {
      if (parsed[j].id.empty() || parsed[i].id != parsed[j].id) continue;
      errors.push_back({parsed[j].source.file_name, "", "/id", 0,
                        "ruleset id \"" + parsed[j].id + "\" is also the id of " + parsed[i].source.file_name});
      break;
    }
  }
}

void finish(Parsed& p, std::unique_ptr<Ruleset> rs, const ErrorSink& sink) {
  if (sink.count() != 0) return;
  rs->file_name = p.source.file_name;
  rs->sha256 = sha256_hex(p.source.text);
  rs->text = std::move(p.source.text);
  rs->index_for_evaluation();
  p.ruleset = std::move(rs);
}

void compile_base(Parsed& p, std::vector<RulesetLoadError>& errors) {
  ErrorSink sink(errors, p.source.file_name);
  auto rs = std::make_unique<Ruleset>();
  ruleset_loader::read_document(*p.document, *rs, sink);
  finish(p, std::move(rs), sink);
}

// The ruleset `p` amends, or nullptr and an error saying why it cannot be used.
Parsed* base_of(Parsed& p, std::vector<Parsed>& parsed, ErrorSink& sink) {
  auto it = std::find_if(parsed.begin(), parsed.end(), [&](const Parsed& q) { return q.id == p.extends && &q != &p; });
  std::string quoted = "\"" + p.extends + "\"";
  if (p.extends == p.id) {
    sink.add("/extends", "a ruleset cannot extend itself");
  } else if (it == parsed.end()) {
    sink.add("/extends", "extends " + quoted + ", which is not among the rulesets loaded with it");
  } else if (!it->extends.empty()) {
    sink.add("/extends", "extends " + quoted + ", which itself amends \"" + it->extends +
                             "\": an amendment must extend a ruleset that amends nothing");
  } else if (!it->ruleset) {
    sink.add("/extends", "cannot be merged onto " + quoted + ", which has errors of its own");
  } else {
    return &*it;
  }
  return nullptr;
}

void compile_amendment(Parsed& p, std::vector<Parsed>& parsed, std::vector<RulesetLoadError>& errors) {
  ErrorSink sink(errors, p.source.file_name);
  if (!p.document->is_object()) {
    sink.add("", "must be an object");
    return;
  }
  Parsed* base = base_of(p, parsed, sink);
  if (!base) return;
  json::value merged = ruleset_loader::merge_amendment(*base->document, base->source.file_name, *p.document, sink);
  auto rs = std::make_unique<Ruleset>();
  ruleset_loader::read_document(merged, *rs, sink);
  rs->base = base->ruleset.get();
  finish(p, std::move(rs), sink);
}

// Which ruleset governs a day must never be ambiguous: two that start on the same day would both
// govern it.
void check_starts(const std::vector<std::unique_ptr<Ruleset>>& sorted, std::vector<RulesetLoadError>& errors) {
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    const Ruleset& a = *sorted[i - 1];
    const Ruleset& b = *sorted[i];
    if (a.effective_from != b.effective_from) continue;
    errors.push_back({b.file_name, "", "/effective/from", 0,
                      "takes effect on " + format_date(b.effective_from) + ", the same day as " + a.id + " (" +
                          a.file_name + "): which one governs would be ambiguous"});
  }
}

}  // namespace

std::string RulesetLoadError::to_string() const {
  std::string where;
  if (!rule_id.empty()) where = "rule " + rule_id;
  if (!pointer.empty()) where += (where.empty() ? "at " : " at ") + pointer;
  if (column != 0) where += (where.empty() ? "column " : ", column ") + std::to_string(column);
  return file_name + ": " + (where.empty() ? "" : where + ": ") + message;
}

std::variant<RulesetSet, std::vector<RulesetLoadError>> RulesetSet::load(std::vector<RulesetSource> sources) {
  std::vector<RulesetLoadError> errors;
  if (sources.empty() || sources.size() > ruleset_loader::sources_max) {
    errors.push_back({"", "", "", 0, "give 1 to " + std::to_string(ruleset_loader::sources_max) + " ruleset files"});
    return errors;
  }
  std::vector<Parsed> parsed(sources.size());
  for (std::size_t i = 0; i < sources.size(); ++i) {
    parsed[i].source = std::move(sources[i]);
    parse(parsed[i], errors);
  }
  check_unique_ids(parsed, errors);
  // Bases first: an amendment is merged onto its base's document once the base is known good.
  for (Parsed& p : parsed) {
    if (p.document && p.extends.empty()) compile_base(p, errors);
  }
  for (Parsed& p : parsed) {
    if (p.document && !p.extends.empty()) compile_amendment(p, parsed, errors);
  }
  if (!errors.empty()) return errors;

  RulesetSet set;
  for (Parsed& p : parsed) set.rulesets_.push_back(std::move(p.ruleset));
  std::stable_sort(set.rulesets_.begin(), set.rulesets_.end(),
                   [](const auto& a, const auto& b) { return a->effective_from < b->effective_from; });
  check_starts(set.rulesets_, errors);
  if (!errors.empty()) return errors;
  return set;
}

const Ruleset* RulesetSet::governing(Date d) const {
  const Ruleset* found = nullptr;
  for (const auto& rs : rulesets_) {
    if (rs->in_force(d)) found = rs.get();  // ascending by effective_from: the last one starts latest
  }
  return found;
}

const Ruleset* RulesetSet::nearest(Date d) const {
  assert(!rulesets_.empty());
  if (const Ruleset* rs = governing(d)) return rs;
  const Ruleset* best = nullptr;
  long best_days = 0;
  for (const auto& rs : rulesets_) {
    long days = d < rs->effective_from ? (rs->effective_from - d).days() : (d - rs->effective_to).days();
    if (best == nullptr || days < best_days) {  // strict: of two equally near, the earlier stays
      best = rs.get();
      best_days = days;
    }
  }
  return best;
}

const Ruleset* RulesetSet::find(std::string_view id) const {
  for (const auto& rs : rulesets_) {
    if (rs->id == id) return rs.get();
  }
  return nullptr;
}

}  // namespace subsidy
