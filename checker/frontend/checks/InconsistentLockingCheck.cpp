//===--- InconsistentLockingCheck.cpp - mapsafe-inconsistent-locking ------===//
#include "checks/InconsistentLockingCheck.h"

namespace mapsafe {

void InconsistentLockingCheck::report(const TUAnalysis &A, const ms_finding &F) {
  if (F.check == MS_CHECK_INCONSISTENT_LOCKING &&
      !ms_finding_superseded(A.result(), &F, enabledChecks()))
    emit(A, F);
}

} // namespace mapsafe
