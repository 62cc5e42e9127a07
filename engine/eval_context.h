#pragma once
// Everything one rule evaluation may read: the claim, the line, the person's history, the
// catalogue, and what this decision has approved so far. Built by the evaluator, read by the VM.

#include "engine/catalogue.h"
#include "engine/claim.h"
#include "engine/history.h"
#include "engine/ruleset.h"
#include "engine/systems_view.h"

#include <array>
#include <string_view>
#include <utility>
#include <vector>

namespace subsidy {

struct EvalContext {
  // The claim and the line.
  const Claim* claim = nullptr;
  const Ruleset* ruleset = nullptr;  // governs the line
  const Person* person = nullptr;    // the claim's person, or the line's trainee
  const TraineeResult* result = nullptr;  // settlements only
  const HistoryView* history = nullptr;
  const CatalogueView* catalogue = nullptr;
  const SystemsView* systems = nullptr;
  const PersonHistory* person_history = nullptr;  // nullptr: the person has no history
  Date line_date;
  Month line_month;
  Fen line_amount;
  Fen approved_total;  // for disbursement rules
  Period training;     // pre-job training or class dates, when the program has them

  // What this decision has approved so far (earlier lines), for caps and budgets.
  int approved_wft_months = 0;
  std::vector<std::pair<int, Fen>> approved_by_year;  // (year, amount)

  // Catalogue facts for line_date, resolved on first use.
  bool catalogue_resolved = false;
  const ProjectEntry* project_any = nullptr;
  const ProjectEntry* project_on = nullptr;
  const InstitutionEntry* institution_any = nullptr;
  const InstitutionEntry* institution_on = nullptr;

  // Text the VM hands out by address (Value holds a pointer to a string_view).
  std::string_view registration_type;
  std::string_view id_number;
  std::string_view name;
  std::string_view project_code;

  // Refs: the seqs of earlier decisions that history functions relied on.
  std::vector<Seq>* refs = nullptr;
  bool collect_refs = false;
  bool overflow = false;  // an arithmetic overflow happened; the evaluation is void
};

}  // namespace subsidy
