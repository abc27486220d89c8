// OpenMP parallel regions: the body of `#pragma omp parallel` (and
// `parallel for`) runs on a team of threads at once, and the function goes
// on once they are all done.  A variable of the function is shared by the
// team unless the region declares it or a clause makes it private.
// `critical` (named or not) and omp_set_lock are locks.  A barrier (also
// the one at the end of `single`) separates what runs before it from what
// runs after (openmp-phases.c).
// The buggy twin counts words into a shared table and a global one with no
// lock; the fixed twin holds a critical section and an OpenMP lock.
// RUN: %mapsafe_check %s -- %glib_cflags %omp_cflags
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags %omp_cflags -DFIXED

#include <glib.h>
#include <omp.h>

static GHashTable *all_words;
static omp_lock_t all_lock;

static void remember(const char *w) {
#ifdef FIXED
  omp_set_lock(&all_lock);
#endif
  g_hash_table_add(all_words, (gpointer)w); // L:remember
#ifdef FIXED
  omp_unset_lock(&all_lock);
#endif
}

int count_words(char **words, int n) {
  GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
#pragma omp parallel for // L:region
  for (int i = 0; i < n; i++) {
#ifdef FIXED
#pragma omp critical(seen)
#endif
    g_hash_table_add(seen, words[i]); // L:add
    remember(words[i]); // L:call
  }
  int r = g_hash_table_size(seen); // after the region: alone again
  g_hash_table_destroy(seen);
  return r;
}

// Each thread's own table, and a reduction: nothing shared.
int distinct_per_thread(char **words, int n) {
  int total = 0;
#pragma omp parallel reduction(+ : total)
  {
    GHashTable *mine = g_hash_table_new(g_str_hash, g_str_equal);
    for (int i = 0; i < n; i++)
      g_hash_table_add(mine, words[i]);
    total += g_hash_table_size(mine);
    g_hash_table_destroy(mine);
  }
  return total;
}

// One thread fills the table (single), and after its barrier all read it:
// nothing runs at once.
int phases(char **words, int n) {
  GHashTable *t = g_hash_table_new(g_str_hash, g_str_equal);
  int found = 0;
#pragma omp parallel reduction(+ : found)
  {
#pragma omp single
    for (int i = 0; i < n; i++)
      g_hash_table_add(t, words[i]);
    found += g_hash_table_contains(t, "x");
  }
  g_hash_table_destroy(t);
  return found;
}

int main(int argc, char **argv) {
  omp_init_lock(&all_lock);
  all_words = g_hash_table_new(g_str_hash, g_str_equal); // L:new_all
  int r = count_words(argv, argc) + distinct_per_thread(argv, argc) + phases(argv, argc); // L:main_call
  omp_destroy_lock(&all_lock);
  return r;
}

// CHECK: openmp-regions.c:[[L_remember]]:3: warning: unsynchronized write to map 'all_words' (g_hash_table_add) can race with a write in another instance of thread 'omp parallel in count_words (line 31)'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: openmp-regions.c:[[L_remember]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'omp parallel in count_words (line 31)'
// CHECK-NEXT: openmp-regions.c:[[L_region]]:1: note: thread 'omp parallel in count_words (line 31)' is started here by the main thread, with many instances running at once
// CHECK-NEXT: openmp-regions.c:[[L_main_call]]:11: note: 'count_words' is called from 'main' here
// CHECK-NEXT: openmp-regions.c:[[L_call]]:5: note: 'remember' is called from 'omp parallel in count_words (line 31)' here
// CHECK-NEXT: openmp-regions.c:[[L_new_all]]:15: note: 'all_words' is created here: a GHashTable with string keys
// CHECK-NEXT: openmp-regions.c:[[L_add]]:5: warning: unsynchronized write to map 'seen' (g_hash_table_add) can race with a write in another instance of thread 'omp parallel in count_words (line 31)'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: openmp-regions.c:[[L_add]]:5: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'omp parallel in count_words (line 31)'
// CHECK-NEXT: openmp-regions.c:[[L_region]]:1: note: thread 'omp parallel in count_words (line 31)' is started here by the main thread, with many instances running at once
// CHECK-NEXT: openmp-regions.c:[[L_main_call]]:11: note: 'count_words' is called from 'main' here
