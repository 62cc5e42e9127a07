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
    case BaseType::filing_finding:
      return std::string(chinese ? filing_finding_texts_zh[static_cast<std::size_t>(v)] : filing_finding_texts[static_cast<std::size_t>(v)]);
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

// The decision's members, written once for both forms (decision_to_json's object and
// decision_to_canonical_json's text): in RFC 8785 order, which for these ASCII names is byte
// order. A Sink takes begin_object/end_object, begin_array/end_array, key, string and integer.
template <class Sink>
void write_ruleset(Sink& s, const Ruleset& rs) {
  s.begin_object();
  s.key("id");
  s.string(rs.id);
  s.key("sha256");
  s.string(rs.sha256);
  s.key("version");
  s.string(rs.version);
  s.end_object();
}

template <class Sink>
void write_line(Sink& s, const DecisionLine& line, const Decision& d, std::vector<const std::string*>& rules) {
  s.begin_object();
  s.key("approved_fen");
  s.integer(line.approved.value());
  s.key("requested_fen");
  s.integer(line.requested.value());
  s.key("rules");  // each rule that hit the line, once, in order of first hit
  s.begin_array();
  rules.clear();
  for (std::uint32_t h = line.hits_begin; h < line.hits_end; ++h) {
    const std::string& id = d.hits[h].rule->id;
    if (std::find_if(rules.begin(), rules.end(), [&](const std::string* r) { return *r == id; }) != rules.end()) continue;
    rules.push_back(&id);
    s.string(id);
  }
  s.end_array();
  s.key("status");
  s.string(line_status_names[static_cast<std::size_t>(line.status)]);
  s.key("subject");
  s.string(line.subject.view());
  s.end_object();
}

template <class Sink>
void write_reason(Sink& s, const Reason& r, const std::vector<Reason>& all, const Decision& d) {
  s.begin_object();
  s.key("clause");
  s.string(r.hit->rule->source.clause);
  s.key("message");
  s.string(render(r.hit->rule->message, *r.hit, false));
  s.key("message_zh");
  s.string(render(r.hit->rule->message_zh, *r.hit, true));
  s.key("refs");
  s.begin_array();
  for (Seq ref : r.refs) s.integer(static_cast<std::int64_t>(ref));
  s.end_array();
  s.key("result");
  s.string(reason_result(r, all, d.lines.size()));
  s.key("rule");
  s.string(r.hit->rule->id);
  s.key("subjects");
  s.begin_array();
  for (std::size_t li : r.lines) s.string(d.lines[li].subject.view());
  s.end_array();
  s.end_object();
}

template <class Sink>
void write_rulesets(Sink& s, const Decision& d) {
  s.begin_array();
  for (const Ruleset* rs : d.rulesets) write_ruleset(s, *rs);
  s.end_array();
}

// A logged decision carries its seq; an eligibility answer carries "dry_run": true instead.
struct DecisionExtras {
  std::optional<Seq> seq;
  bool dry_run = false;
};

template <class Sink>
void write_decision(Sink& s, const Decision& d, DecisionExtras extras) {
  s.begin_object();
  s.key("approved_fen");
  s.integer(d.approved.value());
  s.key("claim_id");
  s.string(d.claim_id);
  s.key("disbursements");
  s.begin_array();
  for (const Disbursement& x : d.disbursements) {
    s.begin_object();
    s.key("amount_fen");
    s.integer(x.amount.value());
    s.key("kind");
    s.string(disbursement_kind_names[static_cast<std::size_t>(x.kind)]);
    s.end_object();
  }
  s.end_array();
  if (extras.dry_run) {
    s.key("dry_run");
    s.boolean(true);
  }
  s.key("kind");
  s.string(decision_kind_names[static_cast<std::size_t>(d.kind)]);
  s.key("lines");
  s.begin_array();
  std::vector<const std::string*> rules;
  for (const DecisionLine& line : d.lines) write_line(s, line, d, rules);
  s.end_array();
  s.key("outcome");
  s.string(outcome_names[static_cast<std::size_t>(d.outcome)]);
  s.key("program");
  s.string(name_of(d.program));
  s.key("reasons");
  s.begin_array();
  std::vector<Reason> grouped = group_reasons(d);
  for (const Reason& r : grouped) write_reason(s, r, grouped, d);
  s.end_array();
  s.key("requested_fen");
  s.integer(d.requested.value());
  if (d.ruleset) {
    s.key("ruleset");
    write_ruleset(s, *d.ruleset);
  }
  s.key("rulesets");
  write_rulesets(s, d);
  if (extras.seq) {
    s.key("seq");
    s.integer(static_cast<std::int64_t>(*extras.seq));
  }
  s.end_object();
}

// RFC 8785 text, written directly: strings escape only '"', '\\' and controls (\b \t \n \f \r
// short, others \u00xx in lowercase); names come in sorted order from write_decision().
class TextSink {
 public:
  explicit TextSink(std::string& out) : out_(out) {}
  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  // name is one of write_decision's ASCII member names, which need no escaping.
  void key(std::string_view name) {
    separate();
    out_ += '"';
    out_ += name;
    out_ += "\":";
    comma_ = false;
  }
  void string(std::string_view text) {
    separate();
    put_string(text);
    comma_ = true;
  }
  void boolean(bool b) {
    separate();
    out_ += b ? "true" : "false";
    comma_ = true;
  }
  void integer(std::int64_t v) {
    separate();
    std::array<char, 24> digits{};
    auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), v);
    (void)ec;  // 24 characters hold any int64
    out_.append(digits.data(), end);
    comma_ = true;
  }

 private:
  // A comma before every element and member but the first of its container, none between a key
  // and its value: comma_ says whether the next one needs it.
  void separate() {
    if (comma_) out_ += ',';
  }
  void open(char c) {
    separate();
    out_ += c;
    comma_ = false;
  }
  void close(char c) {
    out_ += c;
    comma_ = true;
  }
  void put_string(std::string_view text) {
    static constexpr std::string_view hex = "0123456789abcdef";
    out_ += '"';
    std::size_t run = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(text.data() + run, i - run);
      run = i + 1;
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\b': out_ += "\\b"; break;
        case '\t': out_ += "\\t"; break;
        case '\n': out_ += "\\n"; break;
        case '\f': out_ += "\\f"; break;
        case '\r': out_ += "\\r"; break;
        default:
          out_ += "\\u00";
          out_ += hex[c >> 4];
          out_ += hex[c & 0xF];
      }
    }
    out_.append(text.data() + run, text.size() - run);
    out_ += '"';
  }

  std::string& out_;
  bool comma_ = false;
};

// Boost.JSON values: each element or member goes into the innermost open container.
class JsonSink {
 public:
  void begin_object() { open(boost::json::object()); }
  void end_object() { stack_.pop_back(); }
  void begin_array() { open(boost::json::array()); }
  void end_array() { stack_.pop_back(); }
  void key(std::string_view name) { key_ = name; }
  void string(std::string_view text) { put(boost::json::string(text)); }
  void integer(std::int64_t v) { put(v); }
  void boolean(bool b) { put(b); }
  boost::json::object take() { return std::move(root_.as_object()); }

 private:
  boost::json::value& put(boost::json::value v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return root_;
    }
    boost::json::value& top = *stack_.back();
    if (top.is_array()) {
      top.as_array().push_back(std::move(v));
      return top.as_array().back();
    }
    return top.as_object()[key_] = std::move(v);
  }
  void open(boost::json::value container) { stack_.push_back(&put(std::move(container))); }

  boost::json::value root_;
  std::vector<boost::json::value*> stack_;  // the open containers, innermost last
  std::string_view key_;
};

}  // namespace

void rulesets_to_canonical_json(const Decision& d, std::string& out) {
  TextSink sink(out);
  write_rulesets(sink, d);
}

void decision_to_canonical_json(const Decision& d, Seq seq, std::string& out) {
  out.clear();
  TextSink sink(out);
  write_decision(sink, d, {seq, false});
}

std::string dry_run_text(const Decision& d) {
  std::string out;
  out.reserve(2048);
  TextSink sink(out);
  write_decision(sink, d, {std::nullopt, true});
  return out;
}

boost::json::object decision_to_json(const Decision& d, std::optional<Seq> seq) {
  JsonSink sink;
  write_decision(sink, d, {seq, false});
  return sink.take();
}

}  // namespace subsidy
