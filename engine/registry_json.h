#pragma once
// A registered person as JSON: the JSON Lines import format of registry.md, which is also how a
// registry_import log record carries each person (store/registry_records.h), so that a replay
// needs no file. An open-ended certification's valid_to is null, as in a catalogue record.

#include "engine/registry.h"

#include <boost/json/object.hpp>

namespace subsidy {

boost::json::object registry_person_json(const RegisteredPerson& person);

}  // namespace subsidy
