/* SPDX-License-Identifier: MIT */
/*
 * The VDM statistics interval (CMIS 5.4 section 8.27, reference/cmis.md 10.2): FreezeRequest
 * (2Fh:144.7) raised ends the interval and freezes the reporting registers, ceased resumes
 * them; each is a read-modify-write of that bit alone (144 also holds PowerSavingMode and the
 * duty cycle), followed by a wait for its done bit (145.7 FreezeDone, 145.6 UnfreezeDone).
 * Only on modules whose descriptors name a statistic observable.
 */
#include <lightbridge/coherent.h>
#include <lightbridge/status.h>
#include "hal/cmis/control_regs.h"
#include "hal/cmis/module_internal.h"
#include "hal/coherent/coherent_internal.h"
#include "hal/core/wait.h"

#define PAGE_CONTROL 0x2Fu
#define P2F_REQUEST 144u
#define FREEZE_REQUEST 0x80u
#define FREEZE_DONE 0x80u   /* 145.7 */
#define UNFREEZE_DONE 0x40u /* 145.6 */
#define DONE_BOUND_NS 1000000000ull /* tVDMF is 10 ms; deployed hosts allow 1 s */

struct done_poll {
	struct lb_module *m;
	uint8_t bit;
};

static int done_check(void *user)
{
	struct done_poll *d = user;
	uint8_t v = 0;
	int rc = lb_module_read(d->m, 0, PAGE_CONTROL, P2F_REQUEST + 1, &v, 1);
	if (rc)
		return rc == LB_E_NACK ? LB_E_AGAIN : rc; /* busy a moment: poll again */
	return v & d->bit ? LB_OK : LB_E_AGAIN;
}

static int freeze_set(struct lb_module *m, bool freeze)
{
	if (!m)
		return LB_E_INVAL;
	unsigned groups;
	const uint8_t(*desc)[128];
	int rc = lb_vdm_descriptors(m, 0, &groups, &desc);
	if (rc)
		return rc;
	if (!lb_vdm_has_statistics(desc, groups))
		return lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP,
				    "no VDM statistic observable (min/max/average) to freeze");
	uint8_t b[2];
	if ((rc = lb_module_read(m, 0, PAGE_CONTROL, P2F_REQUEST, b, 2)))
		return rc;
	uint8_t done = freeze ? FREEZE_DONE : UNFREEZE_DONE;
	bool is_set = (b[0] & FREEZE_REQUEST) != 0;
	if (is_set == freeze && (b[1] & done))
		return LB_OK; /* already so, and served */
	if (!is_set && !freeze)
		return LB_OK; /* not frozen: live (UnfreezeDone reads 0 until a first unfreeze) */
	if (is_set != freeze) { /* else a freeze under way: wait for its done bit */
		uint8_t v = (uint8_t)(freeze ? b[0] | FREEZE_REQUEST : b[0] & ~FREEZE_REQUEST);
		if ((rc = lb_module_write(m, 0, PAGE_CONTROL, P2F_REQUEST, &v, 1)))
			return rc;
	}
	struct done_poll d = { m, done };
	const struct lb_wait_cond c = { .what = freeze ? "VDM FreezeDone (2Fh:145.7)"
						       : "VDM UnfreezeDone (2Fh:145.6)",
					.check = done_check, .user = &d };
	return lb_cmis_wait(m, DONE_BOUND_NS, 0, &c);
}

LB_API int lb_vdm_freeze(struct lb_module *m)
{
	return LB_MODULE_CALL(m, freeze_set(m, true));
}

LB_API int lb_vdm_unfreeze(struct lb_module *m)
{
	return LB_MODULE_CALL(m, freeze_set(m, false));
}
