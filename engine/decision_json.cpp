#include "engine/decision_json.h"

#include "engine/calendar.h"
#include "engine/expr/types.h"

#include <boost/json/array.hpp>

#include <algorithm>
#include <array>
#include <charconv>

namespace subsidy {
namespace {

using expr::BaseType;

template <std::size_t N>
std::string join_set(std::uint64_t bits, const std::array<std::string_view, N>& names, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < N; ++i) {
    if (!((bits >> i) & 1u)) continue;
    if (!out.empty()) out += separator;
    out += names[i];
  }
  return out;
}

std::string format_value(expr::Type type, expr::Value v, bool chinese) {
  switch (type.base) {
    case BaseType::boolean: return v ? "true" : "false";
    case BaseType::integer: return std::to_string(v);
    case BaseType::fen: return format_yuan(Fen(v));
    case BaseType::date:
      if (v == expr::null_value) return "-";
      return format_date(Date(boost::gregorian::gregorian_calendar::from_day_number(static_cast<std::uint32_t>(v))));
    case BaseType::month: return Month::from_index(static_cast<std::int32_t>(v)).to_string();
    case BaseType::entity_type:
      return std::string(chinese ? entity_type_names_zh[static_cast<std::size_t>(v)] : entity_type_names[static_cast<std::size_t>(v)]);
    case BaseType::category:
      return std::string(chinese ? category_names_zh[static_cast<std::size_t>(v)] : category_names[static_cast<std::size_t>(v)]);
    case BaseType::evidence_kind_set:
      return chinese ? join_set(static_cast<std::uint64_t>(v), evidence_kind_names_zh, "、")
                     : join_set(static_cast<std::uint64_t>(v), evidence_kind_names, ", ");
    case BaseType::category_set:
      return chinese ? join_set(static_cast<std::uint64_t>(v), category_names_zh, "、")
                     : join_set(static_cast<std::uint64_t>(v), category_names, ", ");
    case BaseType::entity_type_set:
      return chinese ? join_set(static_cast<std::uint64_t>(v), entity_type_names_zh, "、")
                     : join_set(static_cast<std::uint64_t>(v), entity_type_names, ", ");
    default: return std::string(expr::enum_name(type.base, v));
  }
}

// Replaces each {name} of `text` by the hit's argument of that name.
std::string render(const std::string& text, const RuleHit& hit, bool chinese) {
  std::string out;
  out.reserve(text.size() + 16);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') {  // the text up to the next '{' as it is
      std::size_t open = text.find('{', i);
      if (open == std::string::npos) open = text.size();
      out.append(text, i, open - i);
      i = open - 1;
      continue;
    }
    std::size_t close = text.find('}', i);
    if (close == std::string::npos) {
      out += text[i];
      continue;
    }
    std::string_view name(text.data() + i + 1, close - i - 1);
    const auto& args = hit.rule->args;
    auto arg = std::find_if(args.begin(), args.end(), [&](const MessageArg& a) { return a.name == name; });
    if (arg == args.end()) {
      out += text[i];
      continue;
    }
    out += format_value(arg->program.type, hit.args[static_cast<std::size_t>(arg - args.begin())], chinese);
    i = close;
  }
  return out;
}

bool same_reason(const RuleHit& a, const RuleHit& b) {
  return a.rule == b.rule && a.kind == b.kind && a.args == b.args;
}

struct Reason {
  const RuleHit* hit;
  std::vector<std::size_t> lines;
  std::vector<Seq> refs;
};

constexpr std::size_t whole_decision = static_cast<std::size_t>(-1);

void add_to_reasons(std::vector<Reason>& reasons, const Decision& d, const RuleHit& hit, std::size_t line) {
  auto it = std::find_if(reasons.begin(), reasons.end(), [&](const Reason& r) { return same_reason(*r.hit, hit); });
  if (it == reasons.end()) it = reasons.insert(reasons.end(), Reason{&hit, {}, {}});
  if (line != whole_decision) it->lines.push_back(line);
  it->refs.insert(it->refs.end(), d.refs.begin() + hit.refs_begin, d.refs.begin() + hit.refs_end);
}

std::vector<Reason> group_reasons(const Decision& d) {
  std::vector<Reason> reasons;
  for (std::size_t li = 0; li < d.lines.size(); ++li) {
    for (std::uint32_t h = d.lines[li].hits_begin; h < d.lines[li].hits_end; ++h) add_to_reasons(reasons, d, d.hits[h], li);
  }
  for (std::size_t h = d.claim_hits_begin; h < d.hits.size(); ++h) add_to_reasons(reasons, d, d.hits[h], whole_decision);
  for (Reason& r : reasons) {
    std::sort(r.refs.begin(), r.refs.end());
    r.refs.erase(std::unique(r.refs.begin(), r.refs.end()), r.refs.end());
  }
  return reasons;
}

// "rejected" when the rule rejected every line of the decision (under any of its messages),
// "partial" when it rejected some.
std::string_view reason_result(const Reason& r, const std::vector<Reason>& all, std::size_t line_count) {
  switch (r.hit->kind) {
    case HitKind::applied: return "applied";
    case HitKind::held: return "needs_review";
    case HitKind::rejected: break;
  }
  std::size_t lines = 0;
  for (const Reason& other : all) {
    if (other.hit->rule == r.hit->rule && other.hit->kind == HitKind::rejected) lines += other.lines.size();
  }
  return lines == line_count ? "rejected" : "partial";
}

boost::json::object reason_json(const Reason& r, const std::vector<Reason>& all, const Decision& d) {
  boost::json::object o;
  o["rule"] = r.hit->rule->id;
  o["clause"] = r.hit->rule->source.clause;
  o["result"] = reason_result(r, all, d.lines.size());
  o["message"] = render(r.hit->rule->message, *r.hit, false);
  o["message_zh"] = render(r.hit->rule->message_zh, *r.hit, true);
  boost::json::array refs;
  for (Seq s : r.refs) refs.emplace_back(s);
  o["refs"] = std::move(refs);
  boost::json::array subjects;
  for (std::size_t li : r.lines) subjects.emplace_back(d.lines[li].subject.view());
  o["subjects"] = std::move(subjects);
  return o;
}

boost::json::object line_json(const DecisionLine& line, const Decision& d) {
  boost::json::object o;
  o["subject"] = line.subject.view();
  o["status"] = line_status_names[static_cast<std::size_t>(line.status)];
  o["requested_fen"] = line.requested.value();
  o["approved_fen"] = line.approved.value();
  boost::json::array rules;
  for (std::uint32_t h = line.hits_begin; h < line.hits_end; ++h) {
    const std::string& id = d.hits[h].rule->id;
    if (std::find(rules.begin(), rules.end(), boost::json::value(id)) == rules.end()) rules.emplace_back(id);
  }
  o["rules"] = std::move(rules);
  return o;
}

boost::json::object ruleset_json(const Ruleset& rs) {
  return boost::json::object{{"id", rs.id}, {"version", rs.version}, {"sha256", rs.sha256}};
}

// RFC 8785 text, written directly (decision_to_canonical_json): strings escape only '"', '\\'
// and controls (\b \t \n \f \r short, others \u00xx in lowercase); member names are written
// in their sorted order by the callers below.
void put_string(std::string& out, std::string_view text) {
  static constexpr std::string_view hex = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xF];
    }
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

void put_integer(std::string& out, std::int64_t v) {
  std::array<char, 24> digits{};
  auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), v);
  (void)ec;  // 24 characters hold any int64
  out.append(digits.data(), end);
}

// "name": (name is one of the ASCII member names below, which need no escaping).
void put_name(std::string& out, std::string_view name) {
  out += '"';
  out += name;
  out += "\":";
}

void put_ruleset(std::string& out, const Ruleset& rs) {
  out += '{';
  put_name(out, "id");
  put_string(out, rs.id);
  out += ',';
  put_name(out, "sha256");
  put_string(out, rs.sha256);
  out += ',';
  put_name(out, "version");
  put_string(out, rs.version);
  out += '}';
}

}  // namespace

void rulesets_to_canonical_json(const Decision& d, std::string& out) {
  out += '[';
  for (std::size_t i = 0; i < d.rulesets.size(); ++i) {
    if (i > 0) out += ',';
    put_ruleset(out, *d.rulesets[i]);
  }
  out += ']';
}

void decision_to_canonical_json(const Decision& d, Seq seq, std::string& out) {
  out.clear();
  out += '{';
  put_name(out, "approved_fen");
  put_integer(out, d.approved.value());
  out += ',';
  put_name(out, "claim_id");
  put_string(out, d.claim_id);
  out += ',';
  put_name(out, "disbursements");
  out += '[';
  for (std::size_t i = 0; i < d.disbursements.size(); ++i) {
    const Disbursement& x = d.disbursements[i];
    if (i > 0) out += ',';
    out += '{';
    put_name(out, "amount_fen");
    put_integer(out, x.amount.value());
    out += ',';
    put_name(out, "kind");
    put_string(out, disbursement_kind_names[static_cast<std::size_t>(x.kind)]);
    out += '}';
  }
  out += "],";
  put_name(out, "kind");
  put_string(out, decision_kind_names[static_cast<std::size_t>(d.kind)]);
  out += ',';
  put_name(out, "lines");
  out += '[';
  std::vector<const std::string*> rules;
  for (std::size_t li = 0; li < d.lines.size(); ++li) {
    const DecisionLine& line = d.lines[li];
    if (li > 0) out += ',';
    out += '{';
    put_name(out, "approved_fen");
    put_integer(out, line.approved.value());
    out += ',';
    put_name(out, "requested_fen");
    put_integer(out, line.requested.value());
    out += ',';
    put_name(out, "rules");
    out += '[';
    rules.clear();
    for (std::uint32_t h = line.hits_begin; h < line.hits_end; ++h) {
      const std::string& id = d.hits[h].rule->id;
      if (std::find_if(rules.begin(), rules.end(), [&](const std::string* r) { return *r == id; }) != rules.end()) continue;
      if (!rules.empty()) out += ',';
      rules.push_back(&id);
      put_string(out, id);
    }
    out += "],";
    put_name(out, "status");
    put_string(out, line_status_names[static_cast<std::size_t>(line.status)]);
    out += ',';
    put_name(out, "subject");
    put_string(out, line.subject.view());
    out += '}';
  }
  out += "],";
  put_name(out, "outcome");
  put_string(out, outcome_names[static_cast<std::size_t>(d.outcome)]);
  out += ',';
  put_name(out, "program");
  put_string(out, name_of(d.program));
  out += ',';
  put_name(out, "reasons");
  out += '[';
  std::vector<Reason> grouped = group_reasons(d);
  for (std::size_t i = 0; i < grouped.size(); ++i) {
    const Reason& r = grouped[i];
    if (i > 0) out += ',';
    out += '{';
    put_name(out, "clause");
    put_string(out, r.hit->rule->source.clause);
    out += ',';
    put_name(out, "message");
    put_string(out, render(r.hit->rule->message, *r.hit, false));
    out += ',';
    put_name(out, "message_zh");
    put_string(out, render(r.hit->rule->message_zh, *r.hit, true));
    out += ',';
    put_name(out, "refs");
    out += '[';
    for (std::size_t k = 0; k < r.refs.size(); ++k) {
      if (k > 0) out += ',';
      put_integer(out, static_cast<std::int64_t>(r.refs[k]));
    }
    out += "],";
    put_name(out, "result");
    put_string(out, reason_result(r, grouped, d.lines.size()));
    out += ',';
    put_name(out, "rule");
    put_string(out, r.hit->rule->id);
    out += ',';
    put_name(out, "subjects");
    out += '[';
    for (std::size_t k = 0; k < r.lines.size(); ++k) {
      if (k > 0) out += ',';
      put_string(out, d.lines[r.lines[k]].subject.view());
    }
    out += "]}";
  }
  out += "],";
  put_name(out, "requested_fen");
  put_integer(out, d.requested.value());
  out += ',';
  if (d.ruleset) {
    put_name(out, "ruleset");
    put_ruleset(out, *d.ruleset);
    out += ',';
  }
  put_name(out, "rulesets");
  rulesets_to_canonical_json(d, out);
  out += ',';
  put_name(out, "seq");
  put_integer(out, static_cast<std::int64_t>(seq));
  out += '}';
}

boost::json::object decision_to_json(const Decision& d) {
  boost::json::object o;
  o["claim_id"] = d.claim_id;
  o["program"] = name_of(d.program);
  o["kind"] = decision_kind_names[static_cast<std::size_t>(d.kind)];
  o["outcome"] = outcome_names[static_cast<std::size_t>(d.outcome)];
  o["requested_fen"] = d.requested.value();
  o["approved_fen"] = d.approved.value();
  boost::json::array disbursements;
  for (const Disbursement& x : d.disbursements) {
    disbursements.push_back(boost::json::object{{"kind", disbursement_kind_names[static_cast<std::size_t>(x.kind)]},
                                                {"amount_fen", x.amount.value()}});
  }
  o["disbursements"] = std::move(disbursements);
  boost::json::array lines;
  for (const DecisionLine& line : d.lines) lines.push_back(line_json(line, d));
  o["lines"] = std::move(lines);
  boost::json::array reasons;
  std::vector<Reason> grouped = group_reasons(d);
  for (const Reason& r : grouped) reasons.push_back(reason_json(r, grouped, d));
  o["reasons"] = std::move(reasons);
  if (d.ruleset) o["ruleset"] = ruleset_json(*d.ruleset);
  boost::json::array used;
  for (const Ruleset* rs : d.rulesets) used.push_back(ruleset_json(*rs));
  o["rulesets"] = std::move(used);
  return o;
}

}  // namespace subsidy
