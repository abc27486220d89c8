/*
** Internal helpers shared by the engine's sources; not part of the API.
*/
#ifndef MAPSAFE_INTERNAL_H
#define MAPSAFE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "mapsafe/facts.h"

/* Grows an array (items/count/cap) to hold one more element; 0 on success. */
int ms__grow(void **items, uint32_t *cap, uint32_t count, size_t elem);
#define MS_GROW(arr) \
  ms__grow((void **)&(arr).items, &(arr).cap, (arr).count, sizeof *(arr).items)

/* Deep copies of the sets of facts.h (0 on success; nothing to free on
** failure) and their release. */
int ms__idset_copy(ms_idset *dst, const ms_idset *src);
int ms__pathset_copy(ms_pathset *dst, const ms_pathset *src);
int ms__lockset_copy(ms_lockset *dst, const ms_lockset *src);
int ms__threadset_copy(ms_threadset *dst, const ms_threadset *src);
void ms__lockset_free(ms_lockset *s);
void ms__threadset_free(ms_threadset *s);

/* Whether a (small, unsorted) id set holds id. */
int ms__idset_contains(const ms_idset *s, ms_id id);

/* Whether callers the facts do not show may enter a function on any
** thread: external linkage (facts.c). */
int ms__open_function(const ms_facts *f, ms_id fn);

/* Compares two loc ids by file name, line, column. */
int ms__loc_cmp(const ms_facts *f, ms_id a, ms_id b);

#endif /* MAPSAFE_INTERNAL_H */
