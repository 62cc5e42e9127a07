#include "api/store_failure.h"

#include "api/problem_response.h"

#include <iostream>
#include <string>

namespace subsidy::api {

Response store_failure(const store::StoreError& error, std::string_view what) {
  std::cerr << "subsidyd: store: " << store::store_code_name(error.code) << ": " << error.message << '\n';
  return problem_response(ProblemKind::unavailable, std::string(what) + " could not be read; try again");
}

}  // namespace subsidy::api
