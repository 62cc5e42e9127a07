#include "app/state_codec.h"

#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <type_traits>

namespace subsidy::app {
namespace {

class Out {
 public:
  void u8(std::uint8_t v) { bytes_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) { fixed(v); }
  void u64(std::uint64_t v) { fixed(v); }
  void i64(std::int64_t v) { fixed(static_cast<std::uint64_t>(v)); }
  void text(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    bytes_.append(s);
  }
  void flag(bool b) { u8(b ? 1 : 0); }
  void date(const Date& d) { i64(d.day_number()); }
  void month(Month m) { u32(static_cast<std::uint32_t>(m.index())); }
  void fen(Fen f) { i64(f.value()); }
  void code(const Code18& c) { bytes_.append(c.view()); }
  template <class E>
  void enumerated(E e) {
    u8(static_cast<std::uint8_t>(e));
  }
  template <class T, class F>
  void optional(const std::optional<T>& o, F&& put) {
    flag(o.has_value());
    if (o) put(*o);
  }
  template <class T, class F>
  void list(const std::vector<T>& v, F&& put) {
    u32(static_cast<std::uint32_t>(v.size()));
    for (const T& x : v) put(x);
  }
  std::string take() { return std::move(bytes_); }

 private:
  template <class U>
  void fixed(U v) {
    for (std::size_t i = 0; i < sizeof(U); ++i) bytes_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  std::string bytes_;
};

// Reading throws Malformed on bytes no encoding produced; decode_state() turns it into an error.
struct Malformed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class In {
 public:
  explicit In(std::string_view bytes) : bytes_(bytes) {}
  std::uint8_t u8() { return static_cast<std::uint8_t>(take(1)[0]); }
  std::uint32_t u32() { return fixed<std::uint32_t>(); }
  std::uint64_t u64() { return fixed<std::uint64_t>(); }
  std::int64_t i64() { return static_cast<std::int64_t>(fixed<std::uint64_t>()); }
  std::string text() {
    std::uint32_t n = u32();
    return std::string(take(n));
  }
  bool flag() {
    std::uint8_t b = u8();
    if (b > 1) throw Malformed("a flag other than 0 or 1");
    return b == 1;
  }
  Date date() {
    std::int64_t n = i64();
    // Boost.Gregorian's range, 1400-01-01 to 9999-12-31, as day numbers.
    if (n < 2232400 || n > 5373484) throw Malformed("a date out of range");
    return Date(boost::gregorian::gregorian_calendar::from_day_number(static_cast<std::uint32_t>(n)));
  }
  Month month() { return Month::from_index(static_cast<std::int32_t>(u32())); }
  Fen fen() { return Fen(i64()); }
  Code18 code() { return Code18(take(Code18::length)); }
  template <class E>
  E enumerated(std::uint8_t count) {
    std::uint8_t v = u8();
    if (v >= count) throw Malformed("an unknown enumerator");
    return static_cast<E>(v);
  }
  template <class T, class F>
  std::optional<T> optional(F&& get) {
    if (!flag()) return std::nullopt;
    return get();
  }
  template <class T, class F>
  std::vector<T> list(F&& get) {
    std::uint32_t n = u32();
    if (n > bytes_.size()) throw Malformed("a list longer than the bytes left");  // every element takes a byte
    std::vector<T> v;
    v.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) v.push_back(get());
    return v;
  }
  bool done() const { return bytes_.empty(); }

 private:
  std::string_view take(std::size_t n) {
    if (n > bytes_.size()) throw Malformed("the bytes end early");
    std::string_view out = bytes_.substr(0, n);
    bytes_.remove_prefix(n);
    return out;
  }
  template <class U>
  U fixed() {
    std::string_view b = take(sizeof(U));
    U v = 0;
    for (std::size_t i = 0; i < sizeof(U); ++i) v |= static_cast<U>(static_cast<std::uint8_t>(b[i])) << (8 * i);
    return v;
  }
  std::string_view bytes_;
};

// How many enumerators each enumeration has: a decoded value must be one of them.
constexpr auto programs = static_cast<std::uint8_t>(program_names.size());
constexpr auto entity_types = static_cast<std::uint8_t>(entity_type_names.size());
constexpr auto evidence_kinds = static_cast<std::uint8_t>(evidence_kind_names.size());
constexpr auto categories = static_cast<std::uint8_t>(category_names.size());

void put(Out& o, const Period& p) {
  o.date(p.start);
  o.date(p.end);
}
Period get_period(In& in) {
  Period p;
  p.start = in.date();
  p.end = in.date();
  return p;
}

void put(Out& o, const Person& p) {
  o.code(p.id_number);
  o.text(p.name);
  o.u64(p.categories.bits());
}
Person get_person(In& in) {
  Person p;
  p.id_number = in.code();
  p.name = in.text();
  p.categories = CategorySet::from_bits(in.u64());
  return p;
}

void put(Out& o, const Evidence& e) {
  o.enumerated(e.kind);
  o.text(e.ref);
  o.optional(e.sha256, [&](const std::string& s) { o.text(s); });
}
Evidence get_evidence(In& in) {
  Evidence e;
  e.kind = in.enumerated<EvidenceKind>(evidence_kinds);
  e.ref = in.text();
  e.sha256 = in.optional<std::string>([&] { return in.text(); });
  return e;
}

void put(Out& o, const Claim& c) {
  o.text(c.claim_id);
  o.enumerated(c.program);
  o.date(c.submitted_on);
  o.code(c.entity.credit_code);
  o.text(c.entity.name);
  o.enumerated(c.entity.type);
  o.flag(c.entity.insured);
  o.optional(c.person, [&](const Person& p) { put(o, p); });
  o.optional(c.employment, [&](const Employment& e) {
    o.date(e.start);
    o.optional(e.end, [&](const Date& d) { o.date(d); });
  });
  o.list(c.months, [&](Month m) { o.month(m); });
  o.optional(c.project, [&](const ProjectRef& p) {
    o.text(p.code);
    o.optional(p.period, [&](const Period& q) { put(o, q); });
  });
  o.optional(c.training, [&](const Period& p) { put(o, p); });
  o.list(c.trainees, [&](const Person& p) { put(o, p); });
  o.list(c.evidence, [&](const Evidence& e) { put(o, e); });
  o.u64(c.evidence_kinds.bits());
}
Claim get_claim(In& in) {
  Claim c;
  c.claim_id = in.text();
  c.program = in.enumerated<Program>(programs);
  c.submitted_on = in.date();
  c.entity.credit_code = in.code();
  c.entity.name = in.text();
  c.entity.type = in.enumerated<EntityType>(entity_types);
  c.entity.insured = in.flag();
  c.person = in.optional<Person>([&] { return get_person(in); });
  c.employment = in.optional<Employment>([&] {
    Employment e;
    e.start = in.date();
    e.end = in.optional<Date>([&] { return in.date(); });
    return e;
  });
  c.months = in.list<Month>([&] { return in.month(); });
  c.project = in.optional<ProjectRef>([&] {
    ProjectRef p;
    p.code = in.text();
    p.period = in.optional<Period>([&] { return get_period(in); });
    return p;
  });
  c.training = in.optional<Period>([&] { return get_period(in); });
  c.trainees = in.list<Person>([&] { return get_person(in); });
  c.evidence = in.list<Evidence>([&] { return get_evidence(in); });
  c.evidence_kinds = EvidenceKindSet::from_bits(in.u64());
  return c;
}

void put(Out& o, const PersonHistory& p) {
  o.text(p.first_name);
  o.u64(p.first_name_seq);
  o.list(p.wft_months, [&](const ApprovedMonth& m) {
    o.month(m.month);
    o.code(m.entity);
    o.u64(m.seq);
  });
  o.list(p.approvals, [&](const ProgramApproval& a) {
    o.enumerated(a.program);
    o.code(a.entity);
    o.u64(a.seq);
    put(o, a.period);
    o.text(a.claim_id);
  });
}
PersonHistory get_person_history(In& in) {
  PersonHistory p;
  p.first_name = in.text();
  p.first_name_seq = in.u64();
  p.wft_months = in.list<ApprovedMonth>([&] {
    ApprovedMonth m;
    m.month = in.month();
    m.entity = in.code();
    m.seq = in.u64();
    return m;
  });
  p.approvals = in.list<ProgramApproval>([&] {
    ProgramApproval a;
    a.program = in.enumerated<Program>(programs);
    a.entity = in.code();
    a.seq = in.u64();
    a.period = get_period(in);
    a.claim_id = in.text();
    return a;
  });
  return p;
}

void put(Out& o, const ClaimHistory& c) {
  put(o, c.claim);
  o.u64(c.initial_seq);
  o.list(c.lines, [&](const ClaimLineRecord& l) {
    o.text(l.subject.view());
    o.code(l.id_number);
    o.flag(l.approved);
    o.flag(l.held);
    o.fen(l.amount);
  });
  o.fen(c.disbursed);
  o.flag(c.settled);
}
ClaimHistory get_claim_history(In& in) {
  ClaimHistory c;
  c.claim = get_claim(in);
  c.initial_seq = in.u64();
  c.lines = in.list<ClaimLineRecord>([&] {
    ClaimLineRecord l;
    std::string subject = in.text();
    if (subject.size() > Subject::chars_max) throw Malformed("a subject longer than a subject");
    l.subject = Subject(subject);
    l.id_number = in.code();
    l.approved = in.flag();
    l.held = in.flag();
    l.amount = in.fen();
    return l;
  });
  c.disbursed = in.fen();
  c.settled = in.flag();
  return c;
}

void put_entry_dates(Out& o, const Date& from, const std::optional<Date>& to) {
  o.date(from);
  o.optional(to, [&](const Date& d) { o.date(d); });
}

}  // namespace

std::string encode_state(const State& state) {
  Out o;
  o.u64(state.seq());
  const MemoryHistory& h = state.memory_history();
  o.u64(h.people());
  h.each_person([&](const IdNumber& id, const PersonHistory& p) {
    o.code(id);
    put(o, p);
  });
  std::vector<const std::string*> ids = h.claim_ids();
  o.u64(ids.size());
  for (const std::string* id : ids) o.text(*id);
  auto kept = h.kept_claims();
  o.u64(kept.size());
  for (const auto& [id, ch] : kept) {
    o.text(*id);
    put(o, *ch);
  }
  auto put_amounts = [&](const std::map<std::pair<Program, int>, Fen>& amounts) {
    o.u64(amounts.size());
    for (const auto& [key, fen] : amounts) {
      o.enumerated(key.first);
      o.i64(key.second);
      o.fen(fen);
    }
  };
  put_amounts(h.approved_totals());

  const MemoryCatalogue& c = state.catalogue();
  o.u64(c.project_versions().size());
  for (const auto& [code, versions] : c.project_versions()) {
    o.list(versions, [&](const ProjectEntry& e) {
      o.text(e.code);
      o.text(e.name);
      o.text(e.occupation);
      o.enumerated(e.program);
      o.fen(e.standard);
      put_entry_dates(o, e.valid_from, e.valid_to);
    });
  }
  o.u64(c.institution_versions().size());
  for (const auto& [code, versions] : c.institution_versions()) {
    o.list(versions, [&](const InstitutionEntry& e) {
      o.text(e.credit_code);
      o.text(e.name);
      o.text(e.kind);
      put_entry_dates(o, e.valid_from, e.valid_to);
    });
  }
  put_amounts(c.budget_amounts());

  const MemoryRegistry& r = state.registry();
  o.u64(r.size());
  for (const auto& [id, entry] : r.entries()) {
    o.text(entry.person.id_number);
    o.text(entry.person.name);
    o.u64(entry.seq);
    o.list(entry.person.certifications, [&](const Certification& cert) {
      o.enumerated(cert.category);
      o.text(cert.certificate);
      put_entry_dates(o, cert.valid_from, cert.valid_to);
    });
  }
  o.u64(r.imports().size());
  for (const auto& [sha, entry] : r.imports()) {
    o.text(sha);
    o.u64(entry.first_seq);
    o.u64(entry.last_seq);
    o.u64(entry.rows);
    o.u64(entry.persons);
  }
  const auto& filings = state.memory_systems().class_filings();
  o.u64(filings.size());
  for (const auto& [id, entry] : filings) {
    const ClassFiling& f = entry.filing;
    o.u64(entry.seq);
    o.text(f.class_id);
    o.code(f.credit_code);
    o.text(f.project_code);
    o.date(f.period.start);
    o.date(f.period.end);
    o.i64(f.hours);
    o.date(f.filed_on);
    o.list(f.roster, [&](const RosterEntry& e) {
      o.code(e.id_number);
      o.text(e.name);
    });
  }
  return o.take();
}

store::Result<State> decode_state(std::string_view bytes) {
  try {
    In in(bytes);
    Seq seq = in.u64();
    MemoryHistory h;
    std::uint64_t people = in.u64();
    for (std::uint64_t i = 0; i < people; ++i) {
      IdNumber id = in.code();
      h.restore_person(id, get_person_history(in));
    }
    if (h.people() != people) throw Malformed("a person twice");
    std::uint64_t claim_ids = in.u64();
    for (std::uint64_t i = 0; i < claim_ids; ++i) h.restore_claim_id(in.text());
    std::uint64_t kept = in.u64();
    for (std::uint64_t i = 0; i < kept; ++i) {
      std::string id = in.text();
      h.restore_kept_claim(std::move(id), get_claim_history(in));
    }
    auto get_amounts = [&](auto&& restore) {
      std::uint64_t n = in.u64();
      for (std::uint64_t i = 0; i < n; ++i) {
        Program p = in.enumerated<Program>(programs);
        auto year = static_cast<int>(in.i64());
        restore(p, year, in.fen());
      }
    };
    get_amounts([&](Program p, int year, Fen f) { h.restore_total(p, year, f); });

    MemoryCatalogue c;
    std::uint64_t projects = in.u64();
    for (std::uint64_t i = 0; i < projects; ++i) {
      for (ProjectEntry& e : in.list<ProjectEntry>([&] {
             ProjectEntry e;
             e.code = in.text();
             e.name = in.text();
             e.occupation = in.text();
             e.program = in.enumerated<Program>(programs);
             e.standard = in.fen();
             e.valid_from = in.date();
             e.valid_to = in.optional<Date>([&] { return in.date(); });
             return e;
           })) {
        c.put_project(std::move(e));
      }
    }
    std::uint64_t institutions = in.u64();
    for (std::uint64_t i = 0; i < institutions; ++i) {
      for (InstitutionEntry& e : in.list<InstitutionEntry>([&] {
             InstitutionEntry e;
             e.credit_code = in.text();
             e.name = in.text();
             e.kind = in.text();
             e.valid_from = in.date();
             e.valid_to = in.optional<Date>([&] { return in.date(); });
             return e;
           })) {
        c.put_institution(std::move(e));
      }
    }
    get_amounts([&](Program p, int year, Fen f) { c.set_budget(p, year, f); });

    MemoryRegistry r;
    std::uint64_t persons = in.u64();
    for (std::uint64_t i = 0; i < persons; ++i) {
      RegisteredPerson p;
      p.id_number = in.text();
      p.name = in.text();
      Seq person_seq = in.u64();
      p.certifications = in.list<Certification>([&] {
        Certification cert;
        cert.category = in.enumerated<Category>(categories);
        cert.certificate = in.text();
        cert.valid_from = in.date();
        cert.valid_to = in.optional<Date>([&] { return in.date(); });
        return cert;
      });
      r.replace(std::move(p), person_seq);
    }
    if (r.size() != persons) throw Malformed("a registered person twice");
    std::uint64_t imports = in.u64();
    for (std::uint64_t i = 0; i < imports; ++i) {
      std::string sha = in.text();
      Seq first = in.u64();
      Seq last = in.u64();
      auto rows = static_cast<std::size_t>(in.u64());
      auto named = static_cast<std::size_t>(in.u64());
      if (last < first || r.import_of(sha) != nullptr) throw Malformed("an import twice, or its parts out of order");
      r.restore_import(std::move(sha), RegistryImportEntry{first, last, rows, named});
    }
    MemorySystems systems;
    systems.registry() = std::move(r);
    std::uint64_t filings = in.u64();
    for (std::uint64_t i = 0; i < filings; ++i) {
      Seq filing_seq = in.u64();
      ClassFiling f;
      f.class_id = in.text();
      f.credit_code = in.code();
      f.project_code = in.text();
      f.period.start = in.date();
      f.period.end = in.date();
      f.hours = static_cast<int>(in.i64());
      f.filed_on = in.date();
      f.roster = in.list<RosterEntry>([&] {
        RosterEntry e;
        e.id_number = in.code();
        e.name = in.text();
        return e;
      });
      if (systems.class_filing(f.class_id) != nullptr) throw Malformed("a class filed twice");
      systems.file_class(std::move(f), filing_seq);
    }
    if (!in.done()) throw Malformed("bytes after the state");
    return State::restored(std::move(h), std::move(c), std::move(systems), seq);
  } catch (const Malformed& e) {
    return store::store_error(store::StoreCode::corruption, std::string("snapshot: ") + e.what());
  }
}

}  // namespace subsidy::app
