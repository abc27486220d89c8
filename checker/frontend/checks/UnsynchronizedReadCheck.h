//===--- UnsynchronizedReadCheck.h - mapsafe-unsynchronized-read ----------===//
#ifndef MAPSAFE_FRONTEND_CHECKS_UNSYNCHRONIZEDREADCHECK_H
#define MAPSAFE_FRONTEND_CHECKS_UNSYNCHRONIZEDREADCHECK_H

#include "checks/MapsafeCheck.h"

namespace mapsafe {

/// A read of a shared map (lookup, contains, size, iteration) that can race
/// with a write to it, without the lock that would exclude the write.
/// docs/checks/unsynchronized-read.md
class UnsynchronizedReadCheck : public MapsafeCheck {
public:
  using MapsafeCheck::MapsafeCheck;

protected:
  void report(const TUAnalysis &A, const ms_finding &F) override;
};

} // namespace mapsafe

#endif
