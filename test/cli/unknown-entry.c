// A thread started through a function pointer has an entry mapsafe cannot
// name.  The fact file says so ("entry": null), mapsafe-facts reads back
// what clang-tidy wrote (a round trip gives the same text), and neither
// follows that thread: the insert it might do is not reported, while the
// race between the named workers is, in both.
// RUN: rm -rf %t && mkdir -p %t && cd %S
// RUN: %clang_tidy -checks='-*,mapsafe-*' --config="{CheckOptions: {mapsafe.FactsDir: '%t'}}" \
// RUN:   %s -- %glib_cflags -pthread > %t/tidy.out 2>&1
// RUN: FileCheck %s --check-prefix=FACTS --input-file=%t/unknown-entry.c.facts.json $(mapsafe-lines %s)
// RUN: %mapsafe_facts --emit=facts %t/unknown-entry.c.facts.json > %t/again.json
// RUN: diff %t/unknown-entry.c.facts.json %t/again.json
// RUN: %mapsafe_facts %t/unknown-entry.c.facts.json > %t/cli.out; test $? -eq 1
// RUN: grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|note): ' %t/tidy.out | sed -E 's|^[^:]*/||' > %t/tidy.diags
// RUN: sed -E 's|^[^:]*/||' %t/cli.out | diff %t/tidy.diags -
// RUN: FileCheck %s --check-prefix=DIAGS --input-file=%t/tidy.diags $(mapsafe-lines %s) \
// RUN:   --match-full-lines --implicit-check-not='{{warning|note}}:'

#include <glib.h>
#include <pthread.h>

static GHashTable *seen;

static void *worker(void *arg) {
  g_hash_table_add(seen, arg); // L:add
  return NULL;
}

static void *other(void *arg) {
  g_hash_table_remove(seen, arg);
  return NULL;
}

typedef void *(*entry_fn)(void *);

static entry_fn pick(int i) { return i ? other : worker; }

int main(int argc, char **argv) {
  (void)argv;
  pthread_t th[4], extra;
  seen = g_hash_table_new(g_direct_hash, g_direct_equal); // L:new
  pthread_create(&extra, NULL, pick(argc), NULL); // L:unknown
  for (int i = 0; i < 4; i++)
    pthread_create(&th[i], NULL, worker, &th[i]); // L:spawn
  for (int i = 0; i < 4; i++)
    pthread_join(th[i], NULL);
  pthread_join(extra, NULL);
  return 0;
}

// FACTS:      "spawns": [
// FACTS:       "entry": null,
// FACTS-NEXT:  "loc": {
// FACTS-NEXT:   "file": "{{.*}}unknown-entry.c",
// FACTS-NEXT:   "line": [[L_unknown]],

// DIAGS:      unknown-entry.c:[[L_add]]:3: warning: unsynchronized write to map 'seen' (g_hash_table_add) can race with a write in another instance of thread 'worker'; no lock is held [mapsafe-unsynchronized-write]
// DIAGS-NEXT: unknown-entry.c:[[L_add]]:3: note: the same write (g_hash_table_add) runs concurrently in another instance of thread 'worker'
// DIAGS-NEXT: unknown-entry.c:[[L_spawn]]:5: note: thread 'worker' is started here by the main thread, with many instances running at once
// DIAGS-NEXT: unknown-entry.c:[[L_new]]:10: note: 'seen' is created here: a GHashTable with pointer keys
