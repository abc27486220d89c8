//===--- IncompleteAnalysisCheck.cpp - mapsafe-incomplete-analysis --------===//
#include "checks/IncompleteAnalysisCheck.h"

#include "mapsafe/messages.h"
#include <vector>

namespace mapsafe {

/// One warning at the top of the file for the first reason, a note for
/// each further one.
void IncompleteAnalysisCheck::reportFile(const TUAnalysis &A) {
  const ms_result *R = A.result();
  std::vector<ms_message> Reasons;
  for (unsigned Bit = MS_LIMIT_CONTEXTS; Bit <= MS_LIMIT_PAIRS; Bit <<= 1)
    if (R->limits & Bit) {
      Reasons.emplace_back();
      ms_limit_message(R, static_cast<ms_limit>(Bit), &Reasons.back());
    }
  if (R->unsettled) {
    Reasons.emplace_back();
    ms_unsettled_message(R, &Reasons.back());
  }
  for (size_t I = 0; I < Reasons.size(); ++I)
    emit(fileStart(), Reasons[I], I ? clang::DiagnosticIDs::Note : clang::DiagnosticIDs::Warning);
}

} // namespace mapsafe
