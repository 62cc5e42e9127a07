#include "engine/expr/types.h"

#include "engine/vocabulary.h"

namespace subsidy::expr {
namespace {

template <class Enum>
int find_in(std::string_view name) {
  auto e = parse_enum<Enum>(name);
  return e ? static_cast<int>(*e) : -1;
}

}  // namespace

std::string type_name(Type t) {
  std::string name;
  switch (t.base) {
    case BaseType::boolean: name = "bool"; break;
    case BaseType::integer: name = "int"; break;
    case BaseType::fen: name = "fen"; break;
    case BaseType::date: name = "date"; break;
    case BaseType::month: name = "month"; break;
    case BaseType::text: name = "text"; break;
    case BaseType::text_list: name = "text list"; break;
    case BaseType::program: name = "program"; break;
    case BaseType::entity_type: name = "entity type"; break;
    case BaseType::category: name = "category"; break;
    case BaseType::evidence_kind: name = "evidence kind"; break;
    case BaseType::scope: name = "scope"; break;
    case BaseType::line_effect: name = "line effect"; break;
    case BaseType::filing_finding: name = "filing finding"; break;
    case BaseType::entity_type_set: name = "set of entity types"; break;
    case BaseType::category_set: name = "set of categories"; break;
    case BaseType::evidence_kind_set: name = "set of evidence kinds"; break;
    case BaseType::registration_map: name = "registration type map"; break;
    case BaseType::literal_list: name = "list"; break;
  }
  if (t.nullable) name += " or null";
  return name;
}

bool is_enum(BaseType b) {
  return b == BaseType::program || b == BaseType::entity_type || b == BaseType::category ||
         b == BaseType::evidence_kind || b == BaseType::scope || b == BaseType::line_effect ||
         b == BaseType::filing_finding;
}

bool is_set(BaseType b) {
  return b == BaseType::entity_type_set || b == BaseType::category_set || b == BaseType::evidence_kind_set;
}

BaseType element_of(BaseType set) {
  switch (set) {
    case BaseType::entity_type_set: return BaseType::entity_type;
    case BaseType::category_set: return BaseType::category;
    default: return BaseType::evidence_kind;
  }
}

bool has_set_type(BaseType element) {
  return element == BaseType::entity_type || element == BaseType::category ||
         element == BaseType::evidence_kind;
}

BaseType set_of(BaseType element) {
  switch (element) {
    case BaseType::entity_type: return BaseType::entity_type_set;
    case BaseType::category: return BaseType::category_set;
    default: return BaseType::evidence_kind_set;
  }
}

bool is_ordered(BaseType b) {
  return b == BaseType::integer || b == BaseType::fen || b == BaseType::date || b == BaseType::month;
}

int enum_value(BaseType b, std::string_view name) {
  switch (b) {
    case BaseType::program: return find_in<Program>(name);
    case BaseType::entity_type: return find_in<EntityType>(name);
    case BaseType::category: return find_in<Category>(name);
    case BaseType::evidence_kind: return find_in<EvidenceKind>(name);
    case BaseType::scope: return find_in<Scope>(name);
    case BaseType::line_effect: return find_in<LineEffect>(name);
    case BaseType::filing_finding: return find_in<FilingFinding>(name);
    default: return -1;
  }
}

std::string_view enum_name(BaseType b, Value v) {
  switch (b) {
    case BaseType::program: return name_of(static_cast<Program>(v));
    case BaseType::entity_type: return name_of(static_cast<EntityType>(v));
    case BaseType::category: return name_of(static_cast<Category>(v));
    case BaseType::evidence_kind: return name_of(static_cast<EvidenceKind>(v));
    case BaseType::scope: return name_of(static_cast<Scope>(v));
    case BaseType::line_effect: return name_of(static_cast<LineEffect>(v));
    case BaseType::filing_finding: return name_of(static_cast<FilingFinding>(v));
    default: return "";
  }
}

}  // namespace subsidy::expr
