/* SPDX-License-Identifier: MIT */
/*
 * Module extensions (drivers of kind LB_DRIVER_MODULE_EXT, driver.h): matched on the identity
 * once per insertion, attached with private data per module, detached when the module is
 * closed, invalidated or gone; and the public calls that ask the extension first and fall
 * back to plain CMIS when it has nothing to say (a NULL op, or LB_E_NOTSUP).
 *
 * Matching costs no bus traffic of its own when an identity read comes first (the hook in
 * lb_module_get_identity); a call that consults the extension before any identity read reads
 * the vendor block of page 00h once. Bring-up and the data-path calls never consult it.
 */
#include <stdlib.h>
#include <string.h>
#include <lightbridge/link.h>
#include <lightbridge/module.h>
#include <lightbridge/status.h>
#include "hal/cmis/decode.h"
#include "hal/cmis/module_internal.h"
#include "hal/cmis/regs.h"
#include "hal/core/ctx_internal.h"

#define P(abs) ((abs) - 128u)

/* Errors that say the bus or the module failed, not the extension: match again later. */
static bool bus_error(int rc)
{
	return rc == LB_E_NACK || rc == LB_E_NODEV || rc == LB_E_IO || rc == LB_E_SHORT ||
	       rc == LB_E_BUSY || rc == LB_E_TIMEOUT;
}

static void slot_clear(struct lb_module_ext_slot *x, enum lb_module_ext_state state)
{
	free(x->priv);
	memset(x, 0, sizeof(*x));
	x->state = state;
}

void lb_module_ext_detach(struct lb_module *m)
{
	struct lb_module_ext_slot *x = &m->ext;
	if (x->state == LB_MODULE_EXT_ATTACHING) {
		/* attach itself led here (it invalidated the module): it is dropped once it returns */
		x->dropped = true;
		return;
	}
	if (x->state == LB_MODULE_EXT_ATTACHED) {
		lb_log(lb_module_ctx(m), LB_LOG_DEBUG, "module extension %s: detached", x->drv->name);
		if (x->ops->detach)
			x->ops->detach(x->priv);
	}
	slot_clear(x, LB_MODULE_EXT_UNMATCHED);
}

static int attach(struct lb_module *m, const struct lb_driver *drv, const struct lb_module_ext_ops *ops)
{
	struct lb_module_ext_slot *x = &m->ext;
	struct lb_ctx *ctx = lb_module_ctx(m);
	x->priv = calloc(1, ops->priv_size ? ops->priv_size : 1);
	if (!x->priv)
		return LB_E_NOMEM;
	x->drv = drv;
	x->ops = ops;
	lb_ctx_driver_env(ctx, drv, &x->env);
	x->state = LB_MODULE_EXT_ATTACHING;
	x->dropped = false;
	int rc = ops->attach ? ops->attach(x->priv, m, &x->env) : LB_OK;
	if (rc == LB_OK && !x->dropped) {
		x->state = LB_MODULE_EXT_ATTACHED;
		lb_log(ctx, LB_LOG_DEBUG, "module extension %s: attached", drv->name);
		return LB_OK;
	}
	if (rc == LB_OK && ops->detach)
		ops->detach(x->priv);
	bool again = x->dropped || bus_error(rc);
	slot_clear(x, again ? LB_MODULE_EXT_UNMATCHED : LB_MODULE_EXT_NONE);
	if (rc)
		lb_log(ctx, LB_LOG_WARN, "module extension %s: attach: %s; the module runs plain CMIS%s",
		       drv->name, lb_strerror(rc), again ? " for now" : "");
	return bus_error(rc) ? rc : LB_OK;
}

/* The extension registered last that matches, attached; none: plain CMIS. */
static int match_and_attach(struct lb_module *m, const struct lb_module_ext_match *id)
{
	struct lb_ctx *ctx = lb_module_ctx(m);
	for (unsigned i = lb_ctx_driver_count(ctx); i-- > 0;) {
		const struct lb_driver *drv = lb_ctx_driver_at(ctx, i);
		if (!drv || drv->kind != LB_DRIVER_MODULE_EXT)
			continue;
		const struct lb_module_ext_ops *ops = lb_ctx_module_ext_ops(ctx, drv);
		if (ops && ops->match && ops->match(id))
			return attach(m, drv, ops);
	}
	m->ext.state = LB_MODULE_EXT_NONE;
	return LB_OK;
}

static bool have_ext_drivers(const struct lb_ctx *ctx)
{
	for (unsigned i = lb_ctx_driver_count(ctx); i-- > 0;) {
		const struct lb_driver *drv = lb_ctx_driver_at(ctx, i);
		if (drv && drv->kind == LB_DRIVER_MODULE_EXT)
			return true;
	}
	return false;
}

static void match_init(struct lb_module_ext_match *id, uint8_t identifier, uint8_t revision)
{
	memset(id, 0, sizeof(*id));
	id->size = sizeof(*id);
	id->identifier = identifier;
	id->cmis_major = (uint8_t)(revision >> 4);
	id->cmis_minor = (uint8_t)(revision & 0x0Fu);
}

void lb_module_ext_identified(struct lb_module *m, const struct lb_module_identity *ident)
{
	/* A vendor block its checksum does not cover is no ground to match on: the next call does. */
	if (m->ext.state != LB_MODULE_EXT_UNMATCHED || !ident->page00_checksum_ok)
		return;
	if (!lb_cmis_identifier_is_cmis(ident->identifier)) {
		m->ext.state = LB_MODULE_EXT_NONE;
		return;
	}
	struct lb_module_ext_match id;
	match_init(&id, ident->identifier,
		   (uint8_t)((unsigned)ident->cmis_major << 4 | (ident->cmis_minor & 0x0Fu)));
	memcpy(id.vendor_oui, ident->vendor_oui, sizeof(id.vendor_oui));
	memcpy(id.vendor_name, ident->vendor_name, sizeof(id.vendor_name));
	memcpy(id.part_number, ident->part_number, sizeof(id.part_number));
	memcpy(id.revision, ident->revision, sizeof(id.revision));
	(void)match_and_attach(m, &id); /* a bus error leaves it unmatched: tried again later */
}

/* No identity read came first: read what matching needs (lower 0-1 are the advertisement's). */
static int match_now(struct lb_module *m)
{
	const struct lb_module_adv *adv;
	int rc = lb_module_get_adv(m, &adv);
	if (rc)
		return rc;
	if (!lb_cmis_identifier_is_cmis(adv->identifier) || !have_ext_drivers(lb_module_ctx(m))) {
		m->ext.state = LB_MODULE_EXT_NONE;
		return LB_OK;
	}
	/* Page 00h up to its checksum (00h:222, the sum of 128-221), behind the vendor block. */
	uint8_t p00[128] = { 0 };
	if ((rc = lb_module_read_checked(m, LB_CMIS_PAGE_ADMIN, LB_CMIS_P00_CSUM_FIRST,
					 LB_CMIS_P00_CHECKSUM, p00)))
		return rc;
	struct lb_module_ext_match id;
	match_init(&id, adv->identifier, adv->revision);
	lb_cmis_copy_string(id.vendor_name, &p00[P(LB_CMIS_P00_VENDOR_NAME)], 16);
	memcpy(id.vendor_oui, &p00[P(LB_CMIS_P00_VENDOR_OUI)], 3);
	lb_cmis_copy_string(id.part_number, &p00[P(LB_CMIS_P00_PART_NUMBER)], 16);
	lb_cmis_copy_string(id.revision, &p00[P(LB_CMIS_P00_REVISION)], 2);
	return match_and_attach(m, &id);
}

int lb_module_ext_get(struct lb_module *m, const struct lb_module_ext_ops **ops, void **priv)
{
	struct lb_module_ext_slot *x = &m->ext;
	*ops = NULL;
	*priv = NULL;
	lb_module_sync(m);
	/* The module stopped answering since: it may be another one when it answers again. */
	if (x->state == LB_MODULE_EXT_ATTACHED && lb_module_seen(m) == LB_MODULE_SEEN_SILENT)
		lb_module_ext_detach(m);
	if (x->state == LB_MODULE_EXT_UNMATCHED) {
		int rc = match_now(m);
		if (rc)
			return rc;
	}
	if (x->state == LB_MODULE_EXT_ATTACHED) {
		*ops = x->ops;
		*priv = x->priv;
	}
	return LB_OK;
}

int lb_module_ext_status(struct lb_module *m, int rc)
{
	if ((rc == LB_E_NACK || rc == LB_E_NODEV) && m->ext.state == LB_MODULE_EXT_ATTACHED)
		lb_module_ext_detach(m);
	return rc;
}

bool lb_module_ext_decodes(const struct lb_module *m)
{
	return m->ext.state == LB_MODULE_EXT_ATTACHED && m->ext.ops->decode_field;
}

int lb_module_ext_field(struct lb_module *m, const char *name, unsigned lane, const uint8_t *raw,
			size_t len, double *value)
{
	if (!lb_module_ext_decodes(m))
		return LB_E_NOTSUP;
	return m->ext.ops->decode_field(m->ext.priv, name, lane, raw, len, value);
}

/* ---- the public calls ---- */

LB_API const char *lb_module_extension_name(struct lb_module *m)
{
	const struct lb_module_ext_ops *ops = NULL;
	void *priv;
	if (!m)
		return "";
	lb_module_call_begin(m);
	int rc = lb_module_ext_get(m, &ops, &priv);
	lb_module_call_end(m, rc, __func__);
	return rc || !ops ? "" : m->ext.drv->name;
}

/* The line-mode calls (lb_module_list_line_modes, ...) are hal/coherent/modes.c's. */

static int module_list_vendor_pages(struct lb_module *m, uint8_t *pages, size_t max,
				    size_t *count)
{
	if (!m || !count || (max && !pages))
		return LB_E_INVAL;
	*count = 0;
	const struct lb_module_ext_ops *ops;
	void *priv;
	int rc = lb_module_ext_get(m, &ops, &priv);
	if (rc)
		return lb_module_ext_status(m, rc);
	if (ops && ops->list_vendor_pages) {
		size_t n = 0;
		rc = ops->list_vendor_pages(priv, m, pages, max, &n);
		if (rc != LB_E_NOTSUP) {
			if (rc == LB_OK)
				*count = n;
			return lb_module_ext_status(m, rc);
		}
	}
	return LB_OK; /* plain CMIS advertises no vendor page */
}

LB_API int lb_module_list_vendor_pages(struct lb_module *m, uint8_t *pages, size_t max,
				       size_t *count)
{
	return LB_MODULE_CALL(m, module_list_vendor_pages(m, pages, max, count));
}

static int module_decode_vendor_page(struct lb_module *m, uint8_t bank, uint8_t page,
				     struct lb_module_field *fields, size_t max, size_t *count)
{
	if (!m || !count || (max && !fields) || page < 0xB0)
		return LB_E_INVAL;
	*count = 0;
	const struct lb_module_ext_ops *ops;
	void *priv;
	int rc = lb_module_ext_get(m, &ops, &priv);
	if (rc)
		return lb_module_ext_status(m, rc);
	if (ops && ops->decode_vendor_page) {
		size_t n = 0;
		rc = ops->decode_vendor_page(priv, m, bank, page, fields, max, &n);
		if (rc != LB_E_NOTSUP) {
			if (rc == LB_OK)
				*count = n;
			return lb_module_ext_status(m, rc);
		}
	}
	return LB_E_NOTSUP; /* plain CMIS has no decode of a vendor page */
}

LB_API int lb_module_decode_vendor_page(struct lb_module *m, uint8_t bank, uint8_t page,
					struct lb_module_field *fields, size_t max, size_t *count)
{
	return LB_MODULE_CALL(m, module_decode_vendor_page(m, bank, page, fields, max, count));
}
