/* Included first in every C++ file of the sanitizer build
 * (MAPSAFE_SANITIZE).  The LLVM and Clang libraries mapsafe links against
 * are not built with AddressSanitizer, but their headers poison the slabs
 * of llvm::BumpPtrAllocator whenever the code that includes them is: a slab
 * that mapsafe's instrumented code starts would then be handed out,
 * poisoned, by the uninstrumented libraries, and their next write to it
 * reported as a use-after-poison.  The headers' poisoning calls are
 * renamed to functions that do nothing; everything else ASan checks stays
 * checked. */
#ifndef MAPSAFE_ASAN_LLVM_SHIM_H
#define MAPSAFE_ASAN_LLVM_SHIM_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif
void mapsafe_llvm_no_poison(void const volatile *addr, size_t size);
#ifdef __cplusplus
}
#endif
#define __asan_poison_memory_region(addr, size) mapsafe_llvm_no_poison(addr, size)
#define __asan_unpoison_memory_region(addr, size) mapsafe_llvm_no_poison(addr, size)
#endif
