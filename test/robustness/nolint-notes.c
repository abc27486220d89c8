// A NOLINT comment suppresses the warning on its own line and nothing else.
// The feeder's unlocked insert races with the auditor's unlocked lookup;
// the lookup's warning is suppressed with NOLINT at its line, naming the
// read check or bare.  The insert is still reported with every note, and
// clang-tidy counts exactly one suppressed warning.  The note about the
// lookup stays where it is when the comment names another check; under a
// bare NOLINT, which would hide it (and clang-tidy would then drop the notes
// after it and count it as a suppressed warning), it is told at the insert's
// line, saying where it belongs.
// RUN: %mapsafe_check %s -- %glib_cflags -pthread
// RUN: %mapsafe_check %s --prefix=BARE -- %glib_cflags -pthread -DBARE
// RUN: %clang_tidy -checks='-*,mapsafe-*' %s -- %glib_cflags -pthread 2>&1 \
// RUN:   | FileCheck %s --check-prefix=COUNT
// RUN: %clang_tidy -checks='-*,mapsafe-*' %s -- %glib_cflags -pthread -DBARE 2>&1 \
// RUN:   | FileCheck %s --check-prefix=COUNT
// Without the comment both accesses are reported.
// RUN: rm -rf %t && mkdir -p %t && sed 's/NO[L]INT/defused/g' %s > %t/nolint-notes.c
// RUN: %mapsafe_check %t/nolint-notes.c --prefix=ALL -- %glib_cflags -pthread

#include <glib.h>
#include <pthread.h>

static GHashTable *orders;

static void *feeder(void *arg) {
  g_hash_table_insert(orders, arg, arg); // L:insert
  return NULL;
}

static void *auditor(void *arg) {
#ifdef BARE
  return g_hash_table_lookup(orders, arg); // NOLINT // L:bare
#else
  return g_hash_table_lookup(orders, arg); // NOLINT(mapsafe-unsynchronized-read) // L:named
#endif
}

int main(void) {
  pthread_t a, b;
  orders = g_hash_table_new(g_direct_hash, g_direct_equal); // L:new
  pthread_create(&a, NULL, feeder, &a); // L:spawn_feeder
  pthread_create(&b, NULL, auditor, &b); // L:spawn_auditor
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return 0;
}

// CHECK:      nolint-notes.c:[[L_insert]]:3: warning: unsynchronized write to map 'orders' (g_hash_table_insert) can race with a read in thread 'auditor'; no lock is held [mapsafe-unsynchronized-write]
// CHECK-NEXT: nolint-notes.c:[[L_named]]:10: note: conflicting read (g_hash_table_lookup) in thread 'auditor'
// CHECK-NEXT: nolint-notes.c:[[L_spawn_auditor]]:3: note: thread 'auditor' is started here by the main thread
// CHECK-NEXT: nolint-notes.c:[[L_spawn_feeder]]:3: note: thread 'feeder' is started here by the main thread
// CHECK-NEXT: nolint-notes.c:[[L_new]]:12: note: 'orders' is created here: a GHashTable with pointer keys

// BARE:      nolint-notes.c:[[L_insert]]:3: warning: unsynchronized write to map 'orders' (g_hash_table_insert) can race with a read in thread 'auditor'; no lock is held [mapsafe-unsynchronized-write]
// BARE-NEXT: nolint-notes.c:[[L_insert]]:3: note: conflicting read (g_hash_table_lookup) in thread 'auditor' (at nolint-notes.c:[[L_bare]]:10)
// BARE-NEXT: nolint-notes.c:[[L_spawn_auditor]]:3: note: thread 'auditor' is started here by the main thread
// BARE-NEXT: nolint-notes.c:[[L_spawn_feeder]]:3: note: thread 'feeder' is started here by the main thread
// BARE-NEXT: nolint-notes.c:[[L_new]]:12: note: 'orders' is created here: a GHashTable with pointer keys

// COUNT: Suppressed 1 warnings (1 NOLINT).

// ALL:      nolint-notes.c:[[L_insert]]:3: warning: unsynchronized write to map 'orders' {{.*}} [mapsafe-unsynchronized-write]
// ALL-NEXT: nolint-notes.c:[[L_named]]:10: note: conflicting read (g_hash_table_lookup) in thread 'auditor'
// ALL-NEXT: nolint-notes.c:[[L_spawn_auditor]]:3: note: thread 'auditor' is started here by the main thread
// ALL-NEXT: nolint-notes.c:[[L_spawn_feeder]]:3: note: thread 'feeder' is started here by the main thread
// ALL-NEXT: nolint-notes.c:[[L_new]]:12: note: 'orders' is created here: a GHashTable with pointer keys
// ALL-NEXT: nolint-notes.c:[[L_named]]:10: warning: unsynchronized read of map 'orders' (g_hash_table_lookup) can race with a write in thread 'feeder'; no lock is held [mapsafe-unsynchronized-read]
// ALL-NEXT: nolint-notes.c:[[L_insert]]:3: note: conflicting write (g_hash_table_insert) in thread 'feeder'
// ALL-NEXT: nolint-notes.c:[[L_spawn_feeder]]:3: note: thread 'feeder' is started here by the main thread
// ALL-NEXT: nolint-notes.c:[[L_spawn_auditor]]:3: note: thread 'auditor' is started here by the main thread
// ALL-NEXT: nolint-notes.c:[[L_new]]:12: note: 'orders' is created here: a GHashTable with pointer keys
