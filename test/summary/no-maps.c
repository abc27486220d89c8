// A file with threads but no map operation mapsafe models: the summary says
// there is nothing to check, and where a map library is described.  Without
// threads either (-DNO_THREADS) it says that too.
// RUN: %mapsafe_check %s --config='{CheckOptions: {mapsafe.Summary: true}}' -- -pthread
// RUN: %mapsafe_check %s --prefix=EMPTY --config='{CheckOptions: {mapsafe.Summary: on}}' -- -pthread -DNO_THREADS
//
// A file that does not compile is analysed where its errors leave it
// certain, and the summary says where mapsafe paused.
// RUN: not clang-tidy-22 --load=%mapsafe_module -checks='-*,mapsafe-*' \
// RUN:   --config='{CheckOptions: {mapsafe.Summary: true}}' %s -- -pthread -DBROKEN > %t.broken 2>&1
// RUN: FileCheck %s --input-file=%t.broken --check-prefix=BROKEN
//
// A value that is not a boolean is a configuration error, once,
// naming the option and the value; clang-tidy fails.
// RUN: not clang-tidy-22 --load=%mapsafe_module -checks='-*,mapsafe-*' \
// RUN:   --config='{CheckOptions: {mapsafe.Summary: sometimes}}' %s -- -pthread > %t.bad 2>&1
// RUN: FileCheck %s --input-file=%t.bad --check-prefix=BAD --implicit-check-not='mapsafe summary'

// CHECK: no-maps.c:1:1: remark: mapsafe summary: no map operation that mapsafe models is in this file, and 1 thread root is visible: there is nothing to check here [mapsafe-incomplete-analysis]
// CHECK-NEXT: no-maps.c:1:1: note: 1 thread started with pthread_create, with many instances at once: 'work'
// CHECK-NEXT: no-maps.c:1:1: note: maps of a library mapsafe does not model, or a project's own map API, can be described in a rule file (mapsafe.RulesFiles, docs/rules.md)

// EMPTY: no-maps.c:1:1: remark: mapsafe summary: no map operation that mapsafe models is in this file, and no thread starts or concurrent functions are visible: there is nothing to check here [mapsafe-incomplete-analysis]
// EMPTY-NEXT: no-maps.c:1:1: note: maps of a library {{.*}}

// BROKEN: no-maps.c:1:1: remark: mapsafe summary: no map operation that mapsafe models is in this file, and no thread starts or concurrent functions are visible: there is nothing to check here [mapsafe-incomplete-analysis]
// BROKEN: no-maps.c:1:1: note: mapsafe paused in 'main' (line [[#]]) and the functions that call it: the file has errors there; findings that involve them are reported again once they compile
// BROKEN: no-maps.c:[[#]]:[[#]]: error: use of undeclared identifier 'undeclared' [clang-diagnostic-error]

// BAD: {{^}}1 error generated.
// BAD: error: mapsafe: option Summary: 'sometimes' is not true or false [clang-tidy-config]
// BAD-NOT: error: mapsafe

#include <pthread.h>

static int hits;
static pthread_mutex_t hits_lock = PTHREAD_MUTEX_INITIALIZER;

static void *work(void *arg) {
  pthread_mutex_lock(&hits_lock);
  hits++;
  pthread_mutex_unlock(&hits_lock);
  return arg;
}

int main(void) {
#ifndef NO_THREADS
  pthread_t t[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, work, NULL);
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
#endif
#ifdef BROKEN
  return undeclared;
#endif
  return hits;
}
