/* SPDX-License-Identifier: MIT */
/*
 * The advertised maximum durations of page 01h (bytes 144, 167, 168). They bound every wait
 * of the state machines, so they are read once per insertion and kept in the module cache
 * (lb_module_invalidate forgets them); the lane count and revision come from the access
 * layer's advertisement, which is cached the same way.
 */
#include <string.h>
#include <lightbridge/module.h>
#include <lightbridge/status.h>
#include "hal/abi/sized.h"
#include "hal/cmis/control_regs.h"
#include "hal/core/ctx_internal.h"
#include "hal/cmis/decode.h"
#include "hal/cmis/module_internal.h"

/*
 * Upper bounds of the state-duration codes (CMIS 5.4 Table 8-49): code n means
 * lower(n) <= T < upper(n), so a wait must allow the upper bound. Code 13 is "T >= 50 min"
 * with no upper bound; it and the reserved codes 14-15 get the longest bound in use
 * (6000 s, as SONiC), so that a module advertising a code of a later revision is never cut
 * short. (SONiC maps 14-15 to 0, which would time out every wait at once.)
 */
static const uint32_t duration_upper_ms[16] = {
	1, 5, 10, 50, 100, 500, 1000, 5000, 10000, 60000, 300000, 600000, 3000000,
	6000000, 6000000, 6000000,
};

uint32_t lb_cmis_duration_code_ms(uint8_t code)
{
	return duration_upper_ms[code & 0x0Fu];
}

static void decode_durations(uint8_t dp, uint8_t module, uint8_t tx, struct lb_module_durations *d)
{
	d->dp_init_ms = lb_cmis_duration_code_ms(dp & 0x0Fu);
	d->dp_deinit_ms = lb_cmis_duration_code_ms((uint8_t)(dp >> 4));
	d->module_pwr_up_ms = lb_cmis_duration_code_ms(module & 0x0Fu);
	d->module_pwr_dn_ms = lb_cmis_duration_code_ms((uint8_t)(module >> 4));
	d->dp_tx_turn_on_ms = lb_cmis_duration_code_ms(tx & 0x0Fu);
	d->dp_tx_turn_off_ms = lb_cmis_duration_code_ms((uint8_t)(tx >> 4));
}

int lb_cmis_ctl_info(struct lb_module *m, struct lb_cmis_ctl_info *out)
{
	const struct lb_module_adv *adv;
	int rc = lb_module_get_adv(m, &adv);
	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	out->revision = adv->revision;
	out->flat = adv->flat;
	out->identifier = adv->identifier;
	out->not_cmis = !lb_cmis_identifier_is_cmis(adv->identifier);
	if (adv->flat)
		return LB_OK; /* flat memory: no page 01h, no data paths (CMIS 5.4 8.1) */
	unsigned lanes = adv->banks * LB_CTL_LANES_PER_BANK;
	out->lanes = lanes > LB_MODULE_MAX_LANES ? LB_MODULE_MAX_LANES : lanes;
	if (!m->cache.durations_valid) {
		/* 144 and 167-168 came with the access layer's advertisement probe: no bus traffic. */
		decode_durations(adv->dur_dp, adv->dur_module, adv->dur_tx, &m->cache.durations);
		m->cache.durations_valid = true;
	}
	out->dur = m->cache.durations;
	return LB_OK;
}

static int module_get_durations(struct lb_module *m, struct lb_module_durations *out)
{
	if (!m || lb_sized_check(out, LB_MODULE_DURATIONS_SIZE_V1))
		return LB_E_INVAL;
	struct lb_cmis_ctl_info info;
	int rc = lb_cmis_ctl_info(m, &info);
	if (!rc && info.flat)
		rc = LB_E_NOTSUP;
	struct lb_module_durations d;
	memset(&d, 0, sizeof(d));
	if (!rc)
		d = info.dur;
	LB_SIZED_FILL(out, d);
	return rc;
}

int lb_cmis_require_state_machine(struct lb_module *m, const struct lb_cmis_ctl_info *info)
{
	if (!info->not_cmis)
		return LB_OK;
	return lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP,
			    "not a CMIS module (identifier 0x%02x): no module state machine",
			    info->identifier);
}

LB_API int lb_module_get_durations(struct lb_module *m, struct lb_module_durations *out)
{
	return LB_MODULE_CALL(m, module_get_durations(m, out));
}
