// OpenMP phases: a barrier (explicit, or the one at the end of `single` or
// of a work-sharing `for` without nowait) orders what the team does before
// it and after it; a `single` or `master` block runs on one thread, beside
// the others; a work-sharing `for` runs its iterations on the team.  The
// buggy twin's master block adds while the others look up, and the loop
// after the barrier adds unlocked; the fixed twin holds a critical section
// around those.
// RUN: %mapsafe_check %s -- %glib_cflags %omp_cflags
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags %omp_cflags -DFIXED

#include <glib.h>

#ifdef FIXED
#define GUARDED _Pragma("omp critical(t)")
#else
#define GUARDED
#endif

int index_words(char **w, int n) {
  GHashTable *t = g_hash_table_new(g_str_hash, g_str_equal);
  int hits = 0;
#pragma omp parallel reduction(+ : hits) // L:region
  {
#pragma omp single
    g_hash_table_add(t, w[0]); // one thread; its barrier follows
    GUARDED
    hits += g_hash_table_contains(t, "x"); // L:contains
#pragma omp master // L:master
    {
      GUARDED
      g_hash_table_add(t, w[1]); // L:master_add
    }
#pragma omp barrier
#pragma omp for
    for (int i = 0; i < n; i++) {
      GUARDED
      g_hash_table_add(t, w[i]); // L:loop_add
    }
  }
  int r = g_hash_table_size(t) + hits;
  g_hash_table_destroy(t);
  return r;
}

int main(int argc, char **argv) {
  return index_words(argv, argc); // L:call
}

// CHECK: openmp-phases.c:[[L_contains]]:13: warning: unsynchronized read of map 't' (g_hash_table_contains) can race with a write in thread 'omp master in index_words (line 28, after barrier 1)'; no lock is held [mapsafe-unsynchronized-read]
// CHECK-NEXT: openmp-phases.c:[[L_master_add]]:7: note: conflicting write (g_hash_table_add) in thread 'omp master in index_words (line 28, after barrier 1)'
// CHECK-NEXT: openmp-phases.c:[[L_master]]:1: note: thread 'omp master in index_words (line 28, after barrier 1)' is started here by the main thread
// CHECK-NEXT: openmp-phases.c:[[L_call]]:10: note: 'index_words' is called from 'main' here
// CHECK-NEXT: openmp-phases.c:[[L_region]]:1: note: thread 'omp parallel in index_words (line 22, after barrier 1)' is started here by the main thread, with many instances running at once
// CHECK-NEXT: openmp-phases.c:[[L_call]]:10: note: 'index_words' is called from 'main' here
// CHECK-NEXT: openmp-phases.c:[[L_master_add]]:7: warning: unsynchronized write to map 't' (g_hash_table_add) can race with a read in thread 'omp parallel in index_words (line 22, after barrier 1)'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: openmp-phases.c:[[L_contains]]:13: note: conflicting read (g_hash_table_contains) in thread 'omp parallel in index_words (line 22, after barrier 1)'
// CHECK-NEXT: openmp-phases.c:[[L_region]]:1: note: thread 'omp parallel in index_words (line 22, after barrier 1)' is started here by the main thread, with many instances running at once
// CHECK-NEXT: openmp-phases.c:[[L_call]]:10: note: 'index_words' is called from 'main' here
// CHECK-NEXT: openmp-phases.c:[[L_master]]:1: note: thread 'omp master in index_words (line 28, after barrier 1)' is started here by the main thread
// CHECK-NEXT: openmp-phases.c:[[L_call]]:10: note: 'index_words' is called from 'main' here
// CHECK-NEXT: openmp-phases.c:[[L_loop_add]]:7: warning: unsynchronized write to map 't' (g_hash_table_add) can race with a write in another instance of thread 'omp parallel in index_words (line 22, after barrier 2)'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: openmp-phases.c:[[L_loop_add]]:7: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'omp parallel in index_words (line 22, after barrier 2)'
// CHECK-NEXT: openmp-phases.c:[[L_region]]:1: note: thread 'omp parallel in index_words (line 22, after barrier 2)' is started here by the main thread, with many instances running at once
// CHECK-NEXT: openmp-phases.c:[[L_call]]:10: note: 'index_words' is called from 'main' here
