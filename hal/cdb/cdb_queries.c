/* SPDX-License-Identifier: MIT */
/* The generic CDB queries: Query status (0000h), Enter password (0001h), module features (0040h). */
#include <string.h>
#include <lightbridge/cdb.h>
#include <lightbridge/ctx.h>
#include <lightbridge/status.h>
#include "hal/abi/sized.h"
#include "hal/cdb/cdb_internal.h"
#include "hal/cmis/module_internal.h"

/* Run a command with no EPL and demand a reply of at least need bytes. */
static int query(struct lb_module *m, uint16_t id, const uint8_t *lpl, uint8_t lpl_len,
		 unsigned need, struct lb_cdb_reply *r)
{
	struct lb_cdb_cmd c = { .size = sizeof(c), .id = id, .lpl = lpl, .lpl_len = lpl_len };
	int rc = lb_cdb_run(m, &c, r);
	if (rc)
		return rc;
	if (r->len < need)
		return lb_ctx_error(lb_module_ctx(m), LB_E_SHORT,
				    "CDB command %04Xh: reply of %u bytes, %u expected", id, r->len,
				    need);
	return LB_OK;
}

static int cdb_query(struct lb_module *m, uint16_t delay_ms, struct lb_cdb_query *out)
{
	if (!m || lb_sized_check(out, LB_CDB_QUERY_SIZE_V1))
		return LB_E_INVAL;
	struct lb_cdb_query q = { .size = sizeof(q) };
	uint8_t lpl[2] = { (uint8_t)(delay_ms >> 8), (uint8_t)delay_ms };
	struct lb_cdb_cmd c = { .size = sizeof(c), .id = LB_CDB_CMD_QUERY, .lpl = lpl, .lpl_len = 2,
				/* the module waits delay_ms on purpose before it completes */
				.timeout_ms = 0 };
	struct lb_cdb_caps caps;
	int rc = lb_cdb_caps_of(m, &caps);
	if (!rc) {
		c.timeout_ms = caps.max_busy_ms + delay_ms;
		struct lb_cdb_reply r;
		rc = lb_cdb_run(m, &c, &r);
		if (!rc && r.len < 2)
			rc = lb_ctx_error(lb_module_ctx(m), LB_E_SHORT,
					  "CDB command 0000h: reply of %u bytes, 2 expected", r.len);
		if (!rc) {
			q.length = r.data[0];
			q.password_status = r.data[1];
		}
	}
	LB_SIZED_FILL(out, q);
	return rc;
}

LB_API int lb_module_cdb_query(struct lb_module *m, uint16_t response_delay_ms,
			       struct lb_cdb_query *out)
{
	return LB_MODULE_CALL(m, cdb_query(m, response_delay_ms, out));
}

static int cdb_features(struct lb_module *m, struct lb_cdb_features *out)
{
	if (!m || lb_sized_check(out, LB_CDB_FEATURES_SIZE_V1))
		return LB_E_INVAL;
	struct lb_cdb_features f = { .size = sizeof(f) };
	struct lb_cdb_reply r;
	int rc = query(m, LB_CDB_CMD_FEATURES, NULL, 0, 36, &r);
	if (!rc) {
		memcpy(f.supported, &r.data[138 - 136], sizeof(f.supported));
		f.max_completion_ms = (uint16_t)(r.data[170 - 136] << 8 | r.data[171 - 136]);
	}
	LB_SIZED_FILL(out, f);
	return rc;
}

LB_API int lb_module_cdb_features(struct lb_module *m, struct lb_cdb_features *out)
{
	return LB_MODULE_CALL(m, cdb_features(m, out));
}

/* Query status's password byte (0000h reply byte 137), no ResponseDelay. */
int lb_cdb_password_status(struct lb_module *m, uint8_t *out)
{
	struct lb_cdb_query q = LB_SIZED_INIT(struct lb_cdb_query);
	int rc = cdb_query(m, 0, &q);
	*out = q.password_status;
	return rc;
}

int lb_cdb_enter_password(struct lb_module *m, uint32_t password)
{
	uint8_t lpl[4] = { (uint8_t)(password >> 24), (uint8_t)(password >> 16),
			   (uint8_t)(password >> 8), (uint8_t)password };
	struct lb_cdb_cmd c = { .size = sizeof(c), .id = LB_CDB_CMD_PASSWORD, .lpl = lpl, .lpl_len = 4 };
	struct lb_cdb_reply r;
	int rc = lb_cdb_run(m, &c, &r);
	if (rc == LB_E_CDB && (r.status & 0x7F) == 0x46)
		return lb_ctx_error(lb_module_ctx(m), LB_E_PERM,
				    "CDB command 0001h: the module does not take that password");
	if (rc)
		return rc;
	/* Query status says whether it took: 01h host password, 1xxxxxxxb a module password */
	uint8_t st;
	if ((rc = lb_cdb_password_status(m, &st)))
		return rc;
	if (st == 0)
		return lb_ctx_error(lb_module_ctx(m), LB_E_PERM,
				    "CDB: the module answered 0001h but Query status shows no password "
				    "accepted");
	return LB_OK;
}

static int cdb_password(struct lb_module *m, uint32_t password)
{
	if (!m)
		return LB_E_INVAL;
	return lb_cdb_enter_password(m, password);
}

LB_API int lb_module_cdb_password(struct lb_module *m, uint32_t password)
{
	return LB_MODULE_CALL(m, cdb_password(m, password));
}
