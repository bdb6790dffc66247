/* SPDX-License-Identifier: MIT */
/*
 * A firmware upgrade as a long operation (firmware.h): check, Start (0101h), the blocks (0104h
 * through the EPL pages, or 0103h), Complete (0107h), image status read back, Run (0109h) and
 * Commit (010Ah) when asked; on any failure or a cancel the download is aborted (0102h) and the
 * module keeps running its old image. Each step does one bus exchange at most and says when the
 * next is due, so many modules (one worker per bus) progress together.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lightbridge/ctx.h>
#include <lightbridge/firmware.h>
#include <lightbridge/module.h>
#include <lightbridge/status.h>
#include "hal/abi/sized.h"
#include "hal/cdb/fw_internal.h"
#include "hal/cdb/fw_pace.h"
#include "hal/cmis/module_internal.h"

#define MS 1000000ull
/* Bounds for durations a module does not advertise (0041h gives 0). */
#define FW_DEFAULT_START_MS 10000u
#define FW_DEFAULT_WRITE_MS 2000u
#define FW_DEFAULT_COMPLETE_MS 10000u
#define FW_DEFAULT_ABORT_MS 2000u

static const char *const slot_names[] = { "A", "B", "factory" };

struct lb_fw_upgrade {
	struct lb_module *m;
	struct lb_fw_upgrade_config cfg;
	struct lb_op op;
	bool claimed;
	struct lb_cdb_caps caps;
	struct lb_fw_features feat;
	struct lb_fw_progress prog;
	size_t header;           /* vendor header bytes of the file */
	uint32_t block;          /* data bytes per write command */
	bool in_cmd;             /* a CDB command is in flight (x) */
	struct lb_cdb_exec x;
	bool in_run;             /* the Run wait (run) */
	struct lb_fw_run run;
	bool downloading;        /* Start accepted, Complete not yet: an abort is owed on failure */
	struct lb_fw_pace pace;  /* a full block's time, learned from the blocks before */
	uint32_t last_len;       /* data bytes of the block in flight */
	bool done;
	int result;
};

static bool canceled(const struct lb_fw_upgrade *up)
{
	return up->op.cancel && __atomic_load_n(up->op.cancel, __ATOMIC_ACQUIRE);
}

static void report(struct lb_fw_upgrade *up)
{
	if (!up->op.progress)
		return;
	/* writing is most of the time: 5 % before it, 85 % while it runs, 10 % after */
	double f = 0;
	switch (up->prog.phase) {
	case LB_FW_PHASE_CHECK: f = 0; break;
	case LB_FW_PHASE_START: f = 0.02; break;
	case LB_FW_PHASE_WRITE:
		f = 0.05 + 0.85 * (up->prog.bytes_total ? (double)up->prog.bytes_done /
								 (double)up->prog.bytes_total
							    : 1.0);
		break;
	case LB_FW_PHASE_COMPLETE: f = 0.90; break;
	case LB_FW_PHASE_RUN: f = 0.93; break;
	case LB_FW_PHASE_COMMIT: f = 0.98; break;
	default: f = 1.0; break;
	}
	up->op.progress(up->op.user, lb_fw_phase_name(up->prog.phase), f);
}

/* Wait (bounded by its own timeout) for the command in flight to end, whatever its outcome. */
static void finish_command(struct lb_fw_upgrade *up)
{
	struct lb_bus *bus = lb_module_bus(up->m);
	struct lb_cdb_reply r;
	uint64_t wake = 0;
	while (lb_cdb_exec_step(&up->x, &r, &wake) == LB_E_AGAIN) {
		uint64_t now = lb_bus_now_ns(bus);
		if (wake > now)
			lb_bus_sleep_ns(bus, wake - now);
	}
}

/* End with rc: abort a download in progress first, and say where it failed. */
static int fail(struct lb_fw_upgrade *up, int rc, const char *what)
{
	struct lb_ctx *ctx = lb_module_ctx(up->m);
	char detail[LB_ERROR_MAX];
	snprintf(detail, sizeof(detail), "%s", lb_ctx_last_error(ctx));
	if (up->in_cmd && up->downloading)
		finish_command(up); /* the module takes no other command until this one is done */
	else if (up->in_cmd)
		lb_cdb_exec_cancel(&up->x);
	up->in_cmd = false;
	if (up->in_run)
		lb_module_expect_busy(up->m, 0);
	up->in_run = false;
	const char *after = "";
	if (up->downloading) {
		up->downloading = false;
		int arc = up->feat.abort_supported ? lb_fw_abort_download(up->m) : LB_E_NOTSUP;
		if (arc == LB_E_BUSY && up->caps.background) {
			/* a command still running past its bound: Abort processing (0004h) first,
			 * the one command a busy instance takes, then abort the download */
			struct lb_cdb_cmd a = { .size = sizeof(a), .id = LB_CDB_CMD_ABORT };
			struct lb_cdb_reply r;
			if (lb_cdb_run(up->m, &a, &r) == LB_OK)
				arc = lb_fw_abort_download(up->m);
		}
		after = arc == LB_OK ? "; download aborted, the module runs its old image"
			: up->feat.abort_supported ? "; the abort failed too: the module still runs its old image "
						      "until reset, and image download must start over"
						    : "; the module cannot abort a download: it runs its old image";
	}
	up->prog.phase = LB_FW_PHASE_ABORT;
	up->done = true;
	up->result = lb_ctx_error(ctx, rc, "firmware upgrade of image %s: %s%s%s%s",
				  slot_names[up->prog.target], what, detail[0] ? ": " : "", detail,
				  after);
	report(up);
	return up->result;
}

/* ---- the phases ---- */

/* A module that wants a password: enter the caller's, or say what is missing. */
static int password(struct lb_fw_upgrade *up)
{
	struct lb_module *m = up->m;
	if (!up->cfg.use_password)
		return LB_OK;
	uint8_t st;
	int rc = lb_cdb_password_status(m, &st);
	if (rc || st != 0)
		return rc; /* one is accepted already */
	return lb_cdb_enter_password(m, up->cfg.password);
}

static int check(struct lb_fw_upgrade *up)
{
	struct lb_module *m = up->m;
	int rc;
	if ((rc = lb_cdb_caps_of(m, &up->caps)))
		return fail(up, rc, "reading what the module offers");
	if ((rc = password(up)))
		return fail(up, rc, "entering the password");
	if ((rc = lb_fw_features_of(m, &up->feat)))
		return fail(up, rc, "reading what the module offers");
	struct lb_fw_info info;
	if ((rc = lb_fw_info_of(m, &info)))
		return fail(up, rc, "reading the images");
	up->prog.target = lb_fw_inactive(&info);
	up->header = up->feat.header_size;
	if (up->cfg.len < up->header || up->cfg.len - up->header > UINT32_MAX)
		return fail(up, lb_ctx_error(lb_module_ctx(m), LB_E_INVAL,
					     "a file of %zu bytes, the module takes a %zu-byte header",
					     up->cfg.len, up->header),
			    "checking the file");
	bool epl = up->feat.write_epl && up->feat.epl_block;
	bool lpl = up->feat.write_lpl;
	enum lb_fw_method method = up->cfg.method;
	if (method == LB_FW_METHOD_AUTO)
		method = epl ? LB_FW_METHOD_EPL : LB_FW_METHOD_LPL;
	if ((method == LB_FW_METHOD_EPL && !epl) || (method == LB_FW_METHOD_LPL && !lpl))
		return fail(up, lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP,
					     "the module does not write blocks by %s",
					     method == LB_FW_METHOD_EPL ? "EPL (0104h)" : "LPL (0103h)"),
			    "choosing how to write");
	up->prog.method = method;
	up->block = method == LB_FW_METHOD_EPL ? up->feat.epl_block : up->feat.lpl_block;
	up->pace = (struct lb_fw_pace){ .block = up->block };
	up->prog.bytes_total = up->cfg.len - up->header;
	up->prog.blocks_total = (uint32_t)((up->prog.bytes_total + up->block - 1) / up->block);
	return LB_OK;
}

static int begin(struct lb_fw_upgrade *up, uint16_t id, const uint8_t *lpl, uint8_t lpl_len,
		 const uint8_t *epl, uint16_t epl_len, uint32_t timeout_ms,
		 const struct lb_cdb_sched *sched)
{
	struct lb_cdb_cmd c = { .size = sizeof(c), .id = id, .lpl = lpl, .lpl_len = lpl_len,
				.epl = epl, .epl_len = epl_len, .timeout_ms = timeout_ms };
	int rc = lb_cdb_exec_start(&up->x, up->m, &c, sched);
	up->in_cmd = rc == LB_OK;
	return rc;
}

static int start_download(struct lb_fw_upgrade *up)
{
	uint8_t lpl[120] = { 0 };
	uint32_t total = (uint32_t)up->cfg.len;
	lpl[0] = (uint8_t)(total >> 24);
	lpl[1] = (uint8_t)(total >> 16);
	lpl[2] = (uint8_t)(total >> 8);
	lpl[3] = (uint8_t)total;
	size_t h = up->header < 112 ? up->header : 112;
	memcpy(&lpl[8], up->cfg.image, h);
	up->prog.phase = LB_FW_PHASE_START;
	report(up);
	int rc = begin(up, LB_CDB_CMD_FW_START, lpl, (uint8_t)(8 + h), NULL, 0,
		       up->feat.start_ms ? up->feat.start_ms : FW_DEFAULT_START_MS, NULL);
	if (!rc)
		up->downloading = true; /* from here a failure owes an abort */
	return rc;
}

/* Whether every byte of a block is the erased value (and the module lets such blocks go). */
static bool skippable(const struct lb_fw_upgrade *up, const uint8_t *d, uint32_t n)
{
	if (!up->feat.skip_erased)
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (d[i] != up->feat.erased_byte)
			return false;
	return true;
}

/* The next block, or LB_OK with nothing started when every block is written. */
static int write_next(struct lb_fw_upgrade *up)
{
	for (;;) {
		uint64_t addr = up->prog.bytes_done;
		if (addr >= up->prog.bytes_total)
			return LB_OK;
		uint32_t n = (uint32_t)(up->prog.bytes_total - addr < up->block ? up->prog.bytes_total - addr
										   : up->block);
		const uint8_t *d = up->cfg.image + up->header + addr;
		if (skippable(up, d, n)) {
			up->prog.bytes_done += n;
			up->prog.blocks_done++;
			continue;
		}
		uint8_t lpl[120] = { (uint8_t)(addr >> 24), (uint8_t)(addr >> 16), (uint8_t)(addr >> 8),
				     (uint8_t)addr };
		struct lb_cdb_sched s = lb_fw_pace_sched(&up->pace, n);
		up->last_len = n;
		uint32_t tmo = up->feat.write_ms ? up->feat.write_ms : FW_DEFAULT_WRITE_MS;
		if (up->prog.method == LB_FW_METHOD_EPL)
			return begin(up, LB_CDB_CMD_FW_WRITE_EPL, lpl, 4, d, (uint16_t)n, tmo, &s);
		memcpy(&lpl[4], d, n);
		return begin(up, LB_CDB_CMD_FW_WRITE_LPL, lpl, (uint8_t)(4 + n), NULL, 0, tmo, &s);
	}
}

/* A command finished with r: move on. LB_E_AGAIN with *wake: the next step is due then. */
static int command_done(struct lb_fw_upgrade *up, const struct lb_cdb_reply *r)
{
	up->prog.module_ns += r->elapsed_ns;
	int rc;
	switch (up->prog.phase) {
	case LB_FW_PHASE_START:
		up->prog.phase = LB_FW_PHASE_WRITE;
		report(up);
		break;
	case LB_FW_PHASE_WRITE:
		lb_fw_pace_learn(&up->pace, up->last_len, up->x.busy_ns, up->x.done_ns);
		up->prog.bytes_done += up->last_len;
		up->prog.blocks_done++;
		report(up);
		break;
	case LB_FW_PHASE_COMPLETE: {
		up->downloading = false;
		struct lb_fw_info info;
		if ((rc = lb_fw_info_of(up->m, &info)))
			return fail(up, rc, "reading the images after Complete");
		if (!info.image[up->prog.target].valid)
			return fail(up, lb_ctx_error(lb_module_ctx(up->m), LB_E_STATE,
						     "the module took the image but shows it invalid"),
				    "checking the new image");
		if (!up->cfg.run) {
			up->prog.phase = LB_FW_PHASE_DONE;
			up->done = true;
			report(up);
			return LB_OK;
		}
		up->prog.phase = LB_FW_PHASE_RUN;
		report(up);
		if ((rc = lb_fw_run_start(&up->run, up->m, up->prog.target, up->cfg.run_delay_ms)))
			return fail(up, rc, "Run");
		up->in_run = true;
		return LB_E_AGAIN;
	}
	default:
		break;
	}
	return LB_E_AGAIN;
}

static int step(struct lb_fw_upgrade *up, uint64_t *wake_ns)
{
	struct lb_module *m = up->m;
	uint64_t now = lb_bus_now_ns(lb_module_bus(m));
	*wake_ns = now;
	if (up->done)
		return up->result;
	if (canceled(up) && up->prog.phase < LB_FW_PHASE_RUN)
		return fail(up, lb_ctx_error(lb_module_ctx(m), LB_E_CANCELED, "canceled"),
			    lb_fw_phase_name(up->prog.phase));
	if (up->op.deadline_ns && now >= up->op.deadline_ns)
		return fail(up, lb_ctx_error(lb_module_ctx(m), LB_E_TIMEOUT, "the deadline has passed"),
			    lb_fw_phase_name(up->prog.phase));
	int rc;
	if (up->in_run) {
		rc = lb_fw_run_step(&up->run, wake_ns);
		if (rc == LB_E_AGAIN)
			return rc;
		up->in_run = false;
		if (rc)
			return fail(up, rc, "Run");
		if (!up->cfg.commit) {
			up->prog.phase = LB_FW_PHASE_DONE;
			up->done = true;
			report(up);
			return LB_OK;
		}
		up->prog.phase = LB_FW_PHASE_COMMIT;
		report(up);
		if ((rc = lb_fw_commit_checked(m, up->prog.target)))
			return fail(up, rc, "Commit");
		up->prog.phase = LB_FW_PHASE_DONE;
		up->done = true;
		report(up);
		return LB_OK;
	}
	if (up->in_cmd) {
		struct lb_cdb_reply r;
		rc = lb_cdb_exec_step(&up->x, &r, wake_ns);
		if (rc == LB_E_AGAIN)
			return rc;
		up->in_cmd = false;
		if (rc) {
			char what[64];
			if (up->prog.phase == LB_FW_PHASE_WRITE)
				snprintf(what, sizeof(what), "block %u of %u (byte %llu)",
					 up->prog.blocks_done + 1, up->prog.blocks_total,
					 (unsigned long long)up->prog.bytes_done);
			else
				snprintf(what, sizeof(what), "%s", lb_fw_phase_name(up->prog.phase));
			return fail(up, rc, what);
		}
		rc = command_done(up, &r);
		if (rc != LB_E_AGAIN)
			return rc;
		if (up->in_run)
			return LB_E_AGAIN; /* *wake_ns: now */
	}
	switch (up->prog.phase) {
	case LB_FW_PHASE_CHECK:
		if ((rc = check(up)))
			return rc;
		if ((rc = start_download(up)))
			return fail(up, rc, "Start");
		return LB_E_AGAIN;
	case LB_FW_PHASE_WRITE:
		if ((rc = write_next(up)))
			return fail(up, rc, "writing a block");
		if (up->in_cmd)
			return LB_E_AGAIN;
		up->prog.phase = LB_FW_PHASE_COMPLETE;
		report(up);
		if ((rc = begin(up, LB_CDB_CMD_FW_COMPLETE, NULL, 0, NULL, 0,
				up->feat.complete_ms ? up->feat.complete_ms : FW_DEFAULT_COMPLETE_MS, NULL)))
			return fail(up, rc, "Complete");
		return LB_E_AGAIN;
	default:
		return fail(up, lb_ctx_error(lb_module_ctx(m), LB_E_STATE, "no step in phase %s",
					     lb_fw_phase_name(up->prog.phase)),
			    "stepping");
	}
}

/* ---- the public calls ---- */

static int upgrade_start(struct lb_module *m, const struct lb_fw_upgrade_config *cfg,
			 const struct lb_op *op, struct lb_fw_upgrade **out)
{
	if (!m || !out)
		return LB_E_INVAL;
	*out = NULL;
	struct lb_fw_upgrade_config c;
	if (LB_SIZED_READ(c, cfg, LB_FW_UPGRADE_CONFIG_SIZE_V1))
		return LB_E_INVAL;
	struct lb_ctx *ctx = lb_module_ctx(m);
	if (!c.image || !c.len)
		return lb_ctx_error(ctx, LB_E_INVAL, "firmware upgrade: no image");
	if (c.commit && !c.run)
		return lb_ctx_error(ctx, LB_E_INVAL,
				    "firmware upgrade: commit without run (an image that has not run is "
				    "never committed)");
	struct lb_op o = LB_OP_INIT;
	if (op && LB_SIZED_READ(o, op, LB_SIZE_THROUGH(struct lb_op, user)))
		return LB_E_INVAL;
	struct lb_fw_upgrade *up = calloc(1, sizeof(*up));
	if (!up)
		return LB_E_NOMEM;
	up->m = m;
	up->cfg = c;
	up->op = o;
	if (lb_module_claimed(m, NULL, 0) != LB_CLAIM_OWN) {
		int rc = lb_module_request(m, "firmware update in progress");
		if (rc) {
			free(up);
			return rc;
		}
		up->claimed = true;
	}
	up->prog.size = sizeof(up->prog);
	up->prog.phase = LB_FW_PHASE_CHECK;
	up->prog.started_ns = lb_bus_now_ns(lb_module_bus(m));
	*out = up;
	return LB_OK;
}

LB_API int lb_fw_upgrade_start(struct lb_module *m, const struct lb_fw_upgrade_config *cfg,
			       const struct lb_op *op, struct lb_fw_upgrade **out)
{
	return LB_MODULE_CALL(m, upgrade_start(m, cfg, op, out));
}

LB_API int lb_fw_upgrade_step(struct lb_fw_upgrade *up, uint64_t *wake_ns)
{
	if (!up)
		return LB_E_INVAL;
	uint64_t wake;
	int rc = LB_MODULE_CALL(up->m, step(up, &wake));
	if (wake_ns)
		*wake_ns = wake;
	return rc;
}

LB_API int lb_fw_upgrade_run(struct lb_fw_upgrade *up)
{
	if (!up)
		return LB_E_INVAL;
	for (;;) {
		uint64_t wake = 0;
		int rc = lb_fw_upgrade_step(up, &wake);
		if (rc != LB_E_AGAIN)
			return rc;
		struct lb_bus *bus = lb_module_bus(up->m);
		uint64_t now = lb_bus_now_ns(bus);
		if (wake > now)
			lb_bus_sleep_ns(bus, wake - now);
	}
}

LB_API int lb_fw_upgrade_get_progress(const struct lb_fw_upgrade *up, struct lb_fw_progress *out)
{
	if (!up || lb_sized_check(out, LB_FW_PROGRESS_SIZE_V1))
		return LB_E_INVAL;
	struct lb_fw_progress p = up->prog;
	LB_SIZED_FILL(out, p);
	return LB_OK;
}

LB_API void lb_fw_upgrade_free(struct lb_fw_upgrade *up)
{
	if (!up)
		return;
	if (!up->done && (up->downloading || up->in_cmd || up->in_run)) {
		lb_module_call_begin(up->m);
		fail(up, lb_ctx_error(lb_module_ctx(up->m), LB_E_CANCELED, "freed"), "stopping");
		lb_module_call_end(up->m, LB_E_CANCELED, __func__);
	}
	if (up->claimed)
		lb_module_release(up->m);
	free(up);
}
