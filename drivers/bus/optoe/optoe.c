/* SPDX-License-Identifier: MIT */
/*
 * Bus driver over the EEPROM file of the Linux optoe driver (/sys/bus/i2c/devices/N-0050/eeprom),
 * or any file laid out the same way (lb-emud serves one through FUSE). The kernel selects bank
 * and page inside each read or write, so the driver is LB_BUS_CAP_PAGED: the library never
 * writes a select byte. The kernel writes PageSelect 0 back after each upper-page access, so a
 * raw user of the same module (i2c-dev) loses its page: with a platform "lock_file" the bus
 * takes the lock around every sequence as any bus does, and each hold tells the other holders
 * that the select moved (hal/bus/lock_file.c).
 *   {"path": "/sys/bus/i2c/devices/11-0050/eeprom", "banking": "optoe", "clock_khz": 100}
 * banking: "optoe" (SONiC's optoe banking support: 240 pages per extra bank), "sonic" (256
 * pages per bank) or "none" (bank 0 only): lightbridge/optoe.h. A file "banking" next to the
 * EEPROM file (lb-emud's) names the layout served: taken when "banking" is not given, and a
 * "banking" that differs is refused (LB_E_INVAL), so that no bank is read in another's place. clock_khz only feeds the wire-time estimate (see last_xfer_ns).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <lightbridge/driver.h>
#include <lightbridge/optoe.h>

#define OPTOE_ADDR 0x50u

struct optoe_bus {
	const struct lb_driver_env *env;
	char name[64];
	char path[PATH_MAX];
	int fd;                    /* -1 until the file can be opened */
	bool read_only;
	enum lb_optoe_banking banking;
	uint32_t clock_khz;
	uint64_t last_ns;          /* estimated wire time of the last access */
};

/* errno of a failed access -> status, on the spot; the raw errno goes to the log. */
static int optoe_errno_status(const struct optoe_bus *b, int err, const char *what)
{
	int rc;
	switch (err) {
	case EIO:
	case EREMOTEIO:
		rc = LB_E_NACK; /* the i2c core reports a NACK as EIO (or EREMOTEIO) */
		break;
	case ENODEV:
	case ENXIO:
	case ENOENT:
		rc = LB_E_NODEV;
		break;
	case ETIMEDOUT:
		rc = LB_E_TIMEOUT;
		break;
	case EAGAIN:
	case EBUSY:
		rc = LB_E_BUSY;
		break;
	case EACCES:
	case EPERM:
	case EROFS:
		rc = LB_E_PERM;
		break;
	case EINVAL:
		rc = LB_E_INVAL;
		break;
	case ENODATA:
		rc = LB_E_NOTSUP; /* lb-emud: the module has no such page */
		break;
	case ENOMEM:
		rc = LB_E_NOMEM;
		break;
	default:
		rc = LB_E_IO;
		break;
	}
	lb_driver_log(b->env, rc == LB_E_NACK ? LB_LOG_DEBUG : LB_LOG_WARN, "optoe %s: %s %s: %s",
		      b->name, what, b->path, strerror(err));
	return rc;
}

/* Open the file; an absent device stays closed (the cage's bus may appear later). */
static int optoe_reopen(struct optoe_bus *b)
{
	if (b->fd >= 0)
		return LB_OK;
	/* Never waited on: a FIFO or a device named as the path is refused, not read. */
	int fd = open(b->path, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	b->read_only = false;
	if (fd < 0 && (errno == EACCES || errno == EROFS || errno == EPERM)) {
		fd = open(b->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
		b->read_only = fd >= 0;
	}
	if (fd < 0)
		return optoe_errno_status(b, errno, "open");
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return lb_driver_error(b->env, LB_E_PERM, "optoe %s: %s: not a regular file", b->name,
				       b->path);
	}
	/* A regular file: its accesses block as any file's (the kernel may wait for the bus). */
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	b->fd = fd;
	return LB_OK;
}

/*
 * The bank layout the file says it serves: lb-emud puts "optoe\n", "sonic\n" or "none\n" in a
 * file "banking" next to each eeprom. 1 and *out when there is one that names a layout, 0 when
 * there is none (a kernel's sysfs), -1 when it names none.
 */
static int layout_served(const char *eeprom, enum lb_optoe_banking *out)
{
	char path[PATH_MAX], text[16];
	const char *slash = strrchr(eeprom, '/');
	int dirlen = slash ? (int)(slash - eeprom) : 1;
	if (snprintf(path, sizeof(path), "%.*s/banking", dirlen, slash ? eeprom : ".") >= (int)sizeof(path))
		return 0;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return 0;
	struct stat st;
	ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, text, sizeof(text) - 1) : -1;
	close(fd);
	if (n <= 0)
		return n < 0 ? 0 : -1;
	text[n] = '\0';
	text[strcspn(text, "\n")] = '\0';
	return lb_optoe_banking_from_name(text, out) == LB_OK ? 1 : -1;
}

static int optoe_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
		      void *handle)
{
	static const char *const keys[] = { "name", "path", "banking", "clock_khz", "description",
					    "comment", "_*", NULL };
	static const struct lb_options_enum bankings[] = {
		{ "optoe", LB_OPTOE_BANKING_OPTOE }, { "sonic", LB_OPTOE_BANKING_SONIC },
		{ "none", LB_OPTOE_BANKING_NONE }, { NULL, 0 },
	};
	struct optoe_bus *b = priv;
	(void)handle;
	b->env = env;
	b->fd = -1;
	int banking;
	int rc;
	if ((rc = lb_options_check_keys(options, keys)) ||
	    (rc = lb_options_get_string_buf(options, "name", "optoe", b->name, sizeof(b->name))) ||
	    (rc = lb_options_require(options, "path")) ||
	    (rc = lb_options_get_string_buf(options, "path", "", b->path, sizeof(b->path))) ||
	    (rc = lb_options_get_enum(options, "banking", bankings, LB_OPTOE_BANKING_OPTOE, &banking)) ||
	    (rc = lb_options_get_u32(options, "clock_khz", 10, 3400, 100, &b->clock_khz)) ||
	    (!b->path[0] && (rc = lb_options_fail(options, "path", LB_E_PARSE, "empty"))))
		return lb_driver_error(env, rc, "%s", lb_options_error(options));
	b->banking = (enum lb_optoe_banking)banking;
	/* A file that says its layout (lb-emud) is read in that layout, or refused if told another. */
	enum lb_optoe_banking served;
	int said = layout_served(b->path, &served);
	if (said < 0)
		return lb_driver_error(env, LB_E_PARSE, "optoe %s: the banking file next to %s names no layout",
				       b->name, b->path);
	if (said && served != b->banking) {
		if (lb_options_has(options, "banking"))
			return lb_driver_error(env, LB_E_INVAL,
					       "optoe %s: %s serves the \"%s\" bank layout, not \"%s\" as "
					       "\"banking\" says", b->name, b->path,
					       lb_optoe_banking_name(served), lb_optoe_banking_name(b->banking));
		b->banking = served;
	}
	rc = optoe_reopen(b);
	/* Refuse what will never work; an absent device is tried again on every access. */
	return rc == LB_E_PERM ? rc : LB_OK;
}

static void optoe_close(void *priv)
{
	struct optoe_bus *b = priv;
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
}

static size_t optoe_max_transfer(void *priv)
{
	(void)priv;
	return 128; /* one page at most, never crossing one: the core's planner splits there */
}

/*
 * Estimated wire time of one access as the kernel performs it: a select write when the
 * access is in an upper page other than 00h (bank too when banked), the access itself
 * (offset write + read, or offset + data), and optoe's restore of PageSelect to 0.
 */
static uint64_t estimate_ns(const struct optoe_bus *b, uint8_t bank, uint8_t page, uint8_t offset,
			    size_t len, bool is_read)
{
	struct lb_i2c_msg m[2] = { { .addr = OPTOE_ADDR, .len = 1 }, { .addr = OPTOE_ADDR } };
	uint64_t clocks;
	if (is_read) {
		m[1].flags = LB_I2C_M_RD;
		m[1].len = (uint16_t)len;
		clocks = lb_i2c_wire_clocks(m, 2);
	} else {
		m[0].len = (uint16_t)(1 + len);
		clocks = lb_i2c_wire_clocks(m, 1);
	}
	if (offset >= 128 && (page != 0 || bank != 0)) {
		struct lb_i2c_msg sel = { .addr = OPTOE_ADDR, .len = bank ? 3 : 2 };
		struct lb_i2c_msg restore = { .addr = OPTOE_ADDR, .len = 2 };
		clocks += lb_i2c_wire_clocks(&sel, 1) + lb_i2c_wire_clocks(&restore, 1);
	}
	return lb_i2c_clocks_to_ns(clocks, b->clock_khz);
}

static int optoe_access(struct optoe_bus *b, uint16_t addr, uint8_t bank, uint8_t page,
			uint8_t offset, void *buf, size_t len, bool is_read)
{
	b->last_ns = 0;
	if (addr != OPTOE_ADDR)
		return LB_E_NOTSUP; /* one file per device at 0x50 */
	if (!len || offset + len > 256 || (offset < 128 && offset + len > 128))
		return LB_E_INVAL;
	off_t at = (off_t)lb_optoe_offset(b->banking, offset < 128 ? 0 : bank, offset < 128 ? 0 : page, offset);
	if (at < 0)
		return LB_E_NOTSUP;
	int rc = optoe_reopen(b);
	if (rc)
		return rc;
	if (!is_read && b->read_only)
		return LB_E_PERM;
	ssize_t n;
	do {
		n = is_read ? pread(b->fd, buf, len, at) : pwrite(b->fd, buf, len, at);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		int err = errno;
		rc = optoe_errno_status(b, err, is_read ? "read" : "write");
		if (rc == LB_E_NODEV) {
			close(b->fd); /* the device went: open it afresh next time */
			b->fd = -1;
		}
		return rc;
	}
	b->last_ns = estimate_ns(b, bank, page, offset, len, is_read);
	if (n == 0)
		return LB_E_NOTSUP; /* past the end: the file (kernel) has no such page */
	return (size_t)n == len ? LB_OK : LB_E_SHORT;
}

static int optoe_paged_read(void *priv, uint16_t addr, uint8_t bank, uint8_t page, uint8_t offset,
			    uint8_t *buf, size_t len)
{
	return optoe_access(priv, addr, bank, page, offset, buf, len, true);
}

static int optoe_paged_write(void *priv, uint16_t addr, uint8_t bank, uint8_t page, uint8_t offset,
			     const uint8_t *buf, size_t len)
{
	return optoe_access(priv, addr, bank, page, offset, (void *)(uintptr_t)buf, len, false);
}

static uint64_t optoe_last_xfer_ns(void *priv)
{
	const struct optoe_bus *b = priv;
	return b->last_ns;
}

static uint32_t optoe_clock_khz(void *priv)
{
	const struct optoe_bus *b = priv;
	return b->clock_khz;
}

static const struct lb_bus_ops optoe_ops = {
	.size = sizeof(struct lb_bus_ops),
	.caps = LB_BUS_CAP_PAGED,
	.priv_size = sizeof(struct optoe_bus),
	.open = optoe_open,
	.close = optoe_close,
	.max_transfer = optoe_max_transfer,
	.paged_read = optoe_paged_read,
	.paged_write = optoe_paged_write,
	.last_xfer_ns = optoe_last_xfer_ns,
	.clock_khz = optoe_clock_khz,
};

const struct lb_driver lb_bus_driver_optoe = {
	.abi = LB_DRIVER_ABI,
	.size = sizeof(struct lb_driver),
	.kind = LB_DRIVER_BUS,
	.kind_abi = LB_BUS_ABI,
	.name = "optoe",
	.version = "1",
	.ops.bus = &optoe_ops,
};
