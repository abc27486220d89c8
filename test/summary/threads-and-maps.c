// mapsafe.Summary: once per file, at its top, a remark that says what the
// analysis saw.  Here: threads started three ways (pthread_create in a loop,
// g_thread_new, a signal handler), two GLib maps of two libraries, their
// operations, two locks, the guard the workers' locking shows, and the
// findings (the signal handler's unlocked lookup).
//
// RUN: %mapsafe_check %s --config='{CheckOptions: {mapsafe.Summary: true}}' -- %glib_cflags -pthread
//
// The same under a check's own name (mapsafe-<check>.Summary), and with only
// one check enabled: told once, under that check's name, counting only its
// findings.
// RUN: %mapsafe_check %s --prefix=READ --checks='-*,mapsafe-unsynchronized-read' \
// RUN:   --config='{CheckOptions: {mapsafe-unsynchronized-write.Summary: yes}}' -- %glib_cflags -pthread
//
// Off by default, and off with 'false': the findings alone.
// RUN: %mapsafe_check %s --prefix=OFF -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=OFF --config='{CheckOptions: {mapsafe.Summary: false}}' -- %glib_cflags -pthread
//
// A remark is not a warning: clang-tidy counts only the finding ("1 warning
// generated"), and --warnings-as-errors turns the finding into an error but
// leaves the remark a remark.
// RUN: not clang-tidy-22 --load=%mapsafe_module -checks='-*,mapsafe-*' --warnings-as-errors='*' \
// RUN:   --config='{CheckOptions: {mapsafe.Summary: true}}' %s -- %glib_cflags -pthread > %t.out 2>&1
// RUN: FileCheck %s --input-file=%t.out --check-prefix=WERROR

// CHECK: threads-and-maps.c:1:1: remark: mapsafe summary: 4 thread roots, 2 maps, 7 map operations (2 reads, 3 writes, 2 creations), 2 locks, 1 guard, 1 finding [mapsafe-incomplete-analysis]
// CHECK-NEXT: threads-and-maps.c:1:1: note: 1 thread started with signal: 'on_hup'
// CHECK-NEXT: threads-and-maps.c:1:1: note: 2 threads started with pthread_create, each with many instances at once: 'worker', 'archiver'
// CHECK-NEXT: threads-and-maps.c:1:1: note: 1 thread started with g_thread_new: 'reaper'
// CHECK-NEXT: threads-and-maps.c:1:1: note: 1 GTree map: 'archive'
// CHECK-NEXT: threads-and-maps.c:1:1: note: 1 GHashTable map: 'sessions'
// CHECK-NEXT: threads-and-maps.c:1:1: note: 2 named locks held at map operations: 'sessions_lock', 'archive_lock'
// CHECK-NEXT: threads-and-maps.c:1:1: note: 'sessions' is guarded by 'sessions_lock' (inferred: held at 2 of the 3 functions that access it)
// CHECK-NEXT: threads-and-maps.c:1:1: note: findings: 0 unsynchronized-write, 1 unsynchronized-read, 0 inconsistent-locking (before NOLINT comments)
// CHECK-NEXT: threads-and-maps.c:[[L_hup]]:{{[0-9]+}}: warning: unsynchronized read of map 'sessions' (g_hash_table_size) can race with a write in thread 'worker'; no lock is held [mapsafe-unsynchronized-read]
// CHECK-COUNT-5: threads-and-maps.c:{{[0-9]+}}:{{[0-9]+}}: note: {{.*}}

// READ: threads-and-maps.c:1:1: remark: mapsafe summary: 4 thread roots, 2 maps, 7 map operations (2 reads, 3 writes, 2 creations), 2 locks, 1 guard, 1 finding [mapsafe-unsynchronized-read]
// READ-NEXT: threads-and-maps.c:1:1: note: 1 thread started with signal: 'on_hup'
// READ-NEXT: threads-and-maps.c:1:1: note: 2 threads started with pthread_create, each with many instances at once: 'worker', 'archiver'
// READ-NEXT: threads-and-maps.c:1:1: note: 1 thread started with g_thread_new: 'reaper'
// READ-NEXT: threads-and-maps.c:1:1: note: 1 GTree map: 'archive'
// READ-NEXT: threads-and-maps.c:1:1: note: 1 GHashTable map: 'sessions'
// READ-NEXT: threads-and-maps.c:1:1: note: 2 named locks held at map operations: 'sessions_lock', 'archive_lock'
// READ-NEXT: threads-and-maps.c:1:1: note: 'sessions' is guarded by 'sessions_lock' (inferred: held at 2 of the 3 functions that access it)
// READ-NEXT: threads-and-maps.c:1:1: note: findings: 0 unsynchronized-write, 1 unsynchronized-read, 0 inconsistent-locking (before NOLINT comments)
// READ-NEXT: threads-and-maps.c:[[L_hup]]:{{[0-9]+}}: warning: unsynchronized read of map 'sessions' (g_hash_table_size) can race with a write in thread 'worker'; no lock is held [mapsafe-unsynchronized-read]
// READ-COUNT-5: threads-and-maps.c:{{[0-9]+}}:{{[0-9]+}}: note: {{.*}}

// OFF: threads-and-maps.c:[[L_hup]]:{{[0-9]+}}: warning: unsynchronized read of map 'sessions' {{.*}} [mapsafe-unsynchronized-read]
// OFF-COUNT-5: threads-and-maps.c:{{[0-9]+}}:{{[0-9]+}}: note: {{.*}}

// WERROR: {{^}}1 warning generated.
// WERROR: threads-and-maps.c:1:1: remark: mapsafe summary: 4 thread roots, {{.*}} [mapsafe-incomplete-analysis]
// WERROR: threads-and-maps.c:[[#]]:[[#]]: error: unsynchronized read of map 'sessions' {{.*}} [mapsafe-unsynchronized-read,-warnings-as-errors]
// WERROR: {{^}}1 warning treated as error

#include <glib.h>
#include <pthread.h>
#include <signal.h>

static GHashTable *sessions;
static GMutex sessions_lock;
static GTree *archive;
static GMutex archive_lock;

static void *worker(void *arg) {
  g_mutex_lock(&sessions_lock);
  g_hash_table_insert(sessions, g_strdup(arg), NULL);
  g_mutex_unlock(&sessions_lock);
  return NULL;
}

static void *archiver(void *arg) {
  g_mutex_lock(&archive_lock);
  g_tree_insert(archive, arg, arg);
  g_mutex_unlock(&archive_lock);
  return NULL;
}

static gpointer reaper(gpointer arg) {
  g_mutex_lock(&sessions_lock);
  g_hash_table_remove(sessions, arg);
  g_mutex_unlock(&sessions_lock);
  return NULL;
}

static void on_hup(int sig) {
  (void)sig;
  g_print("%u\n", g_hash_table_size(sessions)); // L:hup
}

int main(void) {
  pthread_t w[4], a[2];
  sessions = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  archive = g_tree_new((GCompareFunc)g_strcmp0);
  signal(SIGHUP, on_hup);
  for (int i = 0; i < 4; i++)
    pthread_create(&w[i], NULL, worker, "k");
  for (int i = 0; i < 2; i++)
    pthread_create(&a[i], NULL, archiver, "k");
  GThread *r = g_thread_new("reaper", reaper, "k");
  for (int i = 0; i < 4; i++)
    pthread_join(w[i], NULL);
  for (int i = 0; i < 2; i++)
    pthread_join(a[i], NULL);
  g_thread_join(r);
  return (int)g_tree_nnodes(archive);
}
