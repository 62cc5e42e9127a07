#include "engine/registry_import.h"

#include "engine/identity.h"
#include "engine/json_fields.h"
#include "engine/json_reader.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <variant>

namespace subsidy {
namespace {

namespace json = boost::json;

constexpr std::size_t text_chars_max = 64;  // a name, a certificate reference
constexpr std::string_view byte_order_mark = "\xEF\xBB\xBF";

bool is_valid_utf8(std::string_view text) { return invalid_utf8_offset(text) == text.size(); }

// REQUIRES: valid UTF-8. Every code point has exactly one byte that is not 10xxxxxx.
std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string row_pointer(std::size_t line) { return pointer_append("/rows", line); }

// ---- Checks shared by both formats, on text already known to be valid UTF-8 ----

bool check_id_number(std::string_view id_number, const std::string& pointer, Problems& problems) {
  if (auto problem = resident_id_problem(id_number)) {
    add_problem(problems, pointer, std::string(*problem));
    return false;
  }
  return true;
}

// A name or certificate reference: kept exactly as given (a name that differs by one full-width
// character is another name), so only what would corrupt a report or a log line is refused.
bool check_text(std::string_view text, const std::string& pointer, Problems& problems) {
  bool has_control = std::any_of(text.begin(), text.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
  if (text.empty()) {
    add_problem(problems, pointer, "must not be empty");
  } else if (code_points(text) > text_chars_max) {
    add_problem(problems, pointer, "must be at most " + std::to_string(text_chars_max) + " characters");
  } else if (has_control) {
    add_problem(problems, pointer, "must not contain control characters");
  } else {
    return true;
  }
  return false;
}

void check_order(const std::optional<Date>& from, const std::optional<Date>& to,
                 const std::string& to_pointer, Problems& problems) {
  if (from && to && *to < *from) add_problem(problems, to_pointer, "must not be before valid_from");
}

std::optional<Certification> certification_of(std::optional<Category> category,
                                              std::optional<std::string_view> certificate,
                                              std::optional<Date> valid_from,
                                              std::optional<Date> valid_to, bool to_ok) {
  if (!category || !certificate || !valid_from || !to_ok) return std::nullopt;
  if (valid_to && *valid_to < *valid_from) return std::nullopt;
  return Certification{*category, std::string(*certificate), *valid_from, valid_to};
}

// Certifications in the order RegistryImport promises, an open-ended one after a dated one.
bool certification_less(const Certification& a, const Certification& b) {
  if (a.category != b.category) return a.category < b.category;
  if (a.valid_from != b.valid_from) return a.valid_from < b.valid_from;
  if (a.valid_to.has_value() != b.valid_to.has_value()) return a.valid_to.has_value();
  if (a.valid_to && *a.valid_to != *b.valid_to) return *a.valid_to < *b.valid_to;
  return a.certificate < b.certificate;
}

// ---- What both formats feed: rows, persons and problems ----

class ImportCollector {
 public:
  explicit ImportCollector(std::size_t rows_max) : rows_max_(rows_max) {}

  // A data row begins; false when it is one more than rows_max, and then parsing stops.
  bool begin_row() {
    if (rows_ == rows_max_) {
      too_many_rows_ = true;
      return false;
    }
    ++rows_;
    return true;
  }
  bool stopped() const { return too_many_rows_; }
  std::size_t rows() const { return rows_; }

  // The person of a row whose id_number and name are valid, merged with the same id_number's
  // earlier rows; nullopt, and a problem at name_pointer, when an earlier row gave another name.
  std::optional<std::size_t> person(std::string_view id_number, std::string_view name,
                                    const std::string& name_pointer, std::size_t line,
                                    Problems& problems) {
    auto [it, inserted] = index_.try_emplace(resident_id_key(id_number), persons_.size());
    if (inserted) {
      persons_.push_back({it->first, line, keep(name)});
      return it->second;
    }
    const Slot& slot = persons_[it->second];
    std::string_view known = text(slot.name);
    if (known == name) return it->second;
    add_problem(problems, name_pointer,
                "differs from the name on line " + std::to_string(slot.name_line) + " (" +
                    json::serialize(json::string_view(known.data(), known.size())) + ")");
    return std::nullopt;
  }

  void add(std::size_t person, const Certification& c) {
    certifications_.push_back({persons_[person].key, keep(c.certificate), c.valid_from, c.valid_to, c.category});
  }

  // Lists a row's problems within registry_import_problems_max; beyond, the row is only counted.
  void report(Problems& row_problems) {
    if (row_problems.empty()) return;
    bad_ = true;
    std::size_t room = registry_import_problems_max - problems_.size();
    if (row_problems.size() > room) {
      ++unlisted_bad_rows_;
      row_problems.resize(room);
    }
    for (Problem& p : row_problems) problems_.push_back(std::move(p));
    row_problems.clear();
  }
  // A problem of the whole file (no header, no rows), listed whatever the cap.
  void report_file(std::string message) {
    bad_ = true;
    add_problem(file_problems_, "", std::move(message));
  }

  RegistryImport finish() {
    RegistryImport out;
    out.rows = rows_;
    out.too_many_rows = too_many_rows_;
    out.problems = std::move(problems_);
    if (unlisted_bad_rows_ > 0) {
      add_problem(out.problems, "",
                  "and " + std::to_string(unlisted_bad_rows_) + " more bad rows not listed");
    }
    if (too_many_rows_) {
      add_problem(out.problems, "", "the file has more than " + std::to_string(rows_max_) + " rows");
    }
    for (Problem& p : file_problems_) out.problems.push_back(std::move(p));
    if (bad_ || too_many_rows_) return out;
    decltype(index_)().swap(index_);  // not needed any more: its memory is free before the persons are built
    std::sort(persons_.begin(), persons_.end(), [](const Slot& a, const Slot& b) { return a.key < b.key; });
    std::stable_sort(certifications_.begin(), certifications_.end(),
                     [](const CertificationRow& a, const CertificationRow& b) { return a.key < b.key; });
    out.persons.reserve(persons_.size());
    auto row = certifications_.begin();
    for (const Slot& slot : persons_) {
      RegisteredPerson person{id_number_of(slot.key), std::string(text(slot.name)), {}};
      for (; row != certifications_.end() && row->key == slot.key; ++row) {
        person.certifications.push_back({row->category, std::string(text(row->certificate)), row->valid_from, row->valid_to});
      }
      auto& certifications = person.certifications;
      std::sort(certifications.begin(), certifications.end(), certification_less);
      certifications.erase(std::unique(certifications.begin(), certifications.end()), certifications.end());
      out.persons.push_back(std::move(person));
    }
    std::vector<Slot>().swap(persons_);  // with their capacity
    std::vector<CertificationRow>().swap(certifications_);
    std::string().swap(texts_);
    return out;
  }

 private:
  // A person and a certification as rows read them, their text in texts_: a million persons take
  // about 120 MiB here rather than 250 as RegisteredPersons, which matters while a file the
  // registry already holds is read (registry_handlers.cpp answers it before finish()).
  struct TextRef {
    std::uint32_t at = 0;
    std::uint32_t size = 0;
  };
  struct Slot {
    std::uint64_t key;      // resident_id_key: the id_number is its 17 digits and their check character
    std::size_t name_line;  // the line that first gave the name, for a conflict's message
    TextRef name;
  };
  struct CertificationRow {
    std::uint64_t key;  // the person's
    TextRef certificate;
    Date valid_from;
    std::optional<Date> valid_to;
    Category category;
  };

  TextRef keep(std::string_view t) {
    TextRef ref{static_cast<std::uint32_t>(texts_.size()), static_cast<std::uint32_t>(t.size())};
    texts_.append(t);
    return ref;
  }
  std::string_view text(TextRef ref) const { return std::string_view(texts_).substr(ref.at, ref.size); }

  static std::string id_number_of(std::uint64_t key) {
    std::string digits = std::to_string(key);
    digits.insert(0, 17 - digits.size(), '0');
    return digits + resident_id_check_char(digits).value_or('?');
  }

  std::size_t rows_max_;
  std::size_t rows_ = 0;
  bool too_many_rows_ = false;
  bool bad_ = false;
  std::vector<Slot> persons_;
  std::vector<CertificationRow> certifications_;
  std::string texts_;  // every name and certificate reference, one after the other
  std::unordered_map<std::uint64_t, std::size_t> index_;  // resident_id_key -> persons_
  Problems problems_;
  Problems file_problems_;
  std::size_t unlisted_bad_rows_ = 0;
};

// ---- A person as JSON (the JSON Lines format; also each person of a registry_import record) ----

std::optional<Certification> certification_from_json(const json::value& value, std::string pointer,
                                                     Problems& problems) {
  ObjectFields fields(value, std::move(pointer), problems);
  std::optional<Category> category;
  if (auto* v = fields.required("category")) {
    category = read_enum<Category>(*v, fields.pointer_of("category"), "category", problems);
  }
  std::optional<std::string_view> certificate;
  if (auto* v = fields.required("certificate")) {
    std::string at = fields.pointer_of("certificate");
    certificate = read_string(*v, at, problems);
    if (certificate && !check_text(*certificate, at, problems)) certificate.reset();
  }
  std::optional<Date> valid_from, valid_to;
  if (auto* v = fields.required("valid_from")) valid_from = read_date(*v, fields.pointer_of("valid_from"), problems);
  bool to_ok = true;
  if (auto* v = fields.optional_nullable("valid_to")) {
    valid_to = read_date(*v, fields.pointer_of("valid_to"), problems);
    to_ok = valid_to.has_value();
  }
  check_order(valid_from, valid_to, fields.pointer_of("valid_to"), problems);
  fields.finish();
  return certification_of(category, certificate, valid_from, valid_to, to_ok);
}

}  // namespace

std::optional<RegisteredPerson> registry_person_from_json(const json::value& value, const std::string& pointer,
                                                          Problems& problems) {
  ObjectFields fields(value, pointer, problems);
  std::optional<std::string_view> id_number, name;
  if (auto* v = fields.required("id_number")) {
    std::string at = fields.pointer_of("id_number");
    id_number = read_string(*v, at, problems);
    if (id_number && !check_id_number(*id_number, at, problems)) id_number.reset();
  }
  if (auto* v = fields.required("name")) {
    std::string at = fields.pointer_of("name");
    name = read_string(*v, at, problems);
    if (name && !check_text(*name, at, problems)) name.reset();
  }
  std::vector<Certification> certifications;
  if (auto* v = fields.required("certifications")) {
    std::string at = fields.pointer_of("certifications");
    if (const json::array* array = v->if_array()) {
      for (std::size_t i = 0; i < array->size(); ++i) {
        auto certification = certification_from_json((*array)[i], pointer_append(at, i), problems);
        if (certification) certifications.push_back(std::move(*certification));
      }
    } else {
      add_problem(problems, at, "must be an array");
    }
  }
  fields.finish();
  if (!id_number || !name) return std::nullopt;
  return RegisteredPerson{std::string(*id_number), std::string(*name), std::move(certifications)};
}

namespace {

// ---- CSV ----

enum class Column : std::uint8_t { id_number, name, category, certificate, valid_from, valid_to };
constexpr std::array<std::string_view, 6> column_names = {"id_number", "name", "category",
                                                          "certificate", "valid_from", "valid_to"};

std::optional<Column> parse_column(std::string_view name) {
  for (std::size_t i = 0; i < column_names.size(); ++i) {
    if (column_names[i] == name) return static_cast<Column>(i);
  }
  return std::nullopt;
}

// A CSV date field: the claim API's rules and messages (json_fields.h), so a clerk reads the
// same words for the same mistake whichever way a date arrived.
std::optional<Date> read_csv_date(std::string_view text, const std::string& pointer,
                                  Problems& problems) {
  return read_date(json::value(json::string_view(text.data(), text.size())), pointer, problems);
}

// RFC 4180 records, read one byte at a time so that a piece may end anywhere; a record's fields
// are kept until its line ends, nothing more.
class CsvReader {
 public:
  explicit CsvReader(ImportCollector& collector) : collector_(collector) { fields_.emplace_back(); }

  void consume(std::string_view bytes) {
    for (char c : bytes) {
      if (collector_.stopped()) return;
      step(c);
    }
  }

  void finish() {
    if (collector_.stopped()) return;
    cr_pending_ = false;  // a CR as the file's last byte ends the last line
    unclosed_ = state_ == State::quoted;
    if (record_bytes_ > 0) end_record();
    if (!header_read_) collector_.report_file("the file has no header line");
    else if (collector_.rows() == 0) collector_.report_file("the file has no rows");
  }

 private:
  enum class State : std::uint8_t { field_start, unquoted, quoted, quote_in_quoted };

  void step(char c) {
    if (++record_bytes_ > registry_import_row_bytes_max) oversized_ = true;
    if (cr_pending_) {
      cr_pending_ = false;
      if (c == '\n') return end_line();
      append('\r');  // a CR that does not end a line is data
    }
    switch (state_) {
      case State::field_start:
        if (c == '"') {
          state_ = State::quoted;
          record_quoted_ = true;
          return;
        }
        state_ = State::unquoted;
        return step_unquoted(c);
      case State::unquoted: return step_unquoted(c);
      case State::quoted:
        if (c == '"') {
          state_ = State::quote_in_quoted;
          return;
        }
        if (c == '\n') ++line_;  // the record keeps the number of its first line
        return append(c);
      case State::quote_in_quoted:
        if (c == '"') {
          state_ = State::quoted;
          return append('"');
        }
        if (c != ',' && c != '\n' && c != '\r' && !text_after_quote_) text_after_quote_ = field_count_;
        state_ = State::unquoted;
        return step_unquoted(c);
    }
  }

  void step_unquoted(char c) {
    if (c == ',') return end_field();
    if (c == '\n') return end_line();
    if (c == '\r') {
      cr_pending_ = true;
      return;
    }
    append(c);
  }

  void append(char c) {
    if (!oversized_) fields_[field_count_ - 1].push_back(c);
  }

  void end_field() {
    state_ = State::field_start;
    ++field_count_;
    if (oversized_) return;
    if (fields_.size() < field_count_) fields_.emplace_back();
    else fields_[field_count_ - 1].clear();
  }

  void end_line() {
    ++line_;
    end_record();
  }

  void end_record() {
    bool blank = field_count_ == 1 && !record_quoted_ && !oversized_ && fields_[0].empty();
    if (!blank) {
      if (!header_read_) read_header();
      else if (collector_.begin_row()) read_row();
    }
    state_ = State::field_start;
    field_count_ = 1;
    fields_[0].clear();
    record_line_ = line_;
    record_bytes_ = 0;
    record_quoted_ = oversized_ = unclosed_ = false;
    text_after_quote_.reset();
  }

  // What makes the record's fields unreadable, as one problem at /rows/<n>; false if nothing.
  bool malformed(const std::string& row) {
    if (unclosed_) add_problem(problems_, row, "a quoted field is not closed");
    else if (oversized_) add_problem(problems_, row, "the row is longer than " + std::to_string(registry_import_row_bytes_max) + " bytes");
    else if (!std::all_of(fields_.begin(), fields_.begin() + static_cast<std::ptrdiff_t>(field_count_),
                          [](const std::string& f) { return is_valid_utf8(f); })) {
      add_problem(problems_, row, "not valid UTF-8");
    } else if (text_after_quote_) {
      add_problem(problems_, row, "field " + std::to_string(*text_after_quote_) +
                                      ": text after the closing quote (a quote inside a quoted field is written \"\")");
    } else {
      return false;
    }
    return true;
  }

  void read_header() {
    header_read_ = true;
    std::string row = row_pointer(record_line_);
    if (!malformed(row)) {
      for (std::size_t i = 0; i < field_count_; ++i) {
        const std::string& name = fields_[i];
        auto column = parse_column(name);
        if (!column) {
          add_problem(problems_, pointer_append(row, name),
                      unknown_name_message("column", name, column_names.data(), column_names.size()));
        } else if (column_index_[static_cast<std::size_t>(*column)]) {
          add_problem(problems_, pointer_append(row, name), "column is given twice");
        } else {
          column_index_[static_cast<std::size_t>(*column)] = i;
        }
      }
      for (std::size_t c = 0; c < column_names.size(); ++c) {
        if (!column_index_[c]) add_problem(problems_, pointer_append(row, column_names[c]), "column is missing");
      }
      header_fields_ = field_count_;
    }
    // Without all six columns the rows cannot be read: they are only counted.
    columns_known_ = std::all_of(column_index_.begin(), column_index_.end(),
                                 [](const auto& index) { return index.has_value(); });
    collector_.report(problems_);
  }

  std::string_view field(Column column) const {
    return fields_[*column_index_[static_cast<std::size_t>(column)]];
  }

  void read_row() {
    if (!columns_known_) return;
    std::string row = row_pointer(record_line_);
    bool fields_match = field_count_ == header_fields_;
    if (!malformed(row) && !fields_match) {
      add_problem(problems_, row, "expected " + std::to_string(header_fields_) + " fields, found " +
                                      std::to_string(field_count_));
    }
    if (problems_.empty()) read_fields(row);  // the fields are where the header says
    collector_.report(problems_);
  }

  void read_fields(const std::string& row) {
    auto at = [&](Column c) { return pointer_append(row, column_names[static_cast<std::size_t>(c)]); };
    std::string_view id_number = field(Column::id_number), name = field(Column::name);
    bool id_ok = check_id_number(id_number, at(Column::id_number), problems_);
    bool name_ok = check_text(name, at(Column::name), problems_);
    std::optional<std::size_t> person;
    if (id_ok && name_ok) person = collector_.person(id_number, name, at(Column::name), record_line_, problems_);

    std::string_view category_text = field(Column::category);
    if (category_text.empty()) {
      // The person is registered without a category: a certification's fields would be lost.
      for (Column c : {Column::certificate, Column::valid_from, Column::valid_to}) {
        if (!field(c).empty()) add_problem(problems_, at(c), "must be empty when category is empty");
      }
      return;
    }
    auto category = parse_enum<Category>(category_text);
    if (!category) {
      add_problem(problems_, at(Column::category),
                  unknown_name_message("category", category_text, category_names.data(), category_names.size()));
    }
    std::string_view certificate = field(Column::certificate);
    bool certificate_ok = check_text(certificate, at(Column::certificate), problems_);
    auto valid_from = read_csv_date(field(Column::valid_from), at(Column::valid_from), problems_);
    std::optional<Date> valid_to;
    bool to_ok = true;
    if (!field(Column::valid_to).empty()) {
      valid_to = read_csv_date(field(Column::valid_to), at(Column::valid_to), problems_);
      to_ok = valid_to.has_value();
    }
    check_order(valid_from, valid_to, at(Column::valid_to), problems_);
    auto certification = certification_of(
        category, certificate_ok ? std::optional(certificate) : std::nullopt, valid_from, valid_to, to_ok);
    if (person && certification) collector_.add(*person, std::move(*certification));
  }

  ImportCollector& collector_;
  State state_ = State::field_start;
  bool cr_pending_ = false;
  std::size_t line_ = 1;         // the physical line the next byte is on
  std::size_t record_line_ = 1;  // the line the current record began on
  std::size_t record_bytes_ = 0;
  bool record_quoted_ = false;  // a blank line is one unquoted empty field
  bool oversized_ = false;      // past registry_import_row_bytes_max: fields are no longer kept
  bool unclosed_ = false;       // the file ended inside a quoted field
  std::optional<std::size_t> text_after_quote_;  // the field (from 1) with `"ab"c`
  std::vector<std::string> fields_;  // kept across records, so that their capacity is reused
  std::size_t field_count_ = 1;      // fields of the current record, the last being read

  bool header_read_ = false;
  bool columns_known_ = false;
  std::size_t header_fields_ = 0;
  std::array<std::optional<std::size_t>, 6> column_index_{};  // Column -> field
  Problems problems_;  // the current row's, handed to the collector when it is read
};

// ---- JSON Lines ----

class JsonLinesReader {
 public:
  explicit JsonLinesReader(ImportCollector& collector) : collector_(collector) {}

  void consume(std::string_view bytes) {
    while (!bytes.empty() && !collector_.stopped()) {
      std::size_t newline = bytes.find('\n');
      std::string_view piece = bytes.substr(0, newline);
      if (newline == std::string_view::npos) return append(piece);
      if (line_.empty() && !oversized_) {
        read_line(piece, piece.size() > registry_import_row_bytes_max);  // whole in this piece: no copy
      } else {
        append(piece);
        read_line(line_, oversized_);
      }
      line_.clear();
      oversized_ = false;
      bytes.remove_prefix(newline + 1);
    }
  }

  void finish() {
    if (collector_.stopped()) return;
    if (!line_.empty() || oversized_) read_line(line_, oversized_);
    if (collector_.rows() == 0) collector_.report_file("the file has no rows");
  }

 private:
  void append(std::string_view piece) {
    if (oversized_) return;
    if (line_.size() + piece.size() > registry_import_row_bytes_max) {
      oversized_ = true;
      line_.clear();
      return;
    }
    line_.append(piece);
  }

  void read_line(std::string_view text, bool oversized) {
    std::size_t line = line_number_++;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    bool blank = text.find_first_not_of(" \t") == std::string_view::npos;
    if ((blank && !oversized) || !collector_.begin_row()) return;
    std::string row = row_pointer(line);
    if (oversized) {
      add_problem(problems_, row, "the line is longer than " + std::to_string(registry_import_row_bytes_max) + " bytes");
    } else if (!is_valid_utf8(text)) {
      add_problem(problems_, row, "not valid UTF-8");
    } else {
      auto parsed = read_json(text);
      if (auto* error = std::get_if<JsonSyntaxError>(&parsed)) {
        // A duplicate key has the member's pointer; other errors say where in the line.
        if (!error->pointer.empty()) add_problem(problems_, row + error->pointer, error->message);
        else add_problem(problems_, row, error->message + " at byte " + std::to_string(error->offset));
      } else {
        read_person(std::get<json::value>(parsed), row, line);
      }
    }
    collector_.report(problems_);
  }

  void read_person(const json::value& value, const std::string& row, std::size_t line) {
    std::optional<RegisteredPerson> read = registry_person_from_json(value, row, problems_);
    if (!read) return;
    std::optional<std::size_t> person =
        collector_.person(read->id_number, read->name, pointer_append(row, "name"), line, problems_);
    if (!person) return;
    for (Certification& c : read->certifications) collector_.add(*person, std::move(c));
  }

  ImportCollector& collector_;
  std::string line_;  // the unfinished line, when a piece ended inside it
  bool oversized_ = false;
  std::size_t line_number_ = 1;
  Problems problems_;  // the current line's, handed to the collector when it is read
};

}  // namespace

class RegistryImportReader::Impl {
 public:
  Impl(RegistryFormat format, std::size_t rows_max)
      : collector_(rows_max), reader_(reader_for(format, collector_)) {}
  Impl(const Impl&) = delete;  // the readers refer to collector_
  Impl& operator=(const Impl&) = delete;

  void feed(std::string_view bytes) {
    if (!start_checked_) {
      // A BOM may arrive split across pieces: hold the file's first bytes until they tell.
      std::size_t take = std::min(byte_order_mark.size() - start_.size(), bytes.size());
      start_.append(bytes.substr(0, take));
      bytes.remove_prefix(take);
      if (start_.size() < byte_order_mark.size() && byte_order_mark.starts_with(start_)) return;
      start_checked_ = true;
      if (start_ != byte_order_mark) consume(start_);
    }
    consume(bytes);
  }

  bool too_many_rows() const { return collector_.stopped(); }

  RegistryImport finish() {
    if (!start_checked_) consume(start_);
    std::visit([](auto& reader) { reader.finish(); }, reader_);
    return collector_.finish();
  }

 private:
  using Reader = std::variant<CsvReader, JsonLinesReader>;
  static Reader reader_for(RegistryFormat format, ImportCollector& collector) {
    if (format == RegistryFormat::csv) return CsvReader(collector);
    return JsonLinesReader(collector);
  }

  void consume(std::string_view bytes) {
    std::visit([&](auto& reader) { reader.consume(bytes); }, reader_);
  }

  ImportCollector collector_;  // before reader_, which refers to it
  Reader reader_;
  bool start_checked_ = false;
  std::string start_;  // the file's first bytes while they may still be a BOM
};

RegistryImportReader::RegistryImportReader(RegistryFormat format, std::size_t rows_max)
    : impl_(std::make_unique<Impl>(format, rows_max)) {}
RegistryImportReader::~RegistryImportReader() = default;
RegistryImportReader::RegistryImportReader(RegistryImportReader&&) noexcept = default;
RegistryImportReader& RegistryImportReader::operator=(RegistryImportReader&&) noexcept = default;

void RegistryImportReader::feed(std::string_view bytes) { impl_->feed(bytes); }
bool RegistryImportReader::too_many_rows() const { return impl_->too_many_rows(); }
RegistryImport RegistryImportReader::finish() { return impl_->finish(); }

}  // namespace subsidy
