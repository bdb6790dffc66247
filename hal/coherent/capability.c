/* SPDX-License-Identifier: MIT */
/* Which modules are coherent: by capability, never by the name of an application. */
#include <lightbridge/coherent.h>
#include <lightbridge/status.h>
#include "hal/cmis/module_internal.h"
#include "hal/coherent/coherent_internal.h"

int lb_coherent_capable(struct lb_module *m)
{
	/* The access layer's own rule for the C-CMIS pages: the pages are there iff coherent. */
	return lb_module_page_supported(m, 0, 0x30);
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
