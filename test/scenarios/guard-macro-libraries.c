// Guard inference works on macro-based tables as on GLib's: a khash and a
// stb_ds table of a library's API (no threads in the file), each taken
// with its lock in two functions and touched without it in a third.  The
// fixed twin takes the lock there too.
// RUN: %mapsafe_check %s --checks='-*,mapsafe-inconsistent-locking' -- %khash_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED --checks='-*,mapsafe-inconsistent-locking' -- %khash_cflags -pthread -DFIXED

#include <pthread.h>
#include <stddef.h>
#include <htslib/khash.h>
#define STB_DS_IMPLEMENTATION
#include <stb/stb_ds.h>

KHASH_MAP_INIT_INT(id2n, int)

static pthread_mutex_t ids_lock = PTHREAD_MUTEX_INITIALIZER;
static khash_t(id2n) *ids;

struct alias { char *key; int value; };
static pthread_mutex_t aliases_lock = PTHREAD_MUTEX_INITIALIZER;
static struct alias *aliases;

void ids_set(int id, int n) {
  int ret;
  pthread_mutex_lock(&ids_lock); // L:ids_lock1
  if (!ids) // L:ids_test
    ids = kh_init(id2n);
  khint_t k = kh_put(id2n, ids, id, &ret);
  kh_val(ids, k) = n;
  pthread_mutex_unlock(&ids_lock);
}

int ids_get(int id) {
  pthread_mutex_lock(&ids_lock);
  khint_t k = ids ? kh_get(id2n, ids, id) : 0; // L:ids_get
  int n = ids && k != kh_end(ids) ? kh_val(ids, k) : -1;
  pthread_mutex_unlock(&ids_lock);
  return n;
}

void ids_forget(int id) { // L:forget_fn
#ifdef FIXED
  pthread_mutex_lock(&ids_lock);
#endif
  khint_t k = kh_get(id2n, ids, id); // L:forget_get
  if (k != kh_end(ids)) // L:forget_end
    kh_del(id2n, ids, k); // L:forget_del
#ifdef FIXED
  pthread_mutex_unlock(&ids_lock);
#endif
}

void alias_set(char *name, int v) {
  pthread_mutex_lock(&aliases_lock); // L:aliases_lock1
  shput(aliases, name, v); // L:shput
  pthread_mutex_unlock(&aliases_lock);
}

int alias_get(char *name) {
  pthread_mutex_lock(&aliases_lock);
  int v = shget(aliases, name); // L:alias_get
  pthread_mutex_unlock(&aliases_lock);
  return v;
}

void alias_drop(char *name) { // L:drop_fn
#ifdef FIXED
  pthread_mutex_lock(&aliases_lock);
#endif
  shdel(aliases, name); // L:alias_drop
#ifdef FIXED
  pthread_mutex_unlock(&aliases_lock);
#endif
}

// CHECK: guard-macro-libraries.c:[[L_forget_get]]:15: warning: 'ids' is accessed with 'ids_lock' held in 2 of 3 functions; this read (kh_get) does not hold it [mapsafe-inconsistent-locking]
// CHECK-NEXT: guard-macro-libraries.c:[[L_ids_test]]:7: note: 'ids_lock' is held here
// CHECK-NEXT: guard-macro-libraries.c:[[L_ids_get]]:21: note: 'ids_lock' is held here
// CHECK-NEXT: guard-macro-libraries.c:[[L_forget_fn]]:6: note: 'ids_forget' has external linkage: any thread may call it
// CHECK-NEXT: guard-macro-libraries.c:[[L_forget_end]]:12: warning: 'ids' is accessed with 'ids_lock' held in 2 of 3 functions; this read (kh_end) does not hold it [mapsafe-inconsistent-locking]
// CHECK-NEXT: guard-macro-libraries.c:[[L_ids_test]]:7: note: 'ids_lock' is held here
// CHECK-NEXT: guard-macro-libraries.c:[[L_ids_get]]:21: note: 'ids_lock' is held here
// CHECK-NEXT: guard-macro-libraries.c:[[L_forget_fn]]:6: note: 'ids_forget' has external linkage: any thread may call it
// CHECK-NEXT: guard-macro-libraries.c:[[L_forget_del]]:5: warning: 'ids' is accessed with 'ids_lock' held in 2 of 3 functions; this write (kh_del) does not hold it [mapsafe-inconsistent-locking]
// CHECK-NEXT: guard-macro-libraries.c:[[L_ids_test]]:7: note: 'ids_lock' is held here
// CHECK-NEXT: guard-macro-libraries.c:[[L_ids_get]]:21: note: 'ids_lock' is held here
// CHECK-NEXT: guard-macro-libraries.c:[[L_forget_fn]]:6: note: 'ids_forget' has external linkage: any thread may call it
// CHECK-NEXT: guard-macro-libraries.c:[[L_alias_drop]]:3: warning: 'aliases' is accessed with 'aliases_lock' held in 2 of 3 functions; this write (shdel) does not hold it [mapsafe-inconsistent-locking]
// CHECK-NEXT: guard-macro-libraries.c:[[L_shput]]:3: note: 'aliases_lock' is held here
// CHECK-NEXT: guard-macro-libraries.c:[[L_alias_get]]:11: note: 'aliases_lock' is held here
// CHECK-NEXT: guard-macro-libraries.c:[[L_drop_fn]]:6: note: 'alias_drop' has external linkage: any thread may call it
