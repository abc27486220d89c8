/*
** Race pairing (race.c), called by the analysis once instances exist.
*/
#ifndef MAPSAFE_RACE_H
#define MAPSAFE_RACE_H

#include "mapsafe/analysis.h"

/* Pairs the instances of every map and fills r->findings; 0 on success.
** At most max_pairs pairs are examined (then MS_LIMIT_PAIRS is set). */
int ms__find_races(ms_result *r, uint32_t max_pairs);

#endif /* MAPSAFE_RACE_H */
