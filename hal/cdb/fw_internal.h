/* SPDX-License-Identifier: MIT */
/* Firmware management inside the core: the decoded queries and the Run/Commit steps. */
#ifndef LB_HAL_CDB_FW_INTERNAL_H
#define LB_HAL_CDB_FW_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <lightbridge/firmware.h>
#include "hal/cdb/cdb_internal.h"

/* 0041h and 0100h decoded (full structs of this library's layout). */
int lb_fw_features_of(struct lb_module *m, struct lb_fw_features *f);
int lb_fw_info_of(struct lb_module *m, struct lb_fw_info *info);

/*
 * Run (0109h mode 00h) as steps: the command is written, then the module resets into the
 * inactive image (it NACKs while it initialises; CdbStatus reads 00h once it is back, as it is
 * cleared on leaving MgmtInit), then the module state settles and 0100h must show `target`
 * running. Bounded by the delay, the management-init allowance and the module's advertised
 * power-up time.
 */
struct lb_fw_run {
	struct lb_module *m;
	int target;             /* enum lb_fw_slot that must run afterwards */
	uint64_t t0, deadline;
	bool came_back;
	struct lb_wait wait;
	struct lb_wait_cond cond;
	int last_rc;
	uint8_t last_status;
};
int lb_fw_run_start(struct lb_fw_run *r, struct lb_module *m, int target, uint16_t delay_ms);
/* LB_E_AGAIN with *wake_ns, LB_OK once the target runs, or the failure. */
int lb_fw_run_step(struct lb_fw_run *r, uint64_t *wake_ns);
/* Commit (010Ah) and check that `target` is committed afterwards. */
int lb_fw_commit_checked(struct lb_module *m, int target);
/* Abort a download (0102h). */
int lb_fw_abort_download(struct lb_module *m);
/* The module's claim for a call alone, unless this handle holds it (taken: release after). */
int lb_fw_claim(struct lb_module *m, bool *taken);
/* The image not running (A when B or the factory image runs). */
int lb_fw_inactive(const struct lb_fw_info *info);

#endif
