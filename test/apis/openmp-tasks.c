// OpenMP tasks: a task runs on some thread of the team, beside the others,
// until the next barrier or taskwait; tasks created in a loop (or by every
// thread) run many at once.  One thread (single) creates a task per word;
// the buggy twin's tasks add to the shared table unlocked, the fixed
// twin's in a critical section.  After the taskwait the creating thread
// reads the table alone.
// RUN: %mapsafe_check %s -- %glib_cflags %omp_cflags
// RUN: %mapsafe_check %s --prefix=FIXED -- %glib_cflags %omp_cflags -DFIXED

#include <glib.h>

int index_all(char **w, int n) {
  GHashTable *t = g_hash_table_new(g_str_hash, g_str_equal);
  int size = 0;
#pragma omp parallel
  {
#pragma omp single
    {
      for (int i = 0; i < n; i++) {
#pragma omp task // L:task
        {
#ifdef FIXED
#pragma omp critical
#endif
          g_hash_table_add(t, w[i]); // L:add
        }
      }
#pragma omp taskwait
      size = g_hash_table_size(t);
    }
  }
  g_hash_table_destroy(t);
  return size;
}

int main(int argc, char **argv) {
  return index_all(argv, argc); // L:call
}

// CHECK: openmp-tasks.c:[[L_add]]:11: warning: unsynchronized write to map 't' (g_hash_table_add) can race with a write in another instance of thread 'omp task in index_all (line 20)'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: openmp-tasks.c:[[L_add]]:11: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'omp task in index_all (line 20)'
// CHECK-NEXT: openmp-tasks.c:[[L_task]]:1: note: thread 'omp task in index_all (line 20)' is started here by the main thread, with many instances running at once
// CHECK-NEXT: openmp-tasks.c:[[L_call]]:10: note: 'index_all' is called from 'main' here
