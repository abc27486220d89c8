// khash (htslib's khash.h): a table type made by KHASH_MAP_INIT_STR, used
// through kh_put / kh_get / kh_val / kh_end, through a project's own
// wrapper macro (COUNT_PUT) and inline function (count_of), and walked with
// kh_foreach after the threads are joined.  Matched as macros: any table
// name works.  The buggy twin counts without the lock; the fixed twin holds
// `counts_lock` around the lookup and the put.
// RUN: %mapsafe_check %s -- %khash_cflags -pthread
// RUN: %mapsafe_check %s --prefix=FIXED -- %khash_cflags -pthread -DFIXED

#include <pthread.h>
#include <htslib/khash.h>

KHASH_MAP_INIT_STR(word2n, int)

struct stats {
  pthread_mutex_t counts_lock;
  khash_t(word2n) *counts;
};
static struct stats S = {PTHREAD_MUTEX_INITIALIZER, NULL};

#define COUNT_PUT(h, k, retp) kh_put(word2n, h, k, retp)

static inline int count_of(struct stats *st, const char *word) {
  khint_t it = kh_get(word2n, st->counts, word); // L:get
  return it == kh_end(st->counts) ? 0 : kh_val(st->counts, it); // L:end_val
}

static void *counter(void *arg) {
  int ret;
#ifdef FIXED
  pthread_mutex_lock(&S.counts_lock);
#endif
  int n = count_of(&S, arg); // L:call
  khint_t it = COUNT_PUT(S.counts, arg, &ret); // L:put
  kh_val(S.counts, it) = n + 1; // L:set
#ifdef FIXED
  pthread_mutex_unlock(&S.counts_lock);
#endif
  return NULL;
}

int main(void) {
  pthread_t t[2];
  S.counts = kh_init(word2n); // L:init
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, counter, "word"); // L:spawn
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  const char *w;
  int n, total = 0;
  kh_foreach(S.counts, w, n, { total += n; (void)w; });
  kh_destroy(word2n, S.counts);
  return total != 2;
}

// CHECK: khash-counts.c:[[L_get]]:16: warning: unsynchronized read of map 'struct stats.counts' (kh_get) can race with a write in another instance of thread 'counter'; no lock is held [mapsafe-unsynchronized-read]
// CHECK-NEXT: khash-counts.c:[[L_put]]:16: note: conflicting write (kh_put) in thread 'counter', another instance
// CHECK-NEXT: khash-counts.c:[[L_spawn]]:5: note: thread 'counter' is started here by the main thread, with many instances running at once
// CHECK-NEXT: khash-counts.c:[[L_call]]:11: note: 'count_of' is called from 'counter' here
// CHECK-NEXT: khash-counts.c:[[L_init]]:14: note: 'struct stats.counts' is created here: a khash with const char * keys
// CHECK-NEXT: khash-counts.c:[[L_end_val]]:16: warning: unsynchronized read of map 'struct stats.counts' (kh_end) can race with a write in another instance of thread 'counter'; no lock is held [mapsafe-unsynchronized-read]
// CHECK-NEXT: khash-counts.c:[[L_put]]:16: note: conflicting write (kh_put) in thread 'counter', another instance
// CHECK-NEXT: khash-counts.c:[[L_spawn]]:5: note: thread 'counter' is started here by the main thread, with many instances running at once
// CHECK-NEXT: khash-counts.c:[[L_call]]:11: note: 'count_of' is called from 'counter' here
// CHECK-NEXT: khash-counts.c:[[L_init]]:14: note: 'struct stats.counts' is created here: a khash with const char * keys
// CHECK-NEXT: khash-counts.c:[[L_end_val]]:41: warning: unsynchronized read of map 'struct stats.counts' (kh_val) can race with a write in another instance of thread 'counter'; no lock is held [mapsafe-unsynchronized-read]
// CHECK-NEXT: khash-counts.c:[[L_put]]:16: note: conflicting write (kh_put) in thread 'counter', another instance
// CHECK-NEXT: khash-counts.c:[[L_spawn]]:5: note: thread 'counter' is started here by the main thread, with many instances running at once
// CHECK-NEXT: khash-counts.c:[[L_call]]:11: note: 'count_of' is called from 'counter' here
// CHECK-NEXT: khash-counts.c:[[L_init]]:14: note: 'struct stats.counts' is created here: a khash with const char * keys
// CHECK-NEXT: khash-counts.c:[[L_put]]:16: warning: unsynchronized write to map 'struct stats.counts' (kh_put) can race with a write in another instance of thread 'counter'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: khash-counts.c:[[L_put]]:16: note: the same write (kh_put) runs concurrently in another instance of thread 'counter'
// CHECK-NEXT: khash-counts.c:[[L_spawn]]:5: note: thread 'counter' is started here by the main thread, with many instances running at once
// CHECK-NEXT: khash-counts.c:[[L_init]]:14: note: 'struct stats.counts' is created here: a khash with const char * keys
// CHECK-NEXT: khash-counts.c:[[L_set]]:3: warning: unsynchronized read of map 'struct stats.counts' (kh_val) can race with a write in another instance of thread 'counter'; no lock is held [mapsafe-unsynchronized-read]
// CHECK-NEXT: khash-counts.c:[[L_put]]:16: note: conflicting write (kh_put) in thread 'counter', another instance
// CHECK-NEXT: khash-counts.c:[[L_spawn]]:5: note: thread 'counter' is started here by the main thread, with many instances running at once
// CHECK-NEXT: khash-counts.c:[[L_init]]:14: note: 'struct stats.counts' is created here: a khash with const char * keys
