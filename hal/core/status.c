/* SPDX-License-Identifier: MIT */
#include <lightbridge/status.h>

struct status_name {
	int code;
	const char *name;
	const char *text;
};

static const struct status_name status_names[] = {
	{ LB_OK, "LB_OK", "success" },
	{ LB_E_INVAL, "LB_E_INVAL", "invalid argument" },
	{ LB_E_NOMEM, "LB_E_NOMEM", "out of memory" },
	{ LB_E_IO, "LB_E_IO", "I/O error" },
	{ LB_E_NACK, "LB_E_NACK", "device did not acknowledge (NACK)" },
	{ LB_E_TIMEOUT, "LB_E_TIMEOUT", "timed out" },
	{ LB_E_NOTSUP, "LB_E_NOTSUP", "not supported" },
	{ LB_E_NODEV, "LB_E_NODEV", "no device (absent or removed)" },
	{ LB_E_BUSY, "LB_E_BUSY", "busy (held elsewhere)" },
	{ LB_E_CHECKSUM, "LB_E_CHECKSUM", "checksum mismatch" },
	{ LB_E_PARSE, "LB_E_PARSE", "malformed input" },
	{ LB_E_RANGE, "LB_E_RANGE", "value out of range" },
	{ LB_E_STATE, "LB_E_STATE", "not allowed in the current state" },
	{ LB_E_REJECTED, "LB_E_REJECTED", "configuration rejected" },
	{ LB_E_NOTFOUND, "LB_E_NOTFOUND", "not found" },
	{ LB_E_ABI, "LB_E_ABI", "driver ABI mismatch" },
	{ LB_E_SHORT, "LB_E_SHORT", "short transfer" },
	{ LB_E_FAULT, "LB_E_FAULT", "module fault" },
	{ LB_E_UNKNOWN_ID, "LB_E_UNKNOWN_ID", "not a CMIS module (identifier)" },
	{ LB_E_PERM, "LB_E_PERM", "permission denied" },
	{ LB_E_EXISTS, "LB_E_EXISTS", "already exists" },
	{ LB_E_CDB, "LB_E_CDB", "CDB command failed" },
	{ LB_E_AGAIN, "LB_E_AGAIN", "still in progress" },
	{ LB_E_CANCELED, "LB_E_CANCELED", "cancelled" },
	{ LB_E_CHANGED, "LB_E_CHANGED", "module reset or replaced since the last access" },
};

static const struct status_name *find_status(int status)
{
	for (unsigned i = 0; i < sizeof(status_names) / sizeof(status_names[0]); i++)
		if (status_names[i].code == status)
			return &status_names[i];
	return 0;
}

LB_API const char *lb_strerror(int status)
{
	const struct status_name *s = find_status(status);
	return s ? s->text : "unknown status";
}

LB_API const char *lb_status_name(int status)
{
	const struct status_name *s = find_status(status);
	return s ? s->name : "LB_E_UNKNOWN";
}
