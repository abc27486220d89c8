/*
** Internal helpers shared by the engine's sources; not part of the API.
*/
#ifndef MAPSAFE_INTERNAL_H
#define MAPSAFE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* Grows an array (items/count/cap) to hold one more element; 0 on success. */
int ms__grow(void **items, uint32_t *cap, uint32_t count, size_t elem);
#define MS_GROW(arr) \
  ms__grow((void **)&(arr).items, &(arr).cap, (arr).count, sizeof *(arr).items)

#endif /* MAPSAFE_INTERNAL_H */
