// OpenMP work-sharing `sections` inside a `parallel` region: each section
// runs once, on one thread of the team, beside the others; the barrier at
// the end of the construct (none with `nowait`) ends them all before the
// team goes on.  Two sections fill the same table: the buggy twin without
// a lock, the fixed twin in a critical section.  A third section fills a
// table the whole team writes after the construct: the barrier keeps them
// apart, `nowait` does not.
// RUN: %mapsafe_check %s -- %glib_cflags %omp_cflags
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags %omp_cflags -DFIXED
// RUN: %mapsafe_check %s --prefix=NOWAIT -- %glib_cflags %omp_cflags -DFIXED -DNOWAIT

#include <glib.h>

static GHashTable *names, *seen;

void index_all(char **words, int n) {
  names = g_hash_table_new(g_str_hash, g_str_equal); // L:new_names
  seen = g_hash_table_new(g_str_hash, g_str_equal); // L:new_seen
#pragma omp parallel // L:parallel
  {
#ifdef NOWAIT
#pragma omp sections nowait
#else
#pragma omp sections
#endif
    {
#pragma omp section // L:sec1
      {
#ifdef FIXED
#pragma omp critical
#endif
        g_hash_table_insert(names, words[0], words[1]); // L:first
      }
#pragma omp section // L:sec2
      {
#ifdef FIXED
#pragma omp critical
#endif
        g_hash_table_insert(names, words[2], words[3]); // L:second
      }
#pragma omp section // L:sec3
      g_hash_table_insert(seen, words[0], NULL); // L:alone
    }
#pragma omp critical
    g_hash_table_insert(seen, words[n - 1], NULL); // L:after
  }
}
// CHECK: openmp-worksharing-sections.c:[[L_first]]:9: warning: unsynchronized write to map 'names' (g_hash_table_insert) can race with a write in thread 'omp section in index_all (line [[L_sec2]])'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: openmp-worksharing-sections.c:[[L_second]]:9: note: conflicting write (g_hash_table_insert) in thread 'omp section in index_all (line [[L_sec2]])'
// CHECK-NEXT: openmp-worksharing-sections.c:[[L_sec2]]:1: note: thread 'omp section in index_all (line [[L_sec2]])' is started here by the thread calling 'index_all'
// CHECK-NEXT: openmp-worksharing-sections.c:[[L_sec1]]:1: note: thread 'omp section in index_all (line [[L_sec1]])' is started here by the thread calling 'index_all'
// CHECK-NEXT: openmp-worksharing-sections.c:[[L_new_names]]:11: note: 'names' is created here: a GHashTable from string keys to char * values
// CHECK: openmp-worksharing-sections.c:[[L_second]]:9: warning: unsynchronized write to map 'names' (g_hash_table_insert) can race with a write in thread 'omp section in index_all (line [[L_sec1]])'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: openmp-worksharing-sections.c:[[L_first]]:9: note: conflicting write (g_hash_table_insert) in thread 'omp section in index_all (line [[L_sec1]])'
// CHECK-NEXT: openmp-worksharing-sections.c:[[L_sec1]]:1: note: thread 'omp section in index_all (line [[L_sec1]])' is started here by the thread calling 'index_all'
// CHECK-NEXT: openmp-worksharing-sections.c:[[L_sec2]]:1: note: thread 'omp section in index_all (line [[L_sec2]])' is started here by the thread calling 'index_all'
// CHECK-NEXT: openmp-worksharing-sections.c:[[L_new_names]]:11: note: 'names' is created here: a GHashTable from string keys to char * values
// NOWAIT: openmp-worksharing-sections.c:[[L_alone]]:7: warning: unsynchronized write to map 'seen' (g_hash_table_insert) can race with a write in thread 'omp parallel in index_all (line [[L_parallel]])'; no lock is held [mapsafe-unsynchronized-write]
// NOWAIT-NEXT: openmp-worksharing-sections.c:[[L_after]]:5: note: conflicting write (g_hash_table_insert) in thread 'omp parallel in index_all (line [[L_parallel]])'
// NOWAIT-NEXT: openmp-worksharing-sections.c:[[L_after]]:5: note: 'omp critical', acquired here, protects the conflicting access but is not held at the reported one
// NOWAIT-NEXT: openmp-worksharing-sections.c:[[L_parallel]]:1: note: thread 'omp parallel in index_all (line [[L_parallel]])' is started here by the thread calling 'index_all', with many instances running at once
// NOWAIT-NEXT: openmp-worksharing-sections.c:[[L_sec3]]:1: note: thread 'omp section in index_all (line [[L_sec3]])' is started here by the thread calling 'index_all'
// NOWAIT-NEXT: openmp-worksharing-sections.c:[[L_new_seen]]:10: note: 'seen' is created here: a GHashTable with string keys
