/* SPDX-License-Identifier: MIT */
/* Which modules are coherent: by capability, never by the name of an application. */
#include <lightbridge/coherent.h>
#include <lightbridge/status.h>
#include "hal/cmis/module_internal.h"
#include "hal/cmis/regs.h"
#include "hal/coherent/coherent_internal.h"

int lb_coherent_capable(struct lb_module *m)
{
	const struct lb_module_adv *adv;
	int rc = lb_module_get_adv(m, &adv);
	if (rc)
		return rc;
	if (adv->flat)
		return 0;
	return (adv->supported_pages & LB_CMIS_P01_PAGES_COHERENT) != 0;
}

static int module_is_coherent(struct lb_module *m)
{
	if (!m)
		return LB_E_INVAL;
	return lb_coherent_capable(m);
}

LB_API int lb_module_is_coherent(struct lb_module *m)
{
	return LB_MODULE_CALL(m, module_is_coherent(m));
}
