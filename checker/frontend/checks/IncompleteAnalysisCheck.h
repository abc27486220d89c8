//===--- IncompleteAnalysisCheck.h - mapsafe-incomplete-analysis ----------===//
#ifndef MAPSAFE_FRONTEND_CHECKS_INCOMPLETEANALYSISCHECK_H
#define MAPSAFE_FRONTEND_CHECKS_INCOMPLETEANALYSISCHECK_H

#include "checks/MapsafeCheck.h"

namespace mapsafe {

/// Tells, once per file, that mapsafe could not analyse all of it: a bound
/// of the analysis was reached, or a function's dataflow did not settle.
/// Without it a file that is only partly analysed looks clean.
/// docs/checks/incomplete-analysis.md
class IncompleteAnalysisCheck : public MapsafeCheck {
public:
  using MapsafeCheck::MapsafeCheck;

protected:
  void report(const TUAnalysis &, const ms_finding &) override {}
  void reportFile(const TUAnalysis &A) override;
};

} // namespace mapsafe

#endif
