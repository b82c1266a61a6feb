// SPDX-License-Identifier: GPL-2.0-only
/*
 * aklctl: the administrator's tool for activity_klog.
 *
 *   aklctl status                  module, parameters, counters, forwarder
 *   aklctl apply                   /etc/activity_klog/ -> the module
 *   aklctl whitelist exec|net list|add ENTRY|remove ENTRY|check ...|apply
 *   aklctl tail [-f] [-n N] [--type T] [--uid N] [--exec-id ID]
 *               [-o line|json|compact] [--journal]
 *
 * Records are parsed with journald/record.c, the parser akl-journald uses:
 * one definition of the format for both.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <arpa/inet.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "record.h"
#include "../module/wl_syntax.h"

#define IDENT		"activity_klog"
#define SERVICE		"activity-klog-journald.service"
#define MAX_FIELDS	1024
/* One sysfs write: a page, less the terminating NUL. Longer lists go in
 * several: a replacement, then "+" appends. */
#define WRITE_MAX	4095
#define EXEC_PREFIX_MAX	256
#define WL_MAX_ENTRIES	4096
/* The longest list the module builds from several writes (whitelist.h). */
#define WL_SIZE_MAX	(1 << 20)
/* How long apply retries a write the module refuses while it starts. */
#define BUSY_RETRY_MS	10000

/* Paths; the environment can move them (tests). */
static const char *mod_dir = "/sys/module/activity_klog";
static const char *stats_dir = "/sys/class/misc/secure_log/stats";
static const char *etc_dir = "/etc/activity_klog";
static const char *dev_path = "/dev/secure_log";

static const char *prog = "aklctl";
/* Run by udev (apply -q): errors also go to the journal, as aklctl. */
static int to_journal;

static void err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (to_journal) {
		char m[1024];

		va_start(ap, fmt);
		vsnprintf(m, sizeof(m), fmt, ap);
		va_end(ap);
		sd_journal_send("MESSAGE=%s", m, "PRIORITY=%d", LOG_ERR,
				"SYSLOG_IDENTIFIER=aklctl", NULL);
	}
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Reads a small file into BUF without its trailing newline; -1 on error. */
static int read_small(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	while (n && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return 0;
}

static int module_loaded(void)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/parameters", mod_dir);
	return access(p, F_OK) == 0;
}

/* ---------------------------------------------------------------- lists */

enum wl_kind { WL_EXEC, WL_NET };

static const char *const wl_param[] = { "exec_whitelist", "net_whitelist" };
static const char *const wl_dir[] = { "exec-whitelist.d", "net-whitelist.d" };

struct wl_entry {
	char *text;
	char *file;	/* where it was read */
	int line;
};

struct wl_list {
	struct wl_entry *e;
	int n, files;
};

static void wl_free(struct wl_list *l)
{
	int i;

	for (i = 0; i < l->n; i++) {
		free(l->e[i].text);
		free(l->e[i].file);
	}
	free(l->e);
	l->e = NULL;
	l->n = l->files = 0;
}

/* Address and prefix of a net entry's "i" part; -1 if malformed. */
static int parse_ip(char *s, int *family, unsigned char addr[16],
		    unsigned int *prefix)
{
	char *slash;
	unsigned int max;

	if (!(s = akl_wl_unbracket(s)))
		return -1;
	slash = strchr(s, '/');
	if (slash)
		*slash++ = '\0';
	*family = strchr(s, ':') ? AF_INET6 : AF_INET;
	max = *family == AF_INET6 ? 128 : 32;
	if (inet_pton(*family, s, addr) != 1)
		return -1;
	*prefix = max;
	if (slash) {
		if (!akl_wl_all_digits(slash) || strlen(slash) > 3 ||
		    (unsigned int)atoi(slash) > max)
			return -1;
		*prefix = atoi(slash);
	}
	return 0;
}

struct net_match {
	int has_ip, has_port, family;
	unsigned char addr[16];
	unsigned int prefix, port;
};

/*
 * Checks ENTRY with the rules of the module's parser (whitelist.c,
 * execlog.c, netlog_wl.c). Returns NULL, or why it is refused. NM (if not
 * NULL) gets a net entry's address and port.
 */
static const char *wl_validate(enum wl_kind kind, const char *entry,
			       struct net_match *nm)
{
	static char why[128];
	char buf[PATH_MAX + 512], *rest, *part;
	struct net_match tmp;
	size_t plen;

	if (!nm)
		nm = &tmp;
	memset(nm, 0, sizeof(*nm));
	if (strlen(entry) >= sizeof(buf))
		return "too long";
	if (strpbrk(entry, ",\n"))
		return "a comma or a newline inside an entry";
	strcpy(buf, entry);
	if (buf[0] != '/')
		return "not an absolute path (entries start with /)";
	rest = strchr(buf, '|');
	if (rest)
		*rest++ = '\0';
	plen = strlen(buf);
	if (plen >= PATH_MAX)
		return "path longer than PATH_MAX";
	if (kind == WL_EXEC) {
		if (rest && (!*rest || strlen(rest) > EXEC_PREFIX_MAX)) {
			snprintf(why, sizeof(why),
				 "argv prefix empty or longer than %d bytes",
				 EXEC_PREFIX_MAX);
			return why;
		}
		return NULL;
	}
	while (rest && (part = strsep(&rest, "|"))) {
		if (part[0] == 'i' && !nm->has_ip) {
			if (parse_ip(part + 1, &nm->family, nm->addr,
				     &nm->prefix) < 0)
				return "bad address (i<ADDRESS[/PREFIX]>)";
			nm->has_ip = 1;
		} else if (part[0] == 'p' && !nm->has_port) {
			const char *p = akl_wl_unbracket(part + 1);

			if (!p || !akl_wl_all_digits(p) || strlen(p) > 5 ||
			    atoi(p) < 1 || atoi(p) > 65535)
				return "bad port (p<1-65535>)";
			nm->port = atoi(p);
			nm->has_port = 1;
		} else {
			return "expected |i<ADDRESS[/PREFIX]> or |p<PORT>, at most one of each";
		}
	}
	return NULL;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
			 e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int conf_name(const struct dirent *d)
{
	size_t l = strlen(d->d_name);

	return d->d_name[0] != '.' && l > 5 &&
	       !strcmp(d->d_name + l - 5, ".conf");
}

/*
 * Reads every ETC/KIND-whitelist.d/NAME.conf in name order into L: one
 * entry a line; blank lines and lines starting with '#' are skipped;
 * leading and trailing blanks are not part of an entry. Refuses (-1, with
 * "FILE:LINE: why" on stderr) any malformed entry, all of them reported.
 */
static int wl_read(enum wl_kind kind, struct wl_list *l)
{
	struct dirent **names;
	char dir[PATH_MAX], path[PATH_MAX * 2];
	char *buf = NULL;
	size_t cap = 0;
	int i, n, bad = 0;

	memset(l, 0, sizeof(*l));
	snprintf(dir, sizeof(dir), "%s/%s", etc_dir, wl_dir[kind]);
	n = scandir(dir, &names, conf_name, alphasort);
	if (n < 0)
		return errno == ENOENT ? 0 : (err("%s: %m", dir), -1);
	for (i = 0; i < n; i++) {
		FILE *f;
		int line = 0;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		f = fopen(path, "re");
		if (!f) {
			err("%s: %m", path);
			bad++;
			continue;
		}
		l->files++;
		while (getline(&buf, &cap, f) >= 0) {
			const char *why;
			char *s = trim(buf);

			line++;
			if (!*s || *s == '#')
				continue;
			why = wl_validate(kind, s, NULL);
			if (why) {
				err("%s:%d: %s: '%s'", path, line, why, s);
				bad++;
				continue;
			}
			l->e = realloc(l->e, (l->n + 1) * sizeof(*l->e));
			if (!l->e)
				abort();
			l->e[l->n].text = strdup(s);
			l->e[l->n].file = strdup(path);
			l->e[l->n].line = line;
			l->n++;
		}
		fclose(f);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(buf);
	if (!bad && l->n > WL_MAX_ENTRIES) {
		err("%s: %d entries, more than the module takes (%d)", dir,
		    l->n, WL_MAX_ENTRIES);
		bad++;
	}
	if (bad) {
		err("%s: %d bad entr%s: nothing applied, the module keeps its list",
		    wl_param[kind], bad, bad == 1 ? "y" : "ies");
		wl_free(l);
		return -1;
	}
	return 0;
}

/* Writes VAL to parameter NAME in one write; retries while the module starts. */
static int param_write(const char *name, const char *val, size_t len)
{
	char path[PATH_MAX];
	int waited = 0, fd, e;
	ssize_t w;

	snprintf(path, sizeof(path), "%s/parameters/%s", mod_dir, name);
	for (;;) {
		/* O_TRUNC: sysfs ignores it, a file (tests) keeps the last write. */
		fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		w = write(fd, len ? val : "\n", len ? len : 1);
		e = errno;
		close(fd);
		if (w >= 0)
			return 0;
		if (e != EBUSY || waited >= BUSY_RETRY_MS)
			return -e;
		sleep_ms(100);
		waited += 100;
	}
}

/*
 * The module's list as a read shows it, into BUF (WRITE_MAX + 2 bytes):
 * 0 if it is the whole list, -1 if not known (a list longer than a page
 * reads as its first entries then ",...(+N more)"). Never waits: not
 * for a parameter that is not a sysfs file either.
 */
static int param_read(const char *name, char *buf, size_t size)
{
	char path[PATH_MAX];
	const char *more;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/parameters/%s", mod_dir, name);
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0 || (size_t)n >= size - 1)
		return -1;
	while (n && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	more = strstr(buf, "...(+");
	return more && (more == buf || more[-1] == ',') ? -1 : 0;
}

/* One write's worth of entries: l->e[first .. end - 1], "+" before if an append. */
struct wl_chunk {
	int first, end;
};

/*
 * Cuts L into writes of at most WRITE_MAX bytes at entry boundaries: the
 * first replaces the list, the others are "+" appends. Returns how many
 * (at least 1), or -1 (with "FILE:LINE: why") for an entry too long for
 * any write.
 */
static int wl_chunks(const struct wl_list *l, struct wl_chunk **out)
{
	struct wl_chunk *c = calloc(l->n + 1, sizeof(*c));
	size_t len = 0;
	int i, n = 0;

	if (!c)
		abort();
	for (i = 0; i < l->n; i++) {
		size_t el = strlen(l->e[i].text);

		if (el + 1 > WRITE_MAX) {
			err("%s:%d: longer than one write to the module (%d bytes): '%.40s...'",
			    l->e[i].file, l->e[i].line, WRITE_MAX - 1,
			    l->e[i].text);
			free(c);
			return -1;
		}
		/* A new chunk starts with "+"; later entries with "\n". */
		if (i > c[n].first && len + 1 + el <= WRITE_MAX) {
			len += 1 + el;
			continue;
		}
		if (i > c[n].first) {
			c[n++].end = i;
			c[n].first = i;
		}
		len = (n ? 1 : 0) + el;
	}
	c[n].end = l->n;
	*out = c;
	return n + 1;
}

/* Chunk C of L as one write's text, into BUF (WRITE_MAX + 1 bytes). */
static size_t chunk_text(const struct wl_list *l, const struct wl_chunk *c,
			 int append, char *buf)
{
	size_t len = 0;
	int i;

	if (append)
		buf[len++] = '+';
	for (i = c->first; i < c->end; i++)
		len += sprintf(buf + len, "%s%s", i > c->first ? "\n" : "",
			       l->e[i].text);
	return len;
}

/*
 * Writes L to the module: in one write if it fits, else as a replacement
 * then "+" appends. If a write after the first is refused, puts the old
 * list back when a read showed it whole. 0 or -1 (reported).
 */
static int wl_write(enum wl_kind kind, const struct wl_list *l)
{
	const char *name = wl_param[kind];
	char *buf = malloc(WRITE_MAX + 1), *old = malloc(WRITE_MAX + 2);
	struct wl_chunk *c;
	int i, n, ret = 0, old_known;

	if (!buf || !old)
		abort();
	n = wl_chunks(l, &c);
	if (n < 0) {
		err("%s: nothing applied, the module keeps its list", name);
		free(buf);
		free(old);
		return -1;
	}
	old_known = n > 1 && param_read(name, old, WRITE_MAX + 2) == 0;
	for (i = 0; i < n; i++) {
		size_t len = chunk_text(l, &c[i], i > 0, buf);
		const struct wl_entry *a, *z;

		ret = param_write(name, buf, len);
		if (!ret)
			continue;
		a = l->n ? &l->e[c[i].first] : NULL;
		z = l->n ? &l->e[c[i].end - 1] : NULL;
		if (!l->n) {
			err("%s: the module refused the empty list (%s; see dmesg): it keeps its old list",
			    name, strerror(-ret));
		} else if (a == z) {
			err("%s:%d: %s: the module refused the entry (%s; see dmesg)",
			    a->file, a->line, name, strerror(-ret));
		} else {
			err("%s: the module refused the entries from %s:%d to %s:%d (%s; see dmesg)",
			    name, a->file, a->line, z->file, z->line,
			    strerror(-ret));
		}
		if (!i) {
			if (l->n)
				err("%s: nothing applied, the module keeps its old list",
				    name);
		} else if (old_known &&
			   param_write(name, old, strlen(old)) == 0) {
			err("%s: the module's previous list is back", name);
		} else {
			err("%s: the module holds the first %d of the %d entries (its previous list %s): fix and run aklctl apply again",
			    name, c[i].first, l->n,
			    old_known ? "was refused" :
					"was longer than a read shows");
		}
		ret = -1;
		break;
	}
	free(c);
	free(buf);
	free(old);
	return ret;
}

/* Sends the files' list of KIND to the module. 0, 1 if nothing to do, -1. */
static int wl_apply(enum wl_kind kind, int quiet)
{
	struct wl_list l;
	size_t len = 0;
	int i, ret;

	if (wl_read(kind, &l) < 0)
		return -1;
	if (!l.files) {
		/* No file: the list comes from modprobe.d or sysfs, not us. */
		if (!quiet)
			printf("%s: no %s/%s/*.conf: left as it is\n",
			       wl_param[kind], etc_dir, wl_dir[kind]);
		return 1;
	}
	for (i = 0; i < l.n; i++)
		len += strlen(l.e[i].text) + (i ? 1 : 0);
	if (len > WL_SIZE_MAX) {
		err("%s: %zu bytes from %s/%s: the module takes at most %d in all; nothing applied",
		    wl_param[kind], len, etc_dir, wl_dir[kind], WL_SIZE_MAX);
		ret = -1;
	} else if (!module_loaded()) {
		if (!quiet)
			printf("%s: module not loaded: applied at its next load\n",
			       wl_param[kind]);
		ret = 1;
	} else {
		ret = wl_write(kind, &l);
		if (!ret && !quiet)
			printf("%s: %d entr%s applied\n", wl_param[kind], l.n,
			       l.n == 1 ? "y" : "ies");
	}
	wl_free(&l);
	return ret;
}

static int cmd_apply(int quiet)
{
	int a = wl_apply(WL_EXEC, quiet), b = wl_apply(WL_NET, quiet);

	return a < 0 || b < 0;
}

static int wl_list_cmd(enum wl_kind kind)
{
	struct wl_list l;
	char path[PATH_MAX], *cur;
	int i;

	if (wl_read(kind, &l) < 0)
		return 1;
	for (i = 0; i < l.n; i++)
		printf("%s\t%s:%d\n", l.e[i].text, l.e[i].file, l.e[i].line);
	if (!l.files)
		printf("# no %s/%s/*.conf\n", etc_dir, wl_dir[kind]);
	snprintf(path, sizeof(path), "%s/parameters/%s", mod_dir,
		 wl_param[kind]);
	cur = malloc(65536);
	if (cur && read_small(path, cur, 65536) == 0) {
		char *s, *save = NULL;
		int n = 0;

		for (s = strtok_r(cur, ",\n", &save); s;
		     s = strtok_r(NULL, ",\n", &save)) {
			int more;

			/* A long list reads as its first entries and this. */
			if (sscanf(s, "...(+%d more)", &more) == 1 && more > 0)
				n += more - 1;
			n++;
		}
		printf("# module: %d entr%s in force\n", n, n == 1 ? "y" : "ies");
	} else {
		printf("# module: not loaded\n");
	}
	free(cur);
	wl_free(&l);
	return 0;
}

/* Where "aklctl whitelist add" writes. */
static void local_conf(enum wl_kind kind, char *path, size_t size)
{
	snprintf(path, size, "%s/%s/local.conf", etc_dir, wl_dir[kind]);
}

static int wl_add(enum wl_kind kind, const char *entry)
{
	char path[PATH_MAX], dir[PATH_MAX];
	struct wl_list l;
	const char *why = wl_validate(kind, entry, NULL);
	FILE *f;
	int i;

	if (why) {
		err("'%s': %s", entry, why);
		return 1;
	}
	if (wl_read(kind, &l) < 0)
		return 1;
	for (i = 0; i < l.n; i++)
		if (!strcmp(l.e[i].text, entry)) {
			printf("already in %s:%d\n", l.e[i].file, l.e[i].line);
			wl_free(&l);
			return 0;
		}
	wl_free(&l);
	mkdir(etc_dir, 0755);
	snprintf(dir, sizeof(dir), "%s/%s", etc_dir, wl_dir[kind]);
	mkdir(dir, 0755);
	local_conf(kind, path, sizeof(path));
	f = fopen(path, "ae");
	if (!f || fprintf(f, "%s\n", entry) < 0 || fclose(f)) {
		err("%s: %m", path);
		return 1;
	}
	printf("added to %s\n", path);
	return wl_apply(kind, 1) < 0;
}

/* Rewrites FILE without the lines that hold ENTRY; returns how many went. */
static int drop_lines(const char *file, const char *entry)
{
	char tmp[PATH_MAX + 8], *buf = NULL;
	size_t cap = 0;
	FILE *in, *out;
	int n = 0, fd;
	struct stat st;

	in = fopen(file, "re");
	if (!in)
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", file);
	fd = mkstemp(tmp);
	out = fd < 0 ? NULL : fdopen(fd, "w");
	if (!out) {
		fclose(in);
		return -1;
	}
	if (fstat(fileno(in), &st) == 0)
		fchmod(fd, st.st_mode & 07777);
	while (getline(&buf, &cap, in) >= 0) {
		char *copy = strdup(buf);

		if (!strcmp(trim(copy), entry))
			n++;
		else
			fputs(buf, out);
		free(copy);
	}
	free(buf);
	fclose(in);
	if (fclose(out) || rename(tmp, file)) {
		unlink(tmp);
		return -1;
	}
	return n;
}

static int wl_remove(enum wl_kind kind, const char *entry)
{
	struct wl_list l;
	int i, j, n = 0;

	if (wl_read(kind, &l) < 0)
		return 1;
	for (i = 0; i < l.n; i++) {
		if (strcmp(l.e[i].text, entry))
			continue;
		/* Each file once, whatever number of lines it holds. */
		for (j = 0; j < i; j++)
			if (!strcmp(l.e[j].text, entry) &&
			    !strcmp(l.e[j].file, l.e[i].file))
				break;
		if (j < i)
			continue;
		if (drop_lines(l.e[i].file, entry) < 0) {
			err("%s: %m", l.e[i].file);
			wl_free(&l);
			return 1;
		}
		printf("removed from %s\n", l.e[i].file);
		n++;
	}
	wl_free(&l);
	if (!n) {
		err("'%s' is in no file of %s/%s", entry, etc_dir,
		    wl_dir[kind]);
		return 1;
	}
	return wl_apply(kind, 1) < 0;
}

static int net_addr_match(const struct net_match *e, const char *addr)
{
	unsigned char a[16];
	unsigned int i, bits;
	int fam = strchr(addr, ':') ? AF_INET6 : AF_INET;
	static const unsigned char mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (inet_pton(fam, addr, a) != 1)
		return 0;
	if (fam == AF_INET6 && e->family == AF_INET) {
		if (memcmp(a, mapped, 12))
			return 0;
		memmove(a, a + 12, 4);
		fam = AF_INET;
	}
	if (fam != e->family)
		return 0;
	for (i = 0, bits = e->prefix; bits; i++) {
		unsigned int b = bits >= 8 ? 8 : bits;
		unsigned char m = (unsigned char)(0xff00 >> b);

		if ((a[i] & m) != (e->addr[i] & m))
			return 0;
		bits -= b;
	}
	return 1;
}

/*
 * check exec PATH [ARG...]: the command line is the arguments joined by
 * spaces (ARG0 included, as the module sees it). check net PATH [ADDR
 * [PORT]]: the endpoint the event is about. Exit 0 (hidden, by which
 * entry) or 1 (logged).
 */
/*
 * The module's rule for an exec entry's prefix: its space-separated words
 * are the first arguments of the command line, each one whole.
 */
static int prefix_matches(const char *prefix, int argc, char **args)
{
	size_t n;
	int i;

	for (i = 0; *prefix; i++) {
		n = strcspn(prefix, " ");
		if (i >= argc || strlen(args[i]) != n || memcmp(args[i], prefix, n))
			return 0;
		prefix += n;
		if (*prefix == ' ')
			prefix++;
	}
	return 1;
}

static int wl_check(enum wl_kind kind, int argc, char **argv)
{
	struct wl_list l;
	int k;

	if (argc < 1 || argv[0][0] != '/') {
		err("check: an absolute path is needed");
		return 2;
	}
	if (wl_read(kind, &l) < 0)
		return 2;
	for (k = 0; k < l.n; k++) {
		char *e = l.e[k].text, *bar = strchr(e, '|');
		size_t pl = bar ? (size_t)(bar - e) : strlen(e);
		struct net_match nm;

		if (strlen(argv[0]) != pl || memcmp(argv[0], e, pl))
			continue;
		if (kind == WL_EXEC) {
			if (bar && !prefix_matches(bar + 1, argc - 1, argv + 1))
				continue;
		} else {
			wl_validate(kind, e, &nm);
			if (nm.has_ip && (argc < 2 || !net_addr_match(&nm, argv[1])))
				continue;
			if (nm.has_port && (argc < 3 || (unsigned int)atoi(argv[2]) != nm.port))
				continue;
		}
		printf("hidden by '%s' (%s:%d)%s\n", e, l.e[k].file,
		       l.e[k].line, kind == WL_EXEC ?
		       "; execs by uid or euid 0 are logged anyway unless exec_whitelist_root=1" : "");
		wl_free(&l);
		return 0;
	}
	printf("logged: no entry matches\n");
	wl_free(&l);
	return 1;
}

static int cmd_whitelist(int argc, char **argv)
{
	enum wl_kind kind;

	if (argc < 3)
		goto usage;
	if (!strcmp(argv[1], "exec"))
		kind = WL_EXEC;
	else if (!strcmp(argv[1], "net"))
		kind = WL_NET;
	else
		goto usage;
	if (!strcmp(argv[2], "list") && argc == 3)
		return wl_list_cmd(kind);
	if (!strcmp(argv[2], "apply") && argc == 3)
		return wl_apply(kind, 0) < 0;
	if (!strcmp(argv[2], "add") && argc == 4)
		return wl_add(kind, argv[3]);
	if (!strcmp(argv[2], "remove") && argc == 4)
		return wl_remove(kind, argv[3]);
	if (!strcmp(argv[2], "check"))
		return wl_check(kind, argc - 3, argv + 3);
usage:
	err("usage: aklctl whitelist exec|net list|apply|add ENTRY|remove ENTRY|check PATH [ARGS|ADDR PORT]");
	return 2;
}

/* --------------------------------------------------------------- status */

static void print_dir(const char *title, const char *dir)
{
	struct dirent **names;
	char path[PATH_MAX * 2], *val = malloc(65536);
	int i, n = scandir(dir, &names, NULL, alphasort);

	printf("%s:\n", title);
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir,
				 names[i]->d_name);
			if (val && read_small(path, val, 65536) == 0) {
				char *c;

				for (c = val; *c; c++)
					if (*c == '\n')
						*c = ',';
				printf("  %-20s %s\n", names[i]->d_name, val);
			} else {
				printf("  %-20s (%m)\n", names[i]->d_name);
			}
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	free(val);
}

static char line[AKL_LINE_MAX + 1];
static char decoded[AKL_LINE_MAX + 1];
static struct akl_field fields[MAX_FIELDS];

/* Load id and seq of the line in line[]: 0, or -1. */
static int line_load_seq(size_t len, char *load, size_t size, uint64_t *seq)
{
	return akl_load_seq(line, len, decoded, fields, MAX_FIELDS, load, size,
			    seq);
}

/* The last record forwarded to the journal: 0, or -1 if none. */
static int journal_last(char *load, size_t size, uint64_t *seq)
{
	sd_journal *j;
	const void *d;
	size_t l;
	int found = -1, i;

	if (sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY) < 0)
		return -1;
	sd_journal_add_match(j, "SYSLOG_IDENTIFIER=" IDENT, 0);
	sd_journal_seek_tail(j);
	for (i = 0; i < 1000 && sd_journal_previous(j) > 0; i++) {
		if (sd_journal_get_data(j, "MESSAGE", &d, &l) < 0 || l < 8 ||
		    l - 8 > AKL_LINE_MAX)
			continue;
		memcpy(line, (const char *)d + 8, l - 8);
		if (line_load_seq(l - 8, load, size, seq) == 0) {
			found = 0;
			break;
		}
	}
	sd_journal_close(j);
	return found;
}

/* "systemctl is-active" of the forwarder, or "unknown". */
static void forwarder_state(char *buf, size_t size)
{
	FILE *p = popen("systemctl is-active " SERVICE " 2>/dev/null", "re");

	snprintf(buf, size, "unknown");
	if (p) {
		if (fgets(buf, size, p))
			buf[strcspn(buf, "\n")] = '\0';
		pclose(p);
	}
}

static int cmd_status(void)
{
	char path[PATH_MAX], ver[64], jload[32], dload[32] = "", st[64];
	uint64_t jseq, dseq, next = 0;
	struct utsname u;
	int fd, have_next, have_last;

	uname(&u);
	if (!module_loaded()) {
		printf("module: not loaded (kernel %s)\n", u.release);
		err("the activity_klog module is not loaded (modprobe activity_klog)");
		return 3;
	}
	snprintf(path, sizeof(path), "%s/version", mod_dir);
	if (read_small(path, ver, sizeof(ver)) < 0)
		snprintf(ver, sizeof(ver), "unknown");
	printf("module: loaded, version %s, kernel %s\n", ver, u.release);
	snprintf(path, sizeof(path), "%s/parameters", mod_dir);
	print_dir("parameters", path);
	print_dir("counters", stats_dir);

	/* The current load id: the oldest record held names it. */
	fd = open(dev_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = read(fd, line, AKL_LINE_MAX);

		if (n <= 0 || line_load_seq(n, dload, sizeof(dload), &dseq) < 0)
			dload[0] = '\0';
		close(fd);
	}
	forwarder_state(st, sizeof(st));
	printf("forwarder: %s %s\n", SERVICE, st);
	have_last = journal_last(jload, sizeof(jload), &jseq) == 0;
	/* After the journal: the lag is then never negative. */
	snprintf(path, sizeof(path), "%s/next_seq", stats_dir);
	have_next = read_small(path, st, sizeof(st)) == 0 &&
		    akl_parse_u64(st, strlen(st), &next) == 0;
	if (!have_last) {
		printf("  journal: no record of activity_klog\n");
	} else if (dload[0] && strcmp(jload, dload)) {
		printf("  journal: last record load %s seq %" PRIu64 ", the module is load %s: nothing of this load forwarded yet\n",
		       jload, jseq, dload);
	} else {
		printf("  journal: last record load %s seq %" PRIu64 "\n",
		       jload, jseq);
		if (have_next)
			printf("  behind: %" PRIu64 " records (next seq %" PRIu64 ")\n",
			       next > jseq + 1 ? next - jseq - 1 : 0, next);
	}
	return 0;
}

/* ----------------------------------------------------------------- tail */

enum out_fmt { OUT_LINE, OUT_JSON, OUT_COMPACT };

struct filter {
	const char *type, *uid, *exec_id;
};

static int field_is(const struct akl_field *f, int n, const char *key,
		    const char *want)
{
	const struct akl_field *v = akl_find(f, n, key);

	return v && v->val_len == strlen(want) &&
	       !memcmp(v->val, want, v->val_len);
}

/* JSON string of LEN bytes: UTF-8 kept, other bytes as \u00XX. */
static void json_str(FILE *o, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	fputc('"', o);
	while (p < end) {
		unsigned char c = *p;
		int n = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 :
			(c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : -1;
		int i;

		if (c == '"' || c == '\\') {
			fprintf(o, "\\%c", c);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(o, "\\u%04x", c);
		} else if (!n) {
			fputc(c, o);
		} else {
			for (i = 1; n > 0 && i <= n; i++)
				if (p + i >= end || (p[i] & 0xc0) != 0x80)
					n = -1;
			if (n < 0 || (n == 1 && c < 0xc2)) {
				fprintf(o, "\\u%04x", c);
			} else {
				fwrite(p, 1, n + 1, o);
				p += n;
			}
		}
		p++;
	}
	fputc('"', o);
}

static void put_val(FILE *o, const struct akl_field *f, int n,
		    const char *key)
{
	const struct akl_field *v = akl_find(f, n, key);

	if (v)
		fwrite(v->val, 1, v->val_len, o);
	else
		fputc('-', o);
}

/* One short line: time, type/event, who, what. Control bytes as '?'. */
static void compact(FILE *o, const struct akl_field *f, int n)
{
	const struct akl_field *ts = akl_find(f, n, "ts");
	const struct akl_field *ty = akl_find(f, n, "type");
	const struct akl_field *v;
	char tb[32] = "-";
	time_t t;
	struct tm tm;
	size_t i;

	if (ts) {
		t = strtoll(ts->val, NULL, 10);
		if (gmtime_r(&t, &tm))
			strftime(tb, sizeof(tb), "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	fprintf(o, "%s ", tb);
	put_val(o, f, n, "type");
	if (akl_find(f, n, "event")) {
		fputc('/', o);
		put_val(o, f, n, "event");
	}
	fputs(" uid=", o);
	put_val(o, f, n, "uid");
	fputs(" pid=", o);
	put_val(o, f, n, "pid");
	fputc(' ', o);
	if (ty && ty->val_len == 4 && !memcmp(ty->val, "exec", 4)) {
		put_val(o, f, n, "result");
		fputc(' ', o);
		v = akl_find(f, n, "argv") ?: akl_find(f, n, "path");
	} else if (ty && ty->val_len == 3 && !memcmp(ty->val, "net", 3)) {
		put_val(o, f, n, "exe");
		fputc(' ', o);
		put_val(o, f, n, "laddr");
		fputc(':', o);
		put_val(o, f, n, "lport");
		if (akl_find(f, n, "raddr")) {
			fputs(" -> ", o);
			put_val(o, f, n, "raddr");
			fputc(':', o);
			put_val(o, f, n, "rport");
		}
		if (akl_find(f, n, "result")) {
			fputc(' ', o);
			put_val(o, f, n, "result");
		}
		v = NULL;
	} else {
		v = NULL;
		for (i = 0; i < (size_t)n; i++)
			if (f[i].key_len == 5 && !memcmp(f[i].key, "param", 5))
				v = &f[i];
		if (v) {
			fwrite(v->val, 1, v->val_len, o);
			fputc('=', o);
			v = akl_find(f, n, "value");
		}
	}
	for (i = 0; v && i < v->val_len; i++) {
		unsigned char c = v->val[i];

		fputc(c < 0x20 || c == 0x7f ? '?' : c, o);
	}
	fputc('\n', o);
}

/*
 * Filters and prints the record in line[0..len). With @end (>= 0: a tail
 * without -f), a record whose seq is @end or later is past the end: only
 * an overrun record is printed then, as it says what was missed.
 * Return: whether the record is past the end.
 */
static bool emit(size_t len, const struct filter *flt, enum out_fmt fmt,
		 long long end)
{
	const struct akl_field *sf;
	bool past = false;
	const char *e;
	uint64_t seq;
	int n, i, bad;

	if (len && line[len - 1] == '\n')
		len--;
	bad = akl_parse(line, len, decoded, fields, MAX_FIELDS, &n, &e) < 0;
	if (end >= 0) {
		sf = akl_find(fields, n, "seq");
		past = sf && !akl_parse_u64(sf->val, sf->val_len, &seq) &&
		       seq >= (uint64_t)end;
		if (past && (bad || !field_is(fields, n, "type", "overrun")))
			return past;
	}
	if (bad) {
		err("malformed record (%s): %.200s", e, line);
		if (flt->type || flt->uid || flt->exec_id || fmt != OUT_LINE)
			return past;
	}
	if ((flt->type && !field_is(fields, n, "type", flt->type)) ||
	    (flt->uid && !field_is(fields, n, "uid", flt->uid)) ||
	    (flt->exec_id && !field_is(fields, n, "exec_id", flt->exec_id)))
		return past;
	switch (fmt) {
	case OUT_LINE:
		fwrite(line, 1, len, stdout);
		fputc('\n', stdout);
		break;
	case OUT_JSON:
		fputc('{', stdout);
		for (i = 0; i < n; i++) {
			if (i)
				fputc(',', stdout);
			json_str(stdout, fields[i].key, fields[i].key_len);
			fputc(':', stdout);
			json_str(stdout, fields[i].val, fields[i].val_len);
		}
		fputs("}\n", stdout);
		break;
	case OUT_COMPACT:
		compact(stdout, fields, n);
		break;
	}
	fflush(stdout);
	return past;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * Without -f, the device is read up to the newest record held when tail
 * started (its SEEK_END position): records written meanwhile (even by the
 * pipe tail writes into) are not printed, so -n N prints N records at most
 * and a flood cannot keep tail running. The window starts where open()
 * put the file (the oldest record then) or N before the end, whichever is
 * newer, taken before the end: a start the ring has overwritten since
 * gives an overrun record, not a silent gap. Returns 0, or -1 (errno).
 */
static int tail_window(int fd, int follow, long last, long long *end)
{
	long long first;

	*end = -1;
	if (follow)
		return last < 0 || lseek(fd, -(off_t)last, SEEK_END) >= 0 ? 0 : -1;
	first = lseek(fd, 0, SEEK_CUR);
	*end = lseek(fd, 0, SEEK_END);
	if (first < 0 || *end < 0)
		return -1;
	if (last >= 0 && *end - last > first)
		first = *end - last;
	return lseek(fd, first, SEEK_SET) < 0 ? -1 : 0;
}

/*
 * The device gives whole records per read(); a regular file (tests, a saved
 * copy) any bytes: lines are split here either way.
 */
static int tail_device(int follow, long last, const struct filter *flt,
		       enum out_fmt fmt)
{
	static char buf[AKL_LINE_MAX * 2];
	size_t have = 0;
	int fd = open(dev_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	long long end = -1;
	struct stat st;

	if (fd < 0) {
		err("cannot open %s: %m%s", dev_path,
		    errno == ENOENT ? " (is the activity_klog module loaded?)" :
		    errno == EACCES || errno == EPERM ? " (root only)" : "");
		return 1;
	}
	fstat(fd, &st);
	if (S_ISCHR(st.st_mode) && tail_window(fd, follow, last, &end) < 0) {
		err("seek: %m");
		close(fd);
		return 1;
	}
	while (!stop) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - have - 1);
		char *s, *nl;

		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = { .fd = fd, .events = POLLIN };

			if (!follow)
				break;
			poll(&p, 1, 1000);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err("read %s: %m", dev_path);
			close(fd);
			return 1;
		}
		if (n == 0 && !S_ISCHR(st.st_mode)) {
			if (!follow)
				break;
			sleep_ms(500);
			continue;
		}
		have += n;
		for (s = buf; (nl = memchr(s, '\n', buf + have - s)); s = nl + 1) {
			memcpy(line, s, nl - s + 1);
			line[nl - s + 1] = '\0';
			if (emit(nl - s + 1, flt, fmt, end))
				goto out;
		}
		have -= s - buf;
		memmove(buf, s, have);
		if (have > AKL_LINE_MAX) {
			err("a line longer than %d bytes", AKL_LINE_MAX);
			have = 0;
		}
	}
out:
	close(fd);
	return 0;
}

static int tail_journal(int follow, long last, const struct filter *flt,
			enum out_fmt fmt)
{
	sd_journal *j;
	const void *d;
	char *end = NULL;
	size_t l;
	int r, rc = 0;

	r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
	if (r < 0) {
		err("cannot open the journal: %s", strerror(-r));
		return 1;
	}
	sd_journal_add_match(j, "SYSLOG_IDENTIFIER=" IDENT, 0);
	/*
	 * Without -f: up to the newest entry at the start, as on the device,
	 * and the last N counted back from it (the journal grows meanwhile).
	 * Fewer entries than asked for: from the first.
	 */
	sd_journal_seek_tail(j);
	if (!follow) {
		r = sd_journal_previous(j);
		if (r == 0)
			goto out;	/* no record in the journal */
		if (r > 0)
			r = sd_journal_get_cursor(j, &end);
		if (r < 0) {
			err("journal: %s", strerror(-r));
			rc = 1;
			goto out;
		}
		if (last < 0 || sd_journal_previous_skip(j, last) < last)
			sd_journal_seek_head(j);
	} else if (last < 0 || sd_journal_previous_skip(j, last + 1) < last + 1) {
		sd_journal_seek_head(j);
	}
	while (!stop) {
		if (end && sd_journal_test_cursor(j, end) > 0)
			break;
		r = sd_journal_next(j);
		if (r < 0) {
			err("journal: %s", strerror(-r));
			break;
		}
		if (r == 0) {
			if (!follow)
				break;
			sd_journal_wait(j, 1000000);
			continue;
		}
		if (sd_journal_get_data(j, "MESSAGE", &d, &l) < 0 || l < 8 ||
		    l - 8 > AKL_LINE_MAX)
			continue;
		memcpy(line, (const char *)d + 8, l - 8);
		line[l - 8] = '\0';
		emit(l - 8, flt, fmt, -1);
	}
out:
	free(end);
	sd_journal_close(j);
	return rc;
}

static int cmd_tail(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ "lines", required_argument, NULL, 'n' },
		{ "type", required_argument, NULL, 't' },
		{ "uid", required_argument, NULL, 'u' },
		{ "exec-id", required_argument, NULL, 'e' },
		{ "output", required_argument, NULL, 'o' },
		{ "journal", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct filter flt = { NULL, NULL, NULL };
	enum out_fmt fmt = OUT_LINE;
	int follow = 0, journal = 0, c;
	long last = -1;
	struct sigaction sa;

	optind = 1;
	while ((c = getopt_long(argc, argv, "fn:o:", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			follow = 1;
			break;
		case 'n':
			if (!akl_wl_all_digits(optarg) || strlen(optarg) > 9) {
				err("tail: -n takes a number of records");
				return 2;
			}
			last = atol(optarg);
			break;
		case 't':
			flt.type = optarg;
			break;
		case 'u':
			flt.uid = optarg;
			break;
		case 'e':
			flt.exec_id = optarg;
			break;
		case 'o':
			if (!strcmp(optarg, "line"))
				fmt = OUT_LINE;
			else if (!strcmp(optarg, "json"))
				fmt = OUT_JSON;
			else if (!strcmp(optarg, "compact"))
				fmt = OUT_COMPACT;
			else {
				err("tail: -o line|json|compact");
				return 2;
			}
			break;
		case 'j':
			journal = 1;
			break;
		default:
			return 2;
		}
	}
	if (optind != argc) {
		err("tail: unexpected argument '%s'", argv[optind]);
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	return journal ? tail_journal(follow, last, &flt, fmt) :
			 tail_device(follow, last, &flt, fmt);
}

/*
 * lock=1: no parameter change and no unloading until reboot. For every
 * boot, put "options activity_klog lock=1" in /etc/modprobe.d/ instead.
 */
static int cmd_lock(void)
{
	int ret;

	if (!module_loaded()) {
		err("the activity_klog module is not loaded");
		return 3;
	}
	ret = param_write("lock", "1\n", 2);
	if (ret) {
		err("lock: %s", strerror(-ret));
		return 1;
	}
	printf("locked: parameters cannot change and the module cannot be unloaded until reboot\n");
	return 0;
}

static void usage(FILE *o)
{
	fprintf(o,
		"usage: aklctl status\n"
		"       aklctl apply\n"
		"       aklctl whitelist exec|net list|apply|add ENTRY|remove ENTRY\n"
		"       aklctl whitelist exec check PATH [ARG0 ARG...]\n"
		"       aklctl whitelist net check PATH [ADDRESS [PORT]]\n"
		"       aklctl tail [-f] [-n N] [--type T] [--uid N] [--exec-id ID]\n"
		"                   [-o line|json|compact] [--journal]\n"
		"       aklctl lock\n"
		"See aklctl(8).\n");
}

int main(int argc, char **argv)
{
	const char *s;

	if ((s = getenv("AKL_MODULE_DIR")))
		mod_dir = s;
	if ((s = getenv("AKL_STATS_DIR")))
		stats_dir = s;
	if ((s = getenv("AKL_ETC_DIR")))
		etc_dir = s;
	if ((s = getenv("AKL_DEVICE")))
		dev_path = s;
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "status") && argc == 2)
		return cmd_status();
	if (!strcmp(argv[1], "apply") && argc <= 3) {
		to_journal = argc == 3 && !strcmp(argv[2], "-q");
		return cmd_apply(to_journal);
	}
	if (!strcmp(argv[1], "whitelist"))
		return cmd_whitelist(argc - 1, argv + 1);
	if (!strcmp(argv[1], "tail"))
		return cmd_tail(argc - 1, argv + 1);
	if (!strcmp(argv[1], "lock") && argc == 2)
		return cmd_lock();
	usage(stderr);
	return 2;
}
