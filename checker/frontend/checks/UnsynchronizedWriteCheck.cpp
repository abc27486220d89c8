//===--- UnsynchronizedWriteCheck.cpp - mapsafe-unsynchronized-write ------===//
#include "checks/UnsynchronizedWriteCheck.h"

namespace mapsafe {

void UnsynchronizedWriteCheck::report(const TUAnalysis &A, const ms_finding &F) {
  if (F.check == MS_CHECK_UNSYNCHRONIZED_WRITE)
    emit(A, F);
}

} // namespace mapsafe
