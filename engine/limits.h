#pragma once
// The bounds every layer shares, in one place, so that what the API accepts, what the store
// appends and what replay applies cannot disagree (a budget year was 2019.. in the API and
// 2000.. in the store). Bounds on one claim's contents are ClaimLimits (claim.h); on records and
// batches, store/record_format.h.

namespace subsidy::limits {

// A program's budget is for a year from the policy's first (2019) to 2100 (api.md).
inline constexpr int budget_year_min = 2019;
inline constexpr int budget_year_max = 2100;

// A report may ask for any year from 2000 to 2100; years without decisions report nothing.
inline constexpr int report_year_min = 2000;
inline constexpr int report_year_max = 2100;

}  // namespace subsidy::limits
