//===--- UnsynchronizedReadCheck.cpp - mapsafe-unsynchronized-read ------===//
#include "UnsynchronizedReadCheck.h"

#include "mapsafe/report.h"

namespace mapsafe {

void UnsynchronizedReadCheck::report(const TUAnalysis &A, const ms_finding &F) {
  if (F.check != MS_CHECK_UNSYNCHRONIZED_READ)
    return;
  char Message[512];
  ms_headline(A.result(), &F, Message, sizeof Message);
  emit(A, F, Message);
}

} // namespace mapsafe
