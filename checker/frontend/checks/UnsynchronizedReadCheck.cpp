//===--- UnsynchronizedReadCheck.cpp - mapsafe-unsynchronized-read ------===//
#include "checks/UnsynchronizedReadCheck.h"

namespace mapsafe {

void UnsynchronizedReadCheck::report(const TUAnalysis &A, const ms_finding &F) {
  if (F.check == MS_CHECK_UNSYNCHRONIZED_READ)
    emit(A, F);
}

} // namespace mapsafe
