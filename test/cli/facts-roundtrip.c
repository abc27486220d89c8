// mapsafe.FactsDir writes the engine's input facts; mapsafe-facts re-runs the
// engine on them.  The facts survive a parse/print round trip byte for byte,
// the re-run finds exactly what clang-tidy reported (same warnings and notes,
// in the same order), and it draws the same graph as mapsafe.GraphDir.
//
// RUN: rm -rf %t && mkdir -p %t/facts %t/graph && cd %S
// RUN: %clang_tidy -checks='-*,mapsafe-*' \
// RUN:   --config="{CheckOptions: {mapsafe.FactsDir: '%t/facts', mapsafe.GraphDir: '%t/graph'}}" \
// RUN:   %s -- %glib_cflags -pthread > %t/tidy.out
// RUN: ls %t/facts | FileCheck %s --check-prefix=FILES --match-full-lines --implicit-check-not='{{.}}'
// RUN: FileCheck %s --check-prefix=FACTS --input-file=%t/facts/facts-roundtrip.c.facts.json $(mapsafe-lines %s)
//
// Round trip: parse and print the facts.
// RUN: %mapsafe_facts --emit=facts %t/facts/facts-roundtrip.c.facts.json > %t/facts-again.json
// RUN: diff %t/facts/facts-roundtrip.c.facts.json %t/facts-again.json
// ... also from standard input.
// RUN: %mapsafe_facts --emit=facts - < %t/facts/facts-roundtrip.c.facts.json | diff %t/facts-again.json -
//
// Findings: exit status 1 ("findings reported"), and the same warning and note
// lines as clang-tidy's, file names without directories.
// RUN: %mapsafe_facts %t/facts/facts-roundtrip.c.facts.json > %t/cli.out; test $? -eq 1
// RUN: grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|note|error): ' %t/tidy.out | sed -E 's|^[^:]*/||' > %t/tidy.diags
// RUN: sed -E 's|^[^:]*/||' %t/cli.out > %t/cli.diags
// RUN: diff %t/tidy.diags %t/cli.diags
// RUN: FileCheck %s --check-prefix=DIAGS --input-file=%t/cli.diags --match-full-lines $(mapsafe-lines %s) \
// RUN:   --implicit-check-not='{{.}}'
//
// The graph from the facts is the graph clang-tidy wrote (which lacks only the
// final newline).
// RUN: %mapsafe_facts --emit=graph-json %t/facts/facts-roundtrip.c.facts.json > %t/cli.json
// RUN: sed '$a\' %t/graph/facts-roundtrip.c.mapsafe.json | diff - %t/cli.json
// RUN: %mapsafe_facts --emit=graph-dot %t/facts/facts-roundtrip.c.facts.json > %t/cli.dot
// RUN: diff %t/graph/facts-roundtrip.c.mapsafe.dot %t/cli.dot
//
// Fact files that are not: exit status 2 and a message naming the file.
// RUN: printf '{\n "format": "mapsafe-facts",\n' > %t/truncated.json
// RUN: %mapsafe_facts %t/truncated.json > %t/bad.out 2>&1; test $? -eq 2
// RUN: printf '{"format": "other", "version": 1, "functions": [], "calls": [], "spawns": [], "accesses": []}\n' > %t/other.json
// RUN: %mapsafe_facts --emit=facts %t/other.json >> %t/bad.out 2>&1; test $? -eq 2
// RUN: FileCheck %s --check-prefix=BAD --input-file=%t/bad.out --match-full-lines --implicit-check-not='{{.}}'


#include <glib.h>
#include <pthread.h>

static GHashTable *sessions;
static pthread_mutex_t sessions_lock = PTHREAD_MUTEX_INITIALIZER;

static void add_session(const char *name) {
  pthread_mutex_lock(&sessions_lock); // L:lock
  g_hash_table_insert(sessions, g_strdup(name), GINT_TO_POINTER(1)); // L:insert
  pthread_mutex_unlock(&sessions_lock);
}

static void *acceptor(void *arg) {
  for (int i = 0; i < 10; i++)
    add_session(arg); // L:call_add
  return NULL;
}

static gboolean known(const char *name) {
  return g_hash_table_contains(sessions, name); // L:contains
}

static void *auditor(void *arg) {
  if (!known(arg)) // L:call_known
    g_hash_table_remove(sessions, arg); // L:remove
  return NULL;
}

int main(void) {
  pthread_t a, b;
  sessions = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL); // L:new_sessions
  pthread_create(&a, NULL, acceptor, "alice"); // L:spawn_acceptor
  pthread_create(&b, NULL, auditor, "bob"); // L:spawn_auditor
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  g_hash_table_destroy(sessions);
  return 0;
}

// FILES: facts-roundtrip.c.facts.json

// The facts: the functions that matter, the calls between them, the spawns
// and the accesses with the locks held.
// FACTS:      {
// FACTS-NEXT:  "format": "mapsafe-facts",
// FACTS-NEXT:  "version": 1,
// FACTS-NEXT:  "functions": [
// FACTS:        "name": "add_session",
// FACTS:        "name": "acceptor",
// FACTS:        "name": "known",
// FACTS:        "name": "auditor",
// FACTS:        "name": "main",
// FACTS:       "calls": [
// FACTS:        "loc": {
// FACTS-NEXT:    "file": "{{/.*}}/facts-roundtrip.c",
// FACTS-NEXT:    "line": [[L_call_add]],
// FACTS:       "spawns": [
// FACTS:        "loc": {
// FACTS-NEXT:    "file": "{{/.*}}/facts-roundtrip.c",
// FACTS-NEXT:    "line": [[L_spawn_acceptor]],
// FACTS-NEXT:    "col": 3
// FACTS-NEXT:   },
// FACTS-NEXT:   "api": "pthread_create",
// FACTS:        "multiplicity": "one",
// FACTS:       "accesses": [
// FACTS:        "loc": {
// FACTS-NEXT:    "file": "{{/.*}}/facts-roundtrip.c",
// FACTS-NEXT:    "line": [[L_insert]],
// FACTS-NEXT:    "col": 3
// FACTS-NEXT:   },
// FACTS-NEXT:   "kind": "write",
// FACTS-NEXT:   "api": "g_hash_table_insert",
// FACTS-NEXT:   "library": "GHashTable",
// FACTS-NEXT:   "map": {
// FACTS-NEXT:    "base": "global",
// FACTS-NEXT:    "name": "{{/.*}}/facts-roundtrip.c::sessions",
// FACTS-NEXT:    "display": "sessions"
// FACTS-NEXT:   },
// FACTS:        "locks": [
// FACTS-NEXT:    {
// FACTS-NEXT:     "lock": {
// FACTS-NEXT:      "base": "global",
// FACTS-NEXT:      "name": "{{/.*}}/facts-roundtrip.c::sessions_lock",
// FACTS-NEXT:      "display": "sessions_lock"
// FACTS-NEXT:     },
// FACTS-NEXT:     "mode": "exclusive",

// What both clang-tidy and mapsafe-facts report, in this order.
// DIAGS:      facts-roundtrip.c:[[L_contains]]:10: warning: unsynchronized read of map 'sessions' (g_hash_table_contains) can race with a write in thread 'acceptor'; no lock is held [mapsafe-unsynchronized-read]
// DIAGS-NEXT: facts-roundtrip.c:[[L_insert]]:3: note: conflicting write (g_hash_table_insert) in thread 'acceptor'
// DIAGS-NEXT: facts-roundtrip.c:[[L_lock]]:3: note: 'sessions_lock', acquired here, protects the conflicting access but is not held at the reported one
// DIAGS-NEXT: facts-roundtrip.c:[[L_spawn_acceptor]]:3: note: thread 'acceptor' is started here by the main thread
// DIAGS-NEXT: facts-roundtrip.c:[[L_spawn_auditor]]:3: note: thread 'auditor' is started here by the main thread
// DIAGS-NEXT: facts-roundtrip.c:[[L_call_known]]:8: note: 'known' is called from 'auditor' here
// DIAGS-NEXT: facts-roundtrip.c:[[L_call_add]]:5: note: 'add_session' is called from 'acceptor' here
// DIAGS-NEXT: facts-roundtrip.c:[[L_new_sessions]]:14: note: 'sessions' is created here: a GHashTable from string keys to int values
// DIAGS-NEXT: facts-roundtrip.c:[[L_remove]]:5: warning: unsynchronized write to map 'sessions' (g_hash_table_remove) can race with a write in thread 'acceptor'; no lock is held [mapsafe-unsynchronized-write]
// DIAGS-NEXT: facts-roundtrip.c:[[L_insert]]:3: note: conflicting write (g_hash_table_insert) in thread 'acceptor'
// DIAGS-NEXT: facts-roundtrip.c:[[L_lock]]:3: note: 'sessions_lock', acquired here, protects the conflicting access but is not held at the reported one
// DIAGS-NEXT: facts-roundtrip.c:[[L_spawn_acceptor]]:3: note: thread 'acceptor' is started here by the main thread
// DIAGS-NEXT: facts-roundtrip.c:[[L_spawn_auditor]]:3: note: thread 'auditor' is started here by the main thread
// DIAGS-NEXT: facts-roundtrip.c:[[L_call_add]]:5: note: 'add_session' is called from 'acceptor' here
// DIAGS-NEXT: facts-roundtrip.c:[[L_new_sessions]]:14: note: 'sessions' is created here: a GHashTable from string keys to int values

// BAD:      mapsafe-facts: {{.*}}truncated.json:3: invalid JSON: string or '}' expected near end of file (column 0)
// BAD-NEXT: mapsafe-facts: {{.*}}other.json: format: expected "mapsafe-facts": not a mapsafe fact file
