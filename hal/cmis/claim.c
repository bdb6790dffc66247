/* SPDX-License-Identifier: MIT */
/* Claims of modules for long sessions: the module-facing calls over the bus's claims. */
#include <lightbridge/module.h>
#include "hal/bus/claim.h"
#include "hal/cmis/module_internal.h"

static int module_request(struct lb_module *m, const char *reason)
{
	if (!m)
		return LB_E_INVAL;
	return lb_bus_claim(m->bus, &m->where, m, reason);
}

LB_API int lb_module_request(struct lb_module *m, const char *reason)
{
	return LB_MODULE_CALL(m, module_request(m, reason));
}

static int module_release(struct lb_module *m)
{
	if (!m)
		return LB_E_INVAL;
	return lb_bus_unclaim(m->bus, &m->where, m);
}

LB_API int lb_module_release(struct lb_module *m)
{
	return LB_MODULE_CALL(m, module_release(m));
}

static int module_claimed(struct lb_module *m, char *reason, size_t len)
{
	if (!m)
		return LB_E_INVAL;
	return lb_bus_claim_state(m->bus, &m->where, m, &m->claim_probe, reason, len);
}

LB_API int lb_module_claimed(struct lb_module *m, char *reason, size_t len)
{
	return LB_MODULE_CALL(m, module_claimed(m, reason, len));
}
