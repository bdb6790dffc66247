/* SPDX-License-Identifier: MIT */
/*
 * Run (0109h) and Commit (010Ah), each checked afterwards with 0100h; Abort (0102h); and the
 * public calls that do them alone (firmware.h).
 */
#include <stdio.h>
#include <string.h>
#include <lightbridge/ctx.h>
#include <lightbridge/firmware.h>
#include <lightbridge/module.h>
#include <lightbridge/status.h>
#include "hal/cdb/fw_internal.h"
#include "hal/cmis/control_regs.h"
#include "hal/cmis/module_internal.h"

#define MS 1000000ull
/* Management init after a reset, allowed on top of the advertised power-up time. */
#define FW_RUN_INIT_MS 2000u

static const char *const slot_names[] = { "A", "B", "factory" };

int lb_fw_inactive(const struct lb_fw_info *info)
{
	return info->image[LB_FW_IMAGE_A].running ? LB_FW_IMAGE_B : LB_FW_IMAGE_A;
}

/* One poll of the Run wait: back from the reset (CdbStatus cleared) and settled. */
static int run_check(void *user)
{
	struct lb_fw_run *r = user;
	uint8_t b[2];
	int rc = lb_module_read(r->m, 0, 0, LB_CDB_STATUS_BYTE, b, 1);
	r->last_rc = rc;
	if (rc == LB_E_BUSY || rc == LB_E_NACK)
		return LB_E_AGAIN; /* resetting */
	if (rc)
		return rc;
	r->last_status = b[0];
	if (!r->came_back) {
		if (b[0] == 0x01 || (b[0] & 0x80))
			return LB_E_AGAIN; /* Run accepted, the reset still to come */
		if (b[0] & 0x40)
			return lb_ctx_error(lb_module_ctx(r->m), LB_E_CDB,
					    "CDB command 0109h: CdbStatus %02Xh, %s", b[0],
					    lb_cdb_status_name(b[0]));
		/* 00h: cleared on leaving MgmtInit: the module has reset */
		r->came_back = true;
		lb_module_invalidate(r->m);
	}
	enum lb_module_state st;
	if ((rc = lb_cmis_read_state(r->m, &st)))
		return rc == LB_E_NACK ? LB_E_AGAIN : rc;
	if (st == LB_MODULE_STATE_FAULT)
		return LB_E_FAULT;
	return st == LB_MODULE_STATE_READY || st == LB_MODULE_STATE_LOW_PWR ? LB_OK : LB_E_AGAIN;
}

static void run_describe(void *user, char *buf, size_t len)
{
	const struct lb_fw_run *r = user;
	if (r->last_rc == LB_E_BUSY || r->last_rc == LB_E_NACK)
		snprintf(buf, len, "the module still NACKs");
	else if (!r->came_back)
		snprintf(buf, len, "no reset seen: CdbStatus %02Xh", r->last_status);
	else
		snprintf(buf, len, "the module has reset but not settled");
}

int lb_fw_run_start(struct lb_fw_run *r, struct lb_module *m, int target, uint16_t delay_ms)
{
	memset(r, 0, sizeof(*r));
	r->m = m;
	r->target = target;
	struct lb_module_durations d = LB_SIZED_INIT(struct lb_module_durations);
	uint64_t pwrup_ms = lb_module_get_durations(m, &d) == LB_OK ? d.module_pwr_up_ms : 0;
	uint8_t lpl[4] = { 0, 0x00 /* reset and start the inactive image */, (uint8_t)(delay_ms >> 8),
			   (uint8_t)delay_ms };
	struct lb_cdb_cmd c = { .size = sizeof(c), .id = LB_CDB_CMD_FW_RUN, .lpl = lpl, .lpl_len = 4 };
	struct lb_cdb_exec x;
	int rc = lb_cdb_exec_start(&x, m, &c, NULL);
	if (rc)
		return rc;
	lb_cdb_exec_cancel(&x); /* its end is the reset, not a status */
	uint64_t bound = ((uint64_t)delay_ms + FW_RUN_INIT_MS + pwrup_ms) * MS;
	/* NACKs are the reset: busy for the whole wait */
	r->t0 = lb_bus_now_ns(lb_module_bus(m));
	lb_module_expect_busy(m, r->t0 + bound);
	r->cond = (struct lb_wait_cond){ .what = "the module back on the new image", .check = run_check,
					 .describe = run_describe, .user = r };
	lb_cmis_wait_begin(m, &r->wait, bound, 0);
	return LB_OK;
}

int lb_fw_run_step(struct lb_fw_run *r, uint64_t *wake_ns)
{
	int rc = lb_wait_step(&r->wait, &r->cond, wake_ns);
	if (rc == LB_E_AGAIN)
		return rc;
	lb_module_expect_busy(r->m, 0);
	if (rc)
		return rc;
	struct lb_fw_info info;
	if ((rc = lb_fw_info_of(r->m, &info)))
		return rc;
	if (!info.image[r->target].running) {
		int now = info.image[LB_FW_IMAGE_A].running ? 0 : info.image[LB_FW_IMAGE_B].running ? 1 : 2;
		return lb_ctx_error(lb_module_ctx(r->m), LB_E_STATE,
				    "Run: the module came back on image %s, not %s: the new image did not "
				    "start (nothing was committed)", slot_names[now], slot_names[r->target]);
	}
	return LB_OK;
}

int lb_fw_commit_checked(struct lb_module *m, int target)
{
	struct lb_cdb_cmd c = { .size = sizeof(c), .id = LB_CDB_CMD_FW_COMMIT,
				/* no advertised duration: a write of non-volatile memory */
				.timeout_ms = 5000 };
	struct lb_cdb_reply r;
	int rc = lb_cdb_run(m, &c, &r);
	if (rc)
		return rc;
	struct lb_fw_info info;
	if ((rc = lb_fw_info_of(m, &info)))
		return rc;
	if (!info.image[target].committed)
		return lb_ctx_error(lb_module_ctx(m), LB_E_STATE,
				    "Commit: image %s is still not the committed image",
				    slot_names[target]);
	return LB_OK;
}

/* ---- the calls alone ---- */

/* Under the module's claim, taken here unless this handle holds it already. */
int lb_fw_claim(struct lb_module *m, bool *taken)
{
	*taken = false;
	if (lb_module_claimed(m, NULL, 0) == LB_CLAIM_OWN)
		return LB_OK;
	int rc = lb_module_request(m, "firmware update in progress");
	*taken = rc == LB_OK;
	return rc;
}

static int fw_run(struct lb_module *m, uint16_t delay_ms)
{
	bool taken;
	int rc = lb_fw_claim(m, &taken);
	if (rc)
		return rc;
	struct lb_fw_info info;
	if (!(rc = lb_fw_info_of(m, &info))) {
		int target = lb_fw_inactive(&info);
		if (!info.image[target].valid)
			rc = lb_ctx_error(lb_module_ctx(m), LB_E_STATE,
					  "Run: image %s is not valid: nothing to run",
					  slot_names[target]);
		struct lb_fw_run r;
		if (!rc)
			rc = lb_fw_run_start(&r, m, target, delay_ms);
		while (!rc) {
			uint64_t wake = 0;
			rc = lb_fw_run_step(&r, &wake);
			if (rc != LB_E_AGAIN)
				break;
			rc = LB_OK;
			uint64_t now = lb_bus_now_ns(lb_module_bus(m));
			if (wake > now)
				lb_bus_sleep_ns(lb_module_bus(m), wake - now);
		}
	}
	if (taken)
		lb_module_release(m);
	return rc;
}

LB_API int lb_module_fw_run(struct lb_module *m, uint16_t delay_ms)
{
	return LB_MODULE_CALL(m, m ? fw_run(m, delay_ms) : LB_E_INVAL);
}

static int fw_commit(struct lb_module *m)
{
	bool taken;
	int rc = lb_fw_claim(m, &taken);
	if (rc)
		return rc;
	struct lb_fw_info info;
	if (!(rc = lb_fw_info_of(m, &info))) {
		int running = info.image[LB_FW_IMAGE_A].running ? 0 : info.image[LB_FW_IMAGE_B].running ? 1 : 2;
		rc = running == LB_FW_IMAGE_FACTORY
			     ? lb_ctx_error(lb_module_ctx(m), LB_E_STATE,
					    "Commit: the factory image runs: nothing to commit")
			     : lb_fw_commit_checked(m, running);
	}
	if (taken)
		lb_module_release(m);
	return rc;
}

LB_API int lb_module_fw_commit(struct lb_module *m)
{
	return LB_MODULE_CALL(m, m ? fw_commit(m) : LB_E_INVAL);
}

int lb_fw_abort_download(struct lb_module *m)
{
	struct lb_cdb_cmd c = { .size = sizeof(c), .id = LB_CDB_CMD_FW_ABORT };
	struct lb_cdb_reply r;
	return lb_cdb_run(m, &c, &r);
}

LB_API int lb_module_fw_abort(struct lb_module *m)
{
	return LB_MODULE_CALL(m, m ? lb_fw_abort_download(m) : LB_E_INVAL);
}
