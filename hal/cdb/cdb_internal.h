/* SPDX-License-Identifier: MIT */
/* The CDB engine as the rest of the core (firmware management) sees it. */
#ifndef LB_HAL_CDB_INTERNAL_H
#define LB_HAL_CDB_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <lightbridge/cdb.h>
#include "hal/core/wait.h"

#define LB_CDB_PAGE 0x9F
#define LB_CDB_STATUS_BYTE 37   /* CdbStatus of instance 1 */
#define LB_CDB_CAPTURE_MS 80u   /* tCDBC: the longest a module holds off capturing a command */

/* Command IDs. */
enum {
	LB_CDB_CMD_QUERY = 0x0000,
	LB_CDB_CMD_PASSWORD = 0x0001,
	LB_CDB_CMD_ABORT = 0x0004,
	LB_CDB_CMD_FEATURES = 0x0040,
	LB_CDB_CMD_FW_FEATURES = 0x0041,
	LB_CDB_CMD_FW_INFO = 0x0100,
	LB_CDB_CMD_FW_START = 0x0101,
	LB_CDB_CMD_FW_ABORT = 0x0102,
	LB_CDB_CMD_FW_WRITE_LPL = 0x0103,
	LB_CDB_CMD_FW_WRITE_EPL = 0x0104,
	LB_CDB_CMD_FW_READ_LPL = 0x0105,
	LB_CDB_CMD_FW_READ_EPL = 0x0106,
	LB_CDB_CMD_FW_COMPLETE = 0x0107,
	LB_CDB_CMD_FW_COPY = 0x0108,
	LB_CDB_CMD_FW_RUN = 0x0109,
	LB_CDB_CMD_FW_COMMIT = 0x010A,
};

/* Query status's password byte (0000h, 137): 00h none entered, 01h host, 1xxxxxxxb module. */
int lb_cdb_password_status(struct lb_module *m, uint8_t *out);
/* Enter password (0001h), then Query status to see it taken (LB_E_PERM when it is not). */
int lb_cdb_enter_password(struct lb_module *m, uint32_t password);

/* tCDBB from 01h:165 and 166, ms (CMIS 5.4 Table 8-57). */
uint32_t lb_cdb_max_busy_ms(uint8_t b165, uint8_t b166);
/* The advertisement (LB_E_NOTSUP with the reason when the module has no CDB). */
int lb_cdb_caps_of(struct lb_module *m, struct lb_cdb_caps *out);
/* One command (the public call's body: r is a full struct of this library's layout). */
int lb_cdb_run(struct lb_module *m, const struct lb_cdb_cmd *c, struct lb_cdb_reply *r);

/*
 * How a caller that knows the module schedules a command's polls (all optional, 0: the
 * engine's own): first_poll_ns, no poll before that long after the trigger, and step_ns, the
 * polls after it that far apart at most, for a caller that learned how long the module takes
 * from the commands before (a firmware download); known_idle: the caller saw the instance's
 * last command end (no CdbStatus read before writing); no_reply: the command has no reply the
 * caller wants (none is read).
 */
struct lb_cdb_sched {
	uint64_t first_poll_ns, step_ns;
	bool known_idle, no_reply;
};

/*
 * One command in the stepped form, for operations made of many (a firmware download):
 * start writes it (LB_OK: triggered), step polls CdbStatus once when due and returns
 * LB_E_AGAIN with the time of the next poll in *wake_ns, or the command's outcome as
 * lb_cdb_run's. Polls come at the sched's times, else a rate that tracks the duration
 * advertised for the command (1/128 of its timeout_ms, else of tCDBB; 100 us to 1 ms; and
 * at least 1/128 of the time waited so far). The wait itself is bounded by that duration,
 * at least tCDBC (80 ms).
 * busy_ns / done_ns: when (from the trigger write's start) the last poll that found the module
 * busy and the poll that found it done began: the module finished in between.
 */
struct lb_cdb_exec {
	struct lb_module *m;
	uint16_t id;
	bool running;
	bool claimed;            /* foreground mode: the module's claim taken for the command */
	struct lb_flag_consumer *flags; /* CdbCmdCompleteFlag1 as anyone reads it (flags.h) */
	bool flag_seen;
	struct lb_cdb_sched sched;
	uint64_t t0, first_poll_at, expect_ns;
	uint64_t busy_ns, done_ns, poll_at;
	unsigned polls;
	uint8_t status;
	int last_rc;
	char what[48];
	struct lb_wait wait;
	struct lb_wait_cond cond;
};
int lb_cdb_exec_start(struct lb_cdb_exec *x, struct lb_module *m, const struct lb_cdb_cmd *c,
		      const struct lb_cdb_sched *sched);
int lb_cdb_exec_step(struct lb_cdb_exec *x, struct lb_cdb_reply *r, uint64_t *wake_ns);
/*
 * Whether someone has read the command's completion flag (lower 8.6) from the module since
 * it started: the next step polls at once, whatever the schedule. No bus traffic.
 */
bool lb_cdb_exec_flagged(struct lb_cdb_exec *x);
/* Stop waiting for a started command (the module may still run it). */
void lb_cdb_exec_cancel(struct lb_cdb_exec *x);

#endif
