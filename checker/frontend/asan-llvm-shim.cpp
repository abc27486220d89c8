// The no-op the sanitizer build's LLVM headers call instead of poisoning
// their allocators' memory (asan-llvm-shim.h).
#include <stddef.h>

extern "C" void mapsafe_llvm_no_poison(void const volatile *, size_t) {}
