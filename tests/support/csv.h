#pragma once
// An RFC 4180 reader for the tests of the CSV answers: records of fields, quoted fields with
// doubled quotes, commas and line breaks inside them, CRLF or LF line ends. A UTF-8 BOM at the
// start is reported, not taken into the first field, as a spreadsheet does.

#include <string>
#include <string_view>
#include <vector>

namespace subsidy::testing {

struct CsvTable {
  bool bom = false;
  std::vector<std::vector<std::string>> rows;
};

inline CsvTable parse_csv(std::string_view text) {
  CsvTable table;
  if (text.starts_with("\xEF\xBB\xBF")) {
    table.bom = true;
    text.remove_prefix(3);
  }
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
      continue;
    }
    any = true;
    if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      row.push_back(std::move(field));
      field.clear();
      table.rows.push_back(std::move(row));
      row.clear();
      any = false;
    } else {
      field += c;
    }
  }
  if (any || !field.empty()) {
    row.push_back(std::move(field));
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace subsidy::testing
