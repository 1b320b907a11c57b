/*
 * circulab.h - umbrella header of libcirculab.
 *
 * Include this one header to use the library: it pulls in every public module.
 * No third-party type appears in any public header.
 */
#ifndef CIRCULAB_H
#define CIRCULAB_H

#include "circulab/common.h"
#include "circulab/global.h"
#include "circulab/scenario.h"
#include "circulab/solve.h"
#include "circulab/result.h"
#include "circulab/offers.h"
#include "circulab/store.h"
#include "circulab/explain.h"
#include "circulab/stability.h"
#include "circulab/plan.h"
#include "circulab/portal.h"
#include "circulab/desk.h"
#include "circulab/maps.h"

#endif
