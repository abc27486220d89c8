// mapsafe-clangd matches the rules' macros too: the uthash and khash
// operations of the main file are seen where they are written (their
// definitions come from the precompiled preamble), and the fixed twin is
// quiet.  (Only one of clangd's own tweaks is tried: some of them fail on
// khash's table macro, which is clangd's business.)
//
// REQUIRES: clangd
// RUN: rm -rf %t && mkdir -p %t/racy %t/fixed
// RUN: cp %s %t/racy/table.c && cp %s %t/fixed/table.c
// RUN: printf '%%s\n' -pthread %khash_cflags > %t/racy/compile_flags.txt
// RUN: printf '%%s\n' -pthread -DFIXED %khash_cflags > %t/fixed/compile_flags.txt
// RUN: printf 'Diagnostics:\n  ClangTidy:\n    Add: [mapsafe-*]\n    FastCheckFilter: None\n' > %t/racy/.clangd
// RUN: cp %t/racy/.clangd %t/fixed/.clangd
// RUN: cd %t/racy && %mapsafe_clangd --check=table.c --check-warnings --tweaks=DefineInline \
// RUN:   --resource-dir=/usr/lib/llvm-22/lib/clang/22 > out.txt 2>&1
// RUN: FileCheck %s --input-file=%t/racy/out.txt --check-prefix=RACY --implicit-check-not='[mapsafe-' \
// RUN:   --implicit-check-not='{{^E\[}}' $(mapsafe-lines %s)
// RUN: cd %t/fixed && %mapsafe_clangd --check=table.c --check-warnings --tweaks=DefineInline \
// RUN:   --resource-dir=/usr/lib/llvm-22/lib/clang/22 > out.txt 2>&1
// RUN: FileCheck %s --input-file=%t/fixed/out.txt --check-prefix=QUIET --implicit-check-not='[mapsafe-' \
// RUN:   --implicit-check-not='{{^E\[}}'

// RACY: Building AST...
// RACY-DAG: E[{{[0-9:.]+}}] [mapsafe-unsynchronized-write] Line [[L_add]]: unsynchronized write to map 'items' (HASH_ADD_INT) can race with a write in another instance of thread 'adder'; no lock is held
// RACY-DAG: E[{{[0-9:.]+}}] [mapsafe-unsynchronized-write] Line [[L_put]]: unsynchronized write to map 'counts' (kh_put) can race with a write in another instance of thread 'adder'; no lock is held
// RACY: All checks completed, 0 errors
// QUIET: Building AST...
// QUIET: All checks completed, 0 errors

#include <htslib/khash.h>
#include <pthread.h>
#include <stdlib.h>
#include <uthash.h>

KHASH_MAP_INIT_INT(i2i, int)

struct item { int id; UT_hash_handle hh; };
static struct item *items;
static khash_t(i2i) *counts;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *adder(void *arg) {
  struct item *it = calloc(1, sizeof *it);
  int ret;
  it->id = *(int *)arg;
#ifdef FIXED
  pthread_mutex_lock(&lock);
#endif
  HASH_ADD_INT(items, id, it); // L:add
  kh_put(i2i, counts, it->id, &ret); // L:put
#ifdef FIXED
  pthread_mutex_unlock(&lock);
#endif
  return NULL;
}

int main(void) {
  pthread_t t[2];
  int ids[2] = {1, 2};
  counts = kh_init(i2i);
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, adder, &ids[i]);
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  kh_destroy(i2i, counts);
  return 0;
}
