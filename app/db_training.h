/*
 * db_training: a setting's imported training records: import (all or
 * nothing, never doubled), list, export as CSV.
 */
#ifndef PORTAL_DB_TRAINING_H
#define PORTAL_DB_TRAINING_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "copytext.h"
#include "csv.h"
#include "db_status.h"
#include "training.h"

enum db_status	db_training_import(long long, const struct copytext *,
	    long long, const char *, long *, cJSON *);
enum db_status	db_training_list(long long, long, long, cJSON **);
enum db_status	db_training_export(long long, long long, const char *,
	    struct csv_out *);
enum db_status	db_training_mine(long long, cJSON **);

#endif /* !PORTAL_DB_TRAINING_H */
