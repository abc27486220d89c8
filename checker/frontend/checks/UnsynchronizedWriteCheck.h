//===--- UnsynchronizedWriteCheck.h - mapsafe-unsynchronized-write --------===//
#ifndef MAPSAFE_FRONTEND_CHECKS_UNSYNCHRONIZEDWRITECHECK_H
#define MAPSAFE_FRONTEND_CHECKS_UNSYNCHRONIZEDWRITECHECK_H

#include "checks/MapsafeCheck.h"

namespace mapsafe {

/// A write to a shared map (insert, replace, remove, clear, destroy) that
/// can race with another access to it: another write, or a read that holds
/// the lock this write lacks.  docs/checks/unsynchronized-write.md
class UnsynchronizedWriteCheck : public MapsafeCheck {
public:
  using MapsafeCheck::MapsafeCheck;

protected:
  void report(const TUAnalysis &A, const ms_finding &F) override;
};

} // namespace mapsafe

#endif
