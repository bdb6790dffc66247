/* SPDX-License-Identifier: MIT */
/* The telemetry snapshot's names (telemetry_names.c), for telemetry.c. */
#ifndef LB_HAL_COHERENT_TELEMETRY_INTERNAL_H
#define LB_HAL_COHERENT_TELEMETRY_INTERNAL_H

struct lb_telemetry_name {
	unsigned id;       /* VDM observable type */
	const char *name;  /* struct lb_telemetry_value.name */
	const char *label; /* for people: "OSNR" */
};

/* The name of a VDM type's value, or NULL (then its type key names it). */
const struct lb_telemetry_name *lb_telemetry_vdm_name(unsigned type);

#define LB_TELEMETRY_PM_METRICS 13
struct lb_telemetry_pm_name {
	const char *name[3]; /* LB_PM_AVG, LB_PM_MIN, LB_PM_MAX */
	const char *label[3];
	const char *unit;
};
/* The link PM metrics in struct lb_ccmis_pm order (cd_ps_nm .. mer_db). */
extern const struct lb_telemetry_pm_name lb_telemetry_pm_names[LB_TELEMETRY_PM_METRICS];

#endif
