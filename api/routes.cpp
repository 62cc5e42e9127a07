#include "api/routes.h"

#include "api/handlers.h"

#include <array>

namespace subsidy::api {

namespace {

using enum Role;
using http::verb;

// clang-format off
const std::array<Route, 27> table = {{
  {verb::post, "/v1/claims",                         Roles({clerk}),              post_claim},
  {verb::post, "/v1/eligibility",                    Roles({clerk, institution}), post_eligibility},
  {verb::post, "/v1/claims/{claim_id}/settlement",   Roles({clerk}),              post_settlement},
  {verb::post, "/v1/claims/{claim_id}/review",       Roles({clerk}),              post_review},
  {verb::get,  "/v1/review-queue",                   Roles({clerk, auditor}),     get_review_queue},
  {verb::get,  "/v1/claims/{claim_id}",              Roles({clerk, auditor, institution}), get_claim},
  {verb::get,  "/v1/decisions/{seq}",                Roles({clerk, auditor}),     get_decision},
  {verb::get,  "/v1/audit/log",                      Roles({auditor}),            get_audit_log},
  {verb::get,  "/v1/audit/head",                     Roles({auditor}),            get_audit_head},
  {verb::get,  "/v1/audit/proof/{seq}",              Roles({auditor}),            get_audit_proof},
  {verb::get,  "/v1/audit/consistency",              Roles({auditor}),            get_audit_consistency},
  {verb::put,  "/v1/catalogue/institutions/{credit_code}", Roles({admin}),     put_institution},
  {verb::get,  "/v1/catalogue/institutions/{credit_code}", Roles::any(),       get_institution},
  {verb::put,  "/v1/catalogue/projects/{code}",      Roles({admin}),              put_project},
  {verb::get,  "/v1/catalogue/projects/{code}",      Roles::any(),                get_project},
  {verb::put,  "/v1/budgets/{program}/{year}",       Roles({admin}),              put_budget},
  {verb::post, "/v1/registry/imports",               Roles({admin}),              post_registry_import, true},
  {verb::post, "/v1/classes",                        Roles({clerk, institution}), post_class},
  {verb::get,  "/v1/classes/{class_id}",             Roles({clerk, auditor, institution}), get_class},
  {verb::get,  "/v1/budgets",                        Roles({clerk, auditor}),     get_budgets},
  {verb::get,  "/v1/reports/funds",                  Roles({clerk, auditor}),     get_funds_report},
  {verb::get,  "/v1/reports/targets",                Roles({clerk, auditor}),     get_targets_report},
  {verb::get,  "/v1/rulesets",                       Roles::any(),                get_rulesets},
  {verb::get,  "/v1/rulesets/{id}",                  Roles::any(),                get_ruleset},
  {verb::get,  "/healthz",                           Roles::no_token(),           get_healthz},
  {verb::get,  "/metrics",                           Roles::no_token(),           get_metrics},
  {verb::get,  "/openapi.json",                      Roles::no_token(),           get_openapi},
}};
// clang-format on

}  // namespace

std::span<const Route> route_table() { return table; }

}  // namespace subsidy::api
