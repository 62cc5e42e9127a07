#pragma once
// A work_for_training claim of 张三 (411202199001011230, employed since 2019-10-08) at
// 91411202MA44A0001W for the given months: the claim the pipeline and API tests submit.

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <vector>

namespace subsidy::testing {

inline boost::json::value wft_claim(const std::string& claim_id, const std::vector<std::string>& months) {
  boost::json::value claim = boost::json::parse(R"({"claim_id": "", "program": "work_for_training", "submitted_on": "2021-12-20",
    "entity": {"credit_code": "91411202MA44A0001W", "name": "湖滨区甲食品有限公司", "type": "enterprise", "insured": true},
    "person": {"id_number": "411202199001011230", "name": "张三", "categories": ["poor_laborer"]},
    "employment": {"start": "2019-10-08", "end": null}, "months": [],
    "evidence": [{"kind": "roster", "ref": "R-1"}, {"kind": "labour_contract", "ref": "LC-1"},
                 {"kind": "wage_records", "ref": "WG-1"}]})");
  boost::json::array m;
  for (const auto& month : months) m.emplace_back(month);
  claim.as_object()["claim_id"] = claim_id;
  claim.as_object()["months"] = std::move(m);
  return claim;
}

}  // namespace subsidy::testing
