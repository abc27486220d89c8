// OpenMP `parallel sections`: each section runs once, beside the others
// (the first may be written without its `section` directive).  Two
// sections change the same table: the buggy twin without a lock, the
// fixed twin in a named critical section in both; a third touches another
// table alone.
// RUN: %mapsafe_check %s -- %glib_cflags %omp_cflags
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags %omp_cflags -DFIXED

#include <glib.h>

static GHashTable *names, *ids;

void load(char **argv) {
#pragma omp parallel sections
  {
#ifdef FIXED
#pragma omp critical(names)
#endif
    g_hash_table_add(names, argv[0]); // L:add
#pragma omp section // L:section2
    {
#ifdef FIXED
#pragma omp critical(names)
#endif
      g_hash_table_remove(names, argv[1]); // L:remove
    }
#pragma omp section
    g_hash_table_add(ids, argv[2]);
  }
}

int main(int argc, char **argv) {
  names = g_hash_table_new(g_str_hash, g_str_equal); // L:new_names
  ids = g_hash_table_new(g_str_hash, g_str_equal);
  if (argc > 2)
    load(argv); // L:call
  return 0;
}

// CHECK: openmp-sections.c:[[L_add]]:5: warning: unsynchronized write to map 'names' (g_hash_table_add) can race with a write in thread 'omp section in load (line 20)'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: openmp-sections.c:[[L_remove]]:7: note: conflicting write (g_hash_table_remove) in thread 'omp section in load (line 20)'
// CHECK-NEXT: openmp-sections.c:[[L_section2]]:1: note: thread 'omp section in load (line 20)' is started here by the main thread
// CHECK-NEXT: openmp-sections.c:[[L_call]]:5: note: 'load' is called from 'main' here
// CHECK-NEXT: openmp-sections.c:[[L_add]]:5: note: thread 'omp section in load (line 19)' is started here by the main thread
// CHECK-NEXT: openmp-sections.c:[[L_call]]:5: note: 'load' is called from 'main' here
// CHECK-NEXT: openmp-sections.c:[[L_new_names]]:11: note: 'names' is created here: a GHashTable with string keys
// CHECK-NEXT: openmp-sections.c:[[L_remove]]:7: warning: unsynchronized write to map 'names' (g_hash_table_remove) can race with a write in thread 'omp section in load (line 19)'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: openmp-sections.c:[[L_add]]:5: note: conflicting write (g_hash_table_add) in thread 'omp section in load (line 19)'
// CHECK-NEXT: openmp-sections.c:[[L_add]]:5: note: thread 'omp section in load (line 19)' is started here by the main thread
// CHECK-NEXT: openmp-sections.c:[[L_call]]:5: note: 'load' is called from 'main' here
// CHECK-NEXT: openmp-sections.c:[[L_section2]]:1: note: thread 'omp section in load (line 20)' is started here by the main thread
// CHECK-NEXT: openmp-sections.c:[[L_call]]:5: note: 'load' is called from 'main' here
// CHECK-NEXT: openmp-sections.c:[[L_new_names]]:11: note: 'names' is created here: a GHashTable with string keys
