/* SPDX-License-Identifier: MIT */
/*
 * Bus driver over a Linux I2C adapter, /dev/i2c-N (i2c-dev), through libi2c (i2c-tools).
 *   {"device": "/dev/i2c-3"}  or  {"adapter": 3}
 *   optional: "max_transfer": 1..8192 (bytes per message; many adapters allow far less than
 *             the I2C_RDWR limit of 8192), "nack_retry_ms": 0..1000 (default 25),
 *             "clock_khz": the adapter's SCL rate, used only to charge bus time (default 400).
 *
 * Transfers: when I2C_FUNCS reports I2C_FUNC_I2C, every transfer is one I2C_RDWR ioctl: a
 * read is the combined write-offset, repeated START, read; a write is one message. I2C_RDWR
 * carries an address per message, so mux control bytes (written by the core to the mux
 * address) and module accesses go through unchanged and no I2C_SLAVE is needed.
 * Only when the adapter lacks plain I2C (SMBus-only controllers) the driver falls back to
 * SMBus: I2C block read/write (32 bytes, so max_transfer is 32), or byte-data transfers
 * one byte at a time when even I2C block is missing (max_transfer 1); the SMBus path selects
 * the target with I2C_SLAVE, once per address change.
 *
 * Busy NACK retry (CMIS 5.4 section 10, Table 10-4): a module NACKs its address while it
 * cannot take an access (a write still being committed, tWRITE <= 10 ms; a page change,
 * tBPC <= 10 ms; CDB capture, tCDBC <= 80 ms is the host's CDB wait, not ours). A NACKed
 * transfer did not happen (the address byte was refused), so it is repeated after 1 ms
 * sleeps on the context clock (env->clock.sleep_ns, virtual under the emulator) until
 * nack_retry_ms (default 25 ms, as the kernel's optoe driver) have passed; then LB_E_NACK.
 * An empty cage therefore costs nack_retry_ms before it is reported. No other error is
 * retried: EIO, a timeout or a lost arbitration go up at once.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <i2c/smbus.h>
#include <lightbridge/detect.h>
#include <lightbridge/driver.h>

#define LI2C_RDWR_MAX_LEN 8192u      /* i2c-dev refuses longer I2C_RDWR messages */
#define LI2C_RDWR_MAX_MSGS 42u       /* I2C_RDWR_IOCTL_MAX_MSGS */
#define LI2C_SMBUS_BLOCK_LEN 32u     /* I2C_SMBUS_BLOCK_MAX */
#define LI2C_NACK_RETRY_MS 25u       /* optoe's budget; covers tWRITE and tBPC (10 ms) */
#define LI2C_NACK_SLEEP_NS 1000000u  /* 1 ms between attempts */

enum li2c_mode {
	LI2C_MODE_I2C = 0,          /* I2C_RDWR */
	LI2C_MODE_SMBUS_BLOCK = 1,  /* I2C block read/write, 32 bytes */
	LI2C_MODE_SMBUS_BYTE = 2,   /* byte-data read/write, one byte per transaction */
};

struct li2c_bus {
	const struct lb_driver_env *env;
	char name[64];
	char path[PATH_MAX];
	int fd;                 /* -1 while the adapter is absent */
	unsigned long funcs;    /* I2C_FUNCS */
	enum li2c_mode mode;
	size_t opt_max;         /* "max_transfer", 0 = not given */
	uint32_t nack_retry_ms;
	uint32_t clock_khz;
	int slave;              /* address set with I2C_SLAVE (SMBus path), -1 = none */
};

/* errno of a failed call -> status, on the spot; the raw errno goes to the log. */
static int li2c_errno_status(const struct li2c_bus *b, int err, const char *what)
{
	int rc;
	switch (err) {
	case ENXIO:     /* address phase not acknowledged (Documentation/i2c/fault-codes) */
	case EREMOTEIO: /* NACK, as many adapters report it */
		rc = LB_E_NACK;
		break;
	case ENODEV:    /* the adapter went away (USB adapter unplugged, driver unbound) */
	case ENOENT:
	case ESHUTDOWN:
		rc = LB_E_NODEV;
		break;
	case ETIMEDOUT:
		rc = LB_E_TIMEOUT;
		break;
	case EAGAIN:    /* arbitration lost (the i2c core already retried) */
	case EBUSY:
		rc = LB_E_BUSY;
		break;
	case EACCES:
	case EPERM:
		rc = LB_E_PERM;
		break;
	case EOPNOTSUPP:
	case ENOTTY:
		rc = LB_E_NOTSUP;
		break;
	case EINVAL:
		rc = LB_E_INVAL;
		break;
	case ENOMEM:
		rc = LB_E_NOMEM;
		break;
	default:        /* EIO, EPROTO, EBADMSG... */
		rc = LB_E_IO;
		break;
	}
	lb_driver_log(b->env, rc == LB_E_NACK ? LB_LOG_DEBUG : LB_LOG_WARN, "linux-i2c %s: %s %s: %s",
		      b->name, what, b->path, strerror(err));
	return rc;
}

static void li2c_close_fd(struct li2c_bus *b)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	b->slave = -1;
}

/* Mode and largest message from the functionality mask. */
static int li2c_choose_mode(unsigned long funcs, enum li2c_mode *mode)
{
	if (funcs & I2C_FUNC_I2C)
		*mode = LI2C_MODE_I2C;
	else if ((funcs & I2C_FUNC_SMBUS_READ_I2C_BLOCK) && (funcs & I2C_FUNC_SMBUS_WRITE_I2C_BLOCK))
		*mode = LI2C_MODE_SMBUS_BLOCK;
	else if ((funcs & I2C_FUNC_SMBUS_READ_BYTE_DATA) && (funcs & I2C_FUNC_SMBUS_WRITE_BYTE_DATA))
		*mode = LI2C_MODE_SMBUS_BYTE;
	else
		return LB_E_NOTSUP;
	return LB_OK;
}

static size_t li2c_mode_max(enum li2c_mode mode)
{
	switch (mode) {
	case LI2C_MODE_SMBUS_BLOCK:
		return LI2C_SMBUS_BLOCK_LEN;
	case LI2C_MODE_SMBUS_BYTE:
		return 1;
	default:
		return LI2C_RDWR_MAX_LEN;
	}
}

static const char *li2c_mode_name(enum li2c_mode mode)
{
	switch (mode) {
	case LI2C_MODE_SMBUS_BLOCK:
		return "SMBus I2C block (32 bytes)";
	case LI2C_MODE_SMBUS_BYTE:
		return "SMBus byte data (1 byte per transaction)";
	default:
		return "I2C (I2C_RDWR)";
	}
}

/* Open the adapter if it is not open; an absent adapter is LB_E_NODEV (it may appear later). */
static int li2c_reopen(struct li2c_bus *b)
{
	if (b->fd >= 0)
		return LB_OK;
	int fd = open(b->path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return li2c_errno_status(b, errno, "open");
	unsigned long funcs = 0;
	if (ioctl(fd, I2C_FUNCS, &funcs) < 0) {
		int err = errno;
		close(fd);
		if (err == ENOTTY || err == EINVAL)
			return lb_driver_error(b->env, LB_E_INVAL,
					       "linux-i2c %s: %s is not an I2C adapter (I2C_FUNCS: %s)",
					       b->name, b->path, strerror(err));
		return li2c_errno_status(b, err, "I2C_FUNCS");
	}
	enum li2c_mode mode;
	if (li2c_choose_mode(funcs, &mode)) {
		close(fd);
		return lb_driver_error(b->env, LB_E_NOTSUP,
				       "linux-i2c %s: %s offers neither I2C nor SMBus byte data (funcs 0x%08lx)",
				       b->name, b->path, funcs);
	}
	b->fd = fd;
	b->funcs = funcs;
	b->mode = mode;
	b->slave = -1;
	lb_driver_log(b->env, LB_LOG_DEBUG, "linux-i2c %s: %s: funcs 0x%08lx, %s", b->name, b->path,
		      funcs, li2c_mode_name(mode));
	return LB_OK;
}

/* {"device": "/dev/i2c-N"} or {"adapter": N}, and the optional tuning below; "name" is the bus's. */
static int li2c_parse(struct li2c_bus *b, const struct lb_options *o)
{
	static const char *const keys[] = { "name", "device", "adapter", "max_transfer", "nack_retry_ms",
					    "clock_khz", "description", "comment", "_*", NULL };
	int64_t adapter;
	uint32_t max, retry, khz;
	int rc;
	if ((rc = lb_options_check_keys(o, keys)) ||
	    (rc = lb_options_get_string_buf(o, "name", "linux-i2c", b->name, sizeof(b->name))))
		return rc;
	if (lb_options_has(o, "device") == lb_options_has(o, "adapter"))
		return lb_options_fail(o, "device", LB_E_PARSE,
				       "give exactly one of \"device\" (\"/dev/i2c-N\") or \"adapter\" (N)");
	if ((rc = lb_options_get_string_buf(o, "device", "", b->path, sizeof(b->path))) ||
	    (rc = lb_options_get_int(o, "adapter", 0, 1048575, 0, &adapter)) ||
	    (rc = lb_options_get_u32(o, "max_transfer", 1, LI2C_RDWR_MAX_LEN, 0, &max)) ||
	    (rc = lb_options_get_u32(o, "nack_retry_ms", 0, 1000, LI2C_NACK_RETRY_MS, &retry)) ||
	    (rc = lb_options_get_u32(o, "clock_khz", 1, 5000, 400, &khz)))
		return rc;
	if (lb_options_has(o, "device") && !b->path[0])
		return lb_options_fail(o, "device", LB_E_PARSE, "empty: not a path");
	if (lb_options_has(o, "adapter"))
		snprintf(b->path, sizeof(b->path), "/dev/i2c-%lld", (long long)adapter);
	b->opt_max = (size_t)max;
	b->nack_retry_ms = retry;
	b->clock_khz = khz;
	return LB_OK;
}

static int li2c_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
		     void *handle)
{
	struct li2c_bus *b = priv;
	(void)handle;
	b->env = env;
	b->fd = -1;
	b->slave = -1;
	int rc = li2c_parse(b, options);
	if (rc)
		return lb_driver_error(env, rc, "%s", lb_options_error(options));
	rc = li2c_reopen(b);
	if (rc == LB_E_NODEV) {
		/* Not there (yet): the bus opens, transfers say LB_E_NODEV until it appears. */
		lb_driver_log(env, LB_LOG_WARN, "linux-i2c %s: %s is absent; will retry on use",
			      b->name, b->path);
		return LB_OK;
	}
	if (rc == LB_E_PERM)
		return lb_driver_error(env, rc, "linux-i2c %s: no permission to open %s (group i2c, or root)",
				       b->name, b->path);
	return rc;
}

static void li2c_close(void *priv)
{
	li2c_close_fd(priv);
}

static size_t li2c_max_transfer(void *priv)
{
	struct li2c_bus *b = priv;
	li2c_reopen(b);
	size_t max = li2c_mode_max(b->fd >= 0 ? b->mode : LI2C_MODE_I2C);
	return b->opt_max && b->opt_max < max ? b->opt_max : max;
}

static uint32_t li2c_clock_khz(void *priv)
{
	struct li2c_bus *b = priv;
	return b->clock_khz;
}

/* One I2C_RDWR ioctl: all messages, repeated START between them, one STOP. */
static int li2c_rdwr(struct li2c_bus *b, struct lb_i2c_msg *msgs, unsigned n)
{
	/*
	 * Nothing undefined goes to the ioctl, the structs' padding included; read buffers are
	 * cleared first, so an adapter that claims a read without filling it gives zeros, not
	 * what the memory held before.
	 */
	struct i2c_msg m[LI2C_RDWR_MAX_MSGS];
	memset(m, 0, n * sizeof(m[0]));
	for (unsigned i = 0; i < n; i++) {
		m[i].addr = msgs[i].addr;
		m[i].flags = (msgs[i].flags & LB_I2C_M_RD) ? I2C_M_RD : 0;
		m[i].len = msgs[i].len;
		m[i].buf = msgs[i].buf;
		if ((msgs[i].flags & LB_I2C_M_RD) && msgs[i].len)
			memset(msgs[i].buf, 0, msgs[i].len);
	}
	struct i2c_rdwr_ioctl_data data;
	memset(&data, 0, sizeof(data));
	data.msgs = m;
	data.nmsgs = n;
	int ret = ioctl(b->fd, I2C_RDWR, &data);
	if (ret < 0)
		return li2c_errno_status(b, errno, "I2C_RDWR");
	if ((unsigned)ret != n) {
		lb_driver_log(b->env, LB_LOG_WARN, "linux-i2c %s: I2C_RDWR did %d of %u messages",
			      b->name, ret, n);
		return LB_E_IO;
	}
	return LB_OK;
}

static int li2c_set_slave(struct li2c_bus *b, uint16_t addr)
{
	if (b->slave == (int)addr)
		return LB_OK;
	if (ioctl(b->fd, I2C_SLAVE, (unsigned long)addr) < 0) {
		int err = errno;
		int rc = li2c_errno_status(b, err, "I2C_SLAVE");
		if (err == EBUSY)
			lb_driver_error(b->env, rc,
					"linux-i2c %s: address 0x%02x on %s is claimed by a kernel driver "
					"(optoe, at24): use the optoe bus driver, or unbind it",
					b->name, addr, b->path);
		return rc;
	}
	b->slave = addr;
	return LB_OK;
}

static int li2c_need(const struct li2c_bus *b, unsigned long func, const char *what)
{
	if (b->funcs & func)
		return LB_OK;
	lb_driver_log(b->env, LB_LOG_WARN, "linux-i2c %s: %s cannot do %s", b->name, b->path, what);
	return LB_E_NOTSUP;
}

/* libi2c returns a byte count or -errno. */
static int li2c_smbus_rc(struct li2c_bus *b, __s32 r, const char *what)
{
	return r < 0 ? li2c_errno_status(b, -r, what) : LB_OK;
}

/* Whether msgs are pairs of (one offset byte written, bytes read) to one address each. */
static bool random_reads(const struct lb_i2c_msg *msgs, unsigned n)
{
	for (unsigned k = 0; k < n; k += 2)
		if ((msgs[k].flags & LB_I2C_M_RD) || !(msgs[k + 1].flags & LB_I2C_M_RD) ||
		    msgs[k].addr != msgs[k + 1].addr || msgs[k].len != 1)
			return false;
	return true;
}

/* One random read as SMBus: an I2C block read, or byte by byte. */
static int li2c_smbus_random_read(struct li2c_bus *b, bool block, struct lb_i2c_msg *pair)
{
	uint8_t off = pair[0].buf[0];
	uint16_t len = pair[1].len;
	int rc;
	if ((rc = li2c_set_slave(b, pair[0].addr)))
		return rc;
	if (block && len <= LI2C_SMBUS_BLOCK_LEN) {
		__s32 r = i2c_smbus_read_i2c_block_data(b->fd, off, (__u8)len, pair[1].buf);
		if (r < 0)
			return li2c_smbus_rc(b, r, "SMBus I2C block read");
		return r < (__s32)len ? LB_E_SHORT : LB_OK;
	}
	if (block)
		return LB_E_INVAL;
	for (uint16_t i = 0; i < len; i++) {
		__s32 r = i2c_smbus_read_byte_data(b->fd, (__u8)(off + i));
		if (r < 0)
			return li2c_smbus_rc(b, r, "SMBus read byte data");
		pair[1].buf[i] = (uint8_t)r;
	}
	return LB_OK;
}

/* The SMBus fallback: the transfer shapes the core uses, as SMBus transactions. */
static int li2c_smbus(struct li2c_bus *b, struct lb_i2c_msg *msgs, unsigned n)
{
	int rc;
	bool block = b->mode == LI2C_MODE_SMBUS_BLOCK;
	if (n % 2 == 0 && random_reads(msgs, n)) {
		/* random reads (write offset, repeated START, read), one after the other */
		for (unsigned k = 0; k < n; k += 2)
			if ((rc = li2c_smbus_random_read(b, block, &msgs[k])))
				return rc;
		return LB_OK;
	}
	if (n == 1 && !(msgs[0].flags & LB_I2C_M_RD) && msgs[0].len >= 1) {
		const uint8_t *d = msgs[0].buf;
		uint16_t len = msgs[0].len;
		if ((rc = li2c_set_slave(b, msgs[0].addr)))
			return rc;
		if (len == 1) { /* a mux control byte, or setting the current address */
			if ((rc = li2c_need(b, I2C_FUNC_SMBUS_WRITE_BYTE, "SMBus send byte")))
				return rc;
			return li2c_smbus_rc(b, i2c_smbus_write_byte(b->fd, d[0]), "SMBus send byte");
		}
		if (len == 2)
			return li2c_smbus_rc(b, i2c_smbus_write_byte_data(b->fd, d[0], d[1]),
					     "SMBus write byte data");
		if (block && len - 1u <= LI2C_SMBUS_BLOCK_LEN)
			return li2c_smbus_rc(b, i2c_smbus_write_i2c_block_data(b->fd, d[0], (__u8)(len - 1u),
									       d + 1),
					     "SMBus I2C block write");
		if (block)
			return LB_E_INVAL;
		for (uint16_t i = 1; i < len; i++)
			if ((rc = li2c_smbus_rc(b, i2c_smbus_write_byte_data(b->fd, (__u8)(d[0] + i - 1u), d[i]),
						"SMBus write byte data")))
				return rc;
		return LB_OK;
	}
	if (n == 1 && (msgs[0].flags & LB_I2C_M_RD) && msgs[0].len == 1) {
		if ((rc = li2c_set_slave(b, msgs[0].addr)) ||
		    (rc = li2c_need(b, I2C_FUNC_SMBUS_READ_BYTE, "SMBus receive byte")))
			return rc;
		__s32 r = i2c_smbus_read_byte(b->fd);
		if (r < 0)
			return li2c_smbus_rc(b, r, "SMBus receive byte");
		msgs[0].buf[0] = (uint8_t)r;
		return LB_OK;
	}
	lb_driver_log(b->env, LB_LOG_WARN, "linux-i2c %s: %s is SMBus-only: a %u-message transfer "
		      "has no SMBus equivalent", b->name, b->path, n);
	return LB_E_NOTSUP;
}

/*
 * A read-back of the select bytes rides in the read's I2C_RDWR (one transaction); an
 * SMBus-only adapter, or one not found at open, sends it as a transaction of its own.
 */
static uint32_t li2c_instance_caps(void *priv)
{
	const struct li2c_bus *b = priv;
	return b->fd >= 0 && b->mode == LI2C_MODE_I2C ? LB_BUS_CAP_COMBINED : 0;
}

static int li2c_xfer(void *priv, struct lb_i2c_msg *msgs, unsigned n)
{
	struct li2c_bus *b = priv;
	if (!msgs || n == 0 || n > LI2C_RDWR_MAX_MSGS)
		return LB_E_INVAL;
	int rc = li2c_reopen(b);
	if (rc)
		return rc;
	size_t max = li2c_max_transfer(b);
	for (unsigned i = 0; i < n; i++) {
		/* A write carries its offset byte in the message: allow it beyond max. Byte-data
		 * adapters write any length, one byte per transaction. */
		bool rd = msgs[i].flags & LB_I2C_M_RD;
		size_t limit = rd ? max : b->mode == LI2C_MODE_SMBUS_BYTE ? 256 : max + 1;
		if (msgs[i].len > limit || (msgs[i].len && !msgs[i].buf)) {
			lb_driver_log(b->env, LB_LOG_WARN, "linux-i2c %s: message of %u bytes exceeds %zu",
				      b->name, msgs[i].len, limit);
			return LB_E_INVAL;
		}
	}
	const struct lb_clock *clk = &b->env->clock;
	uint64_t deadline = 0;
	unsigned attempts = 0;
	for (;;) {
		rc = b->mode == LI2C_MODE_I2C ? li2c_rdwr(b, msgs, n) : li2c_smbus(b, msgs, n);
		attempts++;
		if (rc == LB_E_NODEV) {
			li2c_close_fd(b); /* reopened on the next call, should the adapter come back */
			return rc;
		}
		if (rc != LB_E_NACK || !b->nack_retry_ms)
			break;
		uint64_t now = clk->now_ns(clk->user);
		if (!deadline)
			deadline = now + (uint64_t)b->nack_retry_ms * 1000000u;
		else if (now >= deadline)
			break;
		clk->sleep_ns(clk->user, LI2C_NACK_SLEEP_NS);
	}
	if (attempts > 1)
		lb_driver_log(b->env, LB_LOG_DEBUG, "linux-i2c %s: address 0x%02x: %s after %u attempts",
			      b->name, msgs[0].addr, rc ? "still NACK" : "answered", attempts);
	return rc;
}

/* ---- discovery ---- */

static int cmp_uint(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return x < y ? -1 : x > y;
}

static void read_line(const char *path, char *out, size_t len)
{
	out[0] = 0;
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(out, (int)len, f))
		out[strcspn(out, "\n")] = 0;
	fclose(f);
}

static void describe_funcs(unsigned long funcs, char *out, size_t len)
{
	enum li2c_mode mode;
	if (li2c_choose_mode(funcs, &mode)) {
		snprintf(out, len, "no usable transfer (funcs 0x%08lx)", funcs);
		return;
	}
	snprintf(out, len, "%s%s%s", li2c_mode_name(mode),
		 (funcs & I2C_FUNC_SMBUS_READ_I2C_BLOCK) && mode == LI2C_MODE_I2C ? ", SMBus I2C block" : "",
		 (funcs & I2C_FUNC_10BIT_ADDR) ? ", 10-bit addresses" : "");
}

/* Adapter numbers from /sys/class/i2c-dev (or /dev when sysfs has no class). */
static unsigned list_adapters(unsigned *nums, unsigned cap)
{
	unsigned n = 0;
	const char *dirs[] = { "/sys/class/i2c-dev", "/dev" };
	for (unsigned d = 0; d < 2 && n == 0; d++) {
		DIR *dir = opendir(dirs[d]);
		if (!dir)
			continue;
		struct dirent *e;
		while ((e = readdir(dir)) && n < cap) {
			unsigned num;
			char tail;
			if (sscanf(e->d_name, "i2c-%u%c", &num, &tail) == 1)
				nums[n++] = num;
		}
		closedir(dir);
	}
	qsort(nums, n, sizeof(nums[0]), cmp_uint);
	return n;
}

static int li2c_enumerate(const struct lb_driver_env *env,
			  int (*found)(void *user, const struct lb_bus_found *bus), void *user)
{
	unsigned nums[256];
	unsigned n = list_adapters(nums, 256);
	for (unsigned i = 0; i < n; i++) {
		struct lb_bus_found f;
		memset(&f, 0, sizeof(f));
		char path[128];
		snprintf(f.device, sizeof(f.device), "/dev/i2c-%u", nums[i]);
		snprintf(path, sizeof(path), "/sys/class/i2c-dev/i2c-%u/name", nums[i]);
		read_line(path, f.name, sizeof(f.name));
		if (!f.name[0]) {
			snprintf(path, sizeof(path), "/sys/class/i2c-dev/i2c-%u/device/name", nums[i]);
			read_line(path, f.name, sizeof(f.name));
		}
		snprintf(f.options, sizeof(f.options), "{\"device\": \"%s\"}", f.device);
		int fd = open(f.device, O_RDWR | O_CLOEXEC);
		unsigned long funcs = 0;
		if (fd < 0) {
			snprintf(f.problem, sizeof(f.problem), "open: %s", strerror(errno));
		} else if (ioctl(fd, I2C_FUNCS, &funcs) < 0) {
			snprintf(f.problem, sizeof(f.problem), "I2C_FUNCS: %s", strerror(errno));
		} else {
			enum li2c_mode mode;
			f.functionality = (uint32_t)funcs;
			describe_funcs(funcs, f.details, sizeof(f.details));
			if (li2c_choose_mode(funcs, &mode) == LB_OK) {
				f.usable = 1;
				f.max_transfer = (uint32_t)li2c_mode_max(mode);
			} else {
				snprintf(f.problem, sizeof(f.problem), "neither I2C nor SMBus byte data");
			}
		}
		if (fd >= 0)
			close(fd);
		lb_driver_log(env, LB_LOG_DEBUG, "linux-i2c: found %s (%s)", f.device, f.name);
		int rc = found(user, &f);
		if (rc)
			return rc;
	}
	return LB_OK;
}

static const struct lb_bus_ops li2c_ops = {
	.size = sizeof(struct lb_bus_ops),
	.caps = LB_BUS_CAP_I2C,
	.priv_size = sizeof(struct li2c_bus),
	.open = li2c_open,
	.close = li2c_close,
	.max_transfer = li2c_max_transfer,
	.xfer = li2c_xfer,
	.instance_caps = li2c_instance_caps,
	.clock_khz = li2c_clock_khz,
	.enumerate = li2c_enumerate,
};

const struct lb_driver lb_bus_driver_linux_i2c = {
	.abi = LB_DRIVER_ABI,
	.size = sizeof(struct lb_driver),
	.kind = LB_DRIVER_BUS,
	.kind_abi = LB_BUS_ABI,
	.name = "linux-i2c",
	.version = "1",
	.ops.bus = &li2c_ops,
};
