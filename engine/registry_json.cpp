#include "engine/registry_json.h"

#include "engine/calendar.h"
#include "engine/vocabulary.h"

#include <boost/json/array.hpp>

namespace subsidy {

boost::json::object registry_person_json(const RegisteredPerson& person) {
  boost::json::array certifications;
  certifications.reserve(person.certifications.size());
  for (const Certification& c : person.certifications) {
    boost::json::object o;
    o["category"] = category_names[static_cast<std::size_t>(c.category)];
    o["certificate"] = c.certificate;
    o["valid_from"] = format_date(c.valid_from);
    o["valid_to"] = c.valid_to ? boost::json::value(format_date(*c.valid_to)) : boost::json::value(nullptr);
    certifications.push_back(std::move(o));
  }
  boost::json::object o;
  o["id_number"] = person.id_number;
  o["name"] = person.name;
  o["certifications"] = std::move(certifications);
  return o;
}

}  // namespace subsidy
