//===--- InconsistentLockingCheck.h - mapsafe-inconsistent-locking --------===//
#ifndef MAPSAFE_FRONTEND_CHECKS_INCONSISTENTLOCKINGCHECK_H
#define MAPSAFE_FRONTEND_CHECKS_INCONSISTENTLOCKINGCHECK_H

#include "checks/MapsafeCheck.h"

namespace mapsafe {

/// An access to a shared map that does not hold the lock which guards the
/// map at its other accesses (declared, or inferred from where the code
/// holds it), where the access can run concurrently with another one.
/// Where a race check that is enabled proves the race with visible
/// threads, that finding is told instead.  docs/checks/inconsistent-locking.md
class InconsistentLockingCheck : public MapsafeCheck {
public:
  using MapsafeCheck::MapsafeCheck;

protected:
  void report(const TUAnalysis &A, const ms_finding &F) override;
};

} // namespace mapsafe

#endif
