/* test_spec.c - config.json and process.json parsing: good documents field by field, and the
 * exact message of every refusal the runtime relies on. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caps.h"
#include "spec.h"
#include "tap.h"

/* Documents are written with ' for " to stay readable; this returns a writable copy. */
static char *doc(const char *text)
{
	char *s = strdup(text);

	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	return s;
}

static struct spec S; /* large (root_buf): static, reused by every test */

static int parse(const char *text, char **buf, struct rt_err *err)
{
	*buf = doc(text);
	return spec_parse(&S, "/bundle", *buf, strlen(*buf), err);
}

static void done(char *buf)
{
	spec_free(&S);
	free(buf);
}

#define CAP(n) (1ull << (n))

/* What `runc spec` writes (runc 1.2). */
static const char runc_default[] =
    "{\n"
    "  'ociVersion': '1.2.0',\n"
    "  'process': {\n"
    "    'terminal': true,\n"
    "    'user': { 'uid': 0, 'gid': 0 },\n"
    "    'args': [ 'sh' ],\n"
    "    'env': [\n"
    "      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',\n"
    "      'TERM=xterm'\n"
    "    ],\n"
    "    'cwd': '/',\n"
    "    'capabilities': {\n"
    "      'bounding': [ 'CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE' ],\n"
    "      'effective': [ 'CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE' ],\n"
    "      'permitted': [ 'CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE' ],\n"
    "      'ambient': [ 'CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE' ]\n"
    "    },\n"
    "    'rlimits': [ { 'type': 'RLIMIT_NOFILE', 'hard': 1024, 'soft': 1024 } ],\n"
    "    'noNewPrivileges': true\n"
    "  },\n"
    "  'root': { 'path': 'rootfs', 'readonly': true },\n"
    "  'hostname': 'runc',\n"
    "  'mounts': [\n"
    "    { 'destination': '/proc', 'type': 'proc', 'source': 'proc' },\n"
    "    { 'destination': '/dev', 'type': 'tmpfs', 'source': 'tmpfs',\n"
    "      'options': [ 'nosuid', 'strictatime', 'mode=755', 'size=65536k' ] },\n"
    "    { 'destination': '/dev/pts', 'type': 'devpts', 'source': 'devpts',\n"
    "      'options': [ 'nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620',\n"
    "                   'gid=5' ] },\n"
    "    { 'destination': '/dev/shm', 'type': 'tmpfs', 'source': 'shm',\n"
    "      'options': [ 'nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k' ] },\n"
    "    { 'destination': '/dev/mqueue', 'type': 'mqueue', 'source': 'mqueue',\n"
    "      'options': [ 'nosuid', 'noexec', 'nodev' ] },\n"
    "    { 'destination': '/sys', 'type': 'sysfs', 'source': 'sysfs',\n"
    "      'options': [ 'nosuid', 'noexec', 'nodev', 'ro' ] },\n"
    "    { 'destination': '/sys/fs/cgroup', 'type': 'cgroup', 'source': 'cgroup',\n"
    "      'options': [ 'nosuid', 'noexec', 'nodev', 'relatime', 'ro' ] }\n"
    "  ],\n"
    "  'linux': {\n"
    "    'resources': { 'devices': [ { 'allow': false, 'access': 'rwm' } ] },\n"
    "    'namespaces': [ { 'type': 'pid' }, { 'type': 'network' }, { 'type': 'ipc' },\n"
    "                    { 'type': 'uts' }, { 'type': 'mount' }, { 'type': 'cgroup' } ],\n"
    "    'maskedPaths': [ '/proc/acpi', '/proc/asound', '/proc/kcore', '/proc/keys',\n"
    "      '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats',\n"
    "      '/proc/sched_debug', '/sys/firmware', '/proc/scsi',\n"
    "      '/sys/devices/virtual/powercap' ],\n"
    "    'readonlyPaths': [ '/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys',\n"
    "      '/proc/sysrq-trigger' ]\n"
    "  }\n"
    "}\n";

static void test_runc_default(void)
{
	struct rt_err err = { 0 };
	uint64_t three = CAP(29) | CAP(5) | CAP(10);
	struct spec_process *p = &S.process;
	char *buf;
	int r = parse(runc_default, &buf, &err);

	if (!is_int(r, 0, "runc default spec parses"))
		diag("%s", err.msg);
	if (r < 0)
		return free(buf);
	is_str(S.oci_version, "1.2.0", "default: ociVersion");
	ok(S.has_process && p->terminal, "default: process.terminal");
	is_int(p->nargs, 1, "default: one arg");
	is_str(p->args[0], "sh", "default: args[0]");
	ok(p->args[1] == NULL, "default: args NULL-terminated");
	is_int(p->nenv, 2, "default: two env entries");
	is_str(p->env[1], "TERM=xterm", "default: env[1]");
	ok(p->env[2] == NULL, "default: env NULL-terminated");
	is_str(p->cwd, "/", "default: cwd");
	is_int(p->user.uid, 0, "default: uid");
	is_int(p->user.umask, -1, "default: umask not set is -1");
	is_int(p->user.ngids, 0, "default: no additional gids");
	ok(p->caps_set, "default: capabilities present");
	is_int(p->caps[CAPSET_BOUNDING], three, "default: bounding set");
	is_int(p->caps[CAPSET_EFFECTIVE], three, "default: effective set");
	is_int(p->caps[CAPSET_INHERITABLE], 0, "default: inheritable set empty");
	is_int(p->caps[CAPSET_PERMITTED], three, "default: permitted set");
	is_int(p->caps[CAPSET_AMBIENT], three, "default: ambient set");
	is_int(p->nrlimits, 1, "default: one rlimit");
	is_int(p->rlimits[0].resource, RLIMIT_NOFILE, "default: RLIMIT_NOFILE");
	is_int(p->rlimits[0].soft, 1024, "default: soft 1024");
	is_int(p->rlimits[0].hard, 1024, "default: hard 1024");
	ok(p->no_new_privileges, "default: noNewPrivileges");
	ok(!p->has_oom_score_adj && !p->has_io_priority && !p->sched.set,
	   "default: no oom/io/sched");
	ok(!p->cpu_affinity_initial && !p->cpu_affinity_final, "default: no cpu affinity");
	is_int(p->seccomp_tok, -1, "default: no process seccomp");
	is_str(S.root_path, "/bundle/rootfs", "default: relative root joined with the bundle");
	ok(S.root_readonly, "default: root readonly");
	is_str(S.hostname, "runc", "default: hostname");
	ok(S.domainname == NULL, "default: no domainname");
	is_int(S.nmounts, 7, "default: seven mounts");
	is_str(S.mounts[0].destination, "/proc", "default: mounts[0].destination");
	is_str(S.mounts[0].type, "proc", "default: mounts[0].type");
	is_int(S.mounts[0].noptions, 0, "default: mounts[0] has no options");
	ok(S.mounts[0].options && !S.mounts[0].options[0], "default: absent options are {NULL}");
	is_str(S.mounts[1].options[2], "mode=755", "default: mounts[1].options[2]");
	is_int(S.mounts[2].noptions, 6, "default: devpts has six options");
	is_str(S.mounts[6].destination, "/sys/fs/cgroup", "default: last mount");
	ok(S.has_linux, "default: linux present");
	ok(S.linux.ns[NS_PID].enabled && S.linux.ns[NS_NET].enabled && S.linux.ns[NS_IPC].enabled &&
	       S.linux.ns[NS_UTS].enabled && S.linux.ns[NS_MNT].enabled &&
	       S.linux.ns[NS_CGROUP].enabled,
	   "default: six namespaces enabled");
	ok(!S.linux.ns[NS_USER].enabled && !S.linux.ns[NS_TIME].enabled,
	   "default: no user/time ns");
	ok(S.linux.ns[NS_PID].path == NULL, "default: namespaces are new (no path)");
	ok(S.linux.resources_tok > 0 && json_kind(&S.doc, S.linux.resources_tok) == JSON_OBJECT,
	   "default: resources token recorded");
	is_int(S.linux.seccomp_tok, -1, "default: no seccomp");
	is_int(S.linux.nmasked_paths, 11, "default: masked paths");
	is_str(S.linux.masked_paths[10], "/sys/devices/virtual/powercap", "default: last masked");
	ok(S.linux.masked_paths[11] == NULL, "default: masked paths NULL-terminated");
	is_int(S.linux.nreadonly_paths, 5, "default: readonly paths");
	is_int(S.linux.rootfs_propagation, 0, "default: propagation 0 (runtime default)");
	ok(!S.linux.has_personality, "default: no personality");
	is_int(S.nannotations, 0, "default: no annotations");
	for (int k = 0; k < HOOK_COUNT; k++)
		if (S.nhooks[k])
			ok(0, "default: no %s hooks", spec_hook_name(k));
	done(buf);
}

static const char maximal[] =
    "{'ociVersion':'1.2.0',"
    "'process':{'terminal':true,'consoleSize':{'height':25,'width':80},"
    " 'user':{'uid':1000,'gid':1001,'umask':18,'additionalGids':[5,6,7],'username':'x'},"
    " 'args':['/bin/app','--flag','x y'],'env':['PATH=/bin','A=b=c'],'cwd':'/work',"
    " 'capabilities':{'bounding':['CAP_CHOWN','CAP_KILL','CAP_SYS_ADMIN'],"
    "  'effective':['CAP_KILL'],'inheritable':['CAP_CHECKPOINT_RESTORE'],"
    "  'permitted':['CAP_KILL','CAP_CHOWN'],'ambient':['CAP_KILL']},"
    " 'rlimits':[{'type':'RLIMIT_NOFILE','soft':1024,'hard':4096},"
    "  {'type':'RLIMIT_CORE','soft':0,'hard':18446744073709551615}],"
    " 'noNewPrivileges':true,'oomScoreAdj':-500,"
    " 'ioPriority':{'class':'IOPRIO_CLASS_BE','priority':4},"
    " 'scheduler':{'policy':'SCHED_DEADLINE','nice':-5,'priority':0,"
    "  'flags':['SCHED_FLAG_RESET_ON_FORK','SCHED_FLAG_DL_OVERRUN'],"
    "  'runtime':1000,'deadline':2000,'period':3000},"
    " 'execCPUAffinity':{'initial':'0-3,7','final':'1'},"
    " 'apparmorProfile':'','selinuxLabel':'','x-extension':{'ignored':[1,{'a':null}]}},"
    "'root':{'path':'/srv/root','readonly':false},"
    "'hostname':'box','domainname':'example.org',"
    "'mounts':[{'destination':'/proc','type':'proc','source':'proc'},"
    " {'destination':'/data','source':'/host/data','options':['rbind','ro'],"
    "  'uidMappings':[{'containerID':0,'hostID':100000,'size':65536}],"
    "  'gidMappings':[{'containerID':0,'hostID':200000,'size':1000}]}],"
    "'hooks':{'prestart':[{'path':'/bin/pre','args':['pre','1'],'env':['X=1'],'timeout':5}],"
    " 'createRuntime':[{'path':'/bin/cr'}],"
    " 'createContainer':[{'path':'/bin/cc'},{'path':'/bin/cc2'}],"
    " 'startContainer':[{'path':'/bin/sc'}],'poststart':[{'path':'/bin/ps'}],"
    " 'poststop':[{'path':'/bin/pst','timeout':30}],'futureHook':[1]},"
    "'annotations':{'org.example.a':'1','b':'two'},"
    "'linux':{'namespaces':[{'type':'pid'},{'type':'network','path':'/var/run/netns/x'},"
    "  {'type':'mount'},{'type':'ipc'},{'type':'uts'},{'type':'user'},{'type':'cgroup'},"
    "  {'type':'time'}],"
    " 'uidMappings':[{'containerID':0,'hostID':1000,'size':1},"
    "  {'containerID':1,'hostID':100000,'size':65535}],"
    " 'gidMappings':[{'containerID':0,'hostID':1000,'size':1}],"
    " 'timeOffsets':{'monotonic':{'secs':-10,'nanosecs':5},"
    "  'boottime':{'secs':3600,'nanosecs':999999999}},"
    " 'devices':[{'type':'c','path':'/dev/fuse','major':10,'minor':229,'fileMode':438,"
    "  'uid':0,'gid':5},{'type':'p','path':'/dev/fifo'},"
    "  {'type':'b','path':'/dev/sda','major':8,'minor':0}],"
    " 'cgroupsPath':'/runt/box','resources':{'memory':{'limit':1048576}},"
    " 'seccomp':{'defaultAction':'SCMP_ACT_ALLOW'},"
    " 'sysctl':{'net.ipv4.ip_forward':'1','kernel.shm_rmid_forced':'0'},"
    " 'rootfsPropagation':'rslave','maskedPaths':['/proc/kcore'],"
    " 'readonlyPaths':['/proc/sys','/proc/bus'],'mountLabel':'',"
    " 'personality':{'domain':'LINUX32','flags':['ADDR_NO_RANDOMIZE']},"
    " 'netDevices':{},'intelRdt':null,'memoryPolicy':null}}";

static void check_max_process(const struct spec_process *p)
{
	is_int(p->console_height * 1000 + p->console_width, 25080, "max: consoleSize");
	is_int(p->user.uid, 1000, "max: uid");
	is_int(p->user.gid, 1001, "max: gid");
	is_int(p->user.umask, 022, "max: umask");
	ok(p->user.ngids == 3 && p->user.additional_gids[0] == 5 && p->user.additional_gids[2] == 7,
	   "max: additionalGids");
	ok(p->nargs == 3 && !strcmp(p->args[2], "x y") && !p->args[3], "max: args");
	ok(p->nenv == 2 && !strcmp(p->env[1], "A=b=c"), "max: env");
	is_str(p->cwd, "/work", "max: cwd");
	is_int(p->caps[CAPSET_BOUNDING], CAP(0) | CAP(5) | CAP(21), "max: bounding");
	is_int(p->caps[CAPSET_EFFECTIVE], CAP(5), "max: effective");
	is_int(p->caps[CAPSET_INHERITABLE], CAP(40), "max: inheritable (cap 40)");
	is_int(p->caps[CAPSET_PERMITTED], CAP(0) | CAP(5), "max: permitted");
	is_int(p->caps[CAPSET_AMBIENT], CAP(5), "max: ambient");
	ok(p->nrlimits == 2 && p->rlimits[0].hard == 4096 && p->rlimits[1].resource == RLIMIT_CORE,
	   "max: rlimits");
	ok(p->rlimits[1].hard == UINT64_MAX, "max: rlimit hard of 2^64-1 (unlimited)");
	ok(p->no_new_privileges, "max: noNewPrivileges");
	ok(p->has_oom_score_adj && p->oom_score_adj == -500, "max: oomScoreAdj");
	ok(p->has_io_priority && p->io_class == IOPRIO_CLASS_BE && p->io_priority == 4,
	   "max: ioPriority");
	ok(p->sched.set && p->sched.policy == SCHED_DEADLINE && p->sched.nice == -5,
	   "max: scheduler policy and nice");
	is_int(p->sched.flags, 0x01 | 0x04, "max: scheduler flags");
	ok(p->sched.runtime == 1000 && p->sched.deadline == 2000 && p->sched.period == 3000,
	   "max: scheduler runtime/deadline/period");
	is_str(p->cpu_affinity_initial, "0-3,7", "max: execCPUAffinity.initial");
	is_str(p->cpu_affinity_final, "1", "max: execCPUAffinity.final");
	is_str(p->apparmor_profile, "", "max: empty apparmorProfile accepted");
}

static void check_max_top(void)
{
	const struct spec_mount *m = &S.mounts[1];
	const struct spec_hook *h = S.hooks[HOOK_PRESTART];

	is_str(S.root_path, "/srv/root", "max: absolute root kept");
	ok(!S.root_readonly, "max: root not readonly");
	is_str(S.domainname, "example.org", "max: domainname");
	ok(S.nmounts == 2 && m->noptions == 2 && !strcmp(m->options[1], "ro"), "max: mounts");
	ok(S.mounts[0].nuid_mappings == 0 && !S.mounts[0].uid_mappings, "max: mount without idmap");
	ok(m->nuid_mappings == 1 && m->uid_mappings[0].host_id == 100000 &&
	       m->uid_mappings[0].size == 65536,
	   "max: mount uidMappings");
	ok(m->ngid_mappings == 1 && m->gid_mappings[0].host_id == 200000, "max: mount gidMappings");
	ok(S.nhooks[HOOK_PRESTART] == 1 && !strcmp(h->path, "/bin/pre") && h->timeout == 5,
	   "max: prestart hook");
	ok(!strcmp(h->args[1], "1") && !h->args[2] && !strcmp(h->env[0], "X=1") && !h->env[1],
	   "max: hook args and env");
	is_int(S.nhooks[HOOK_CREATE_CONTAINER], 2, "max: two createContainer hooks");
	is_str(S.hooks[HOOK_CREATE_CONTAINER][1].path, "/bin/cc2", "max: createContainer[1]");
	ok(S.hooks[HOOK_CREATE_RUNTIME][0].args[0] == NULL &&
	       S.hooks[HOOK_CREATE_RUNTIME][0].timeout == 0,
	   "max: hook without args/timeout");
	ok(S.nhooks[HOOK_START_CONTAINER] == 1 && S.nhooks[HOOK_POSTSTART] == 1 &&
	       S.hooks[HOOK_POSTSTOP][0].timeout == 30,
	   "max: startContainer, poststart, poststop");
	is_str(spec_annotation(&S, "org.example.a"), "1", "max: annotation");
	is_str(spec_annotation(&S, "b"), "two", "max: second annotation");
	ok(spec_annotation(&S, "c") == NULL, "max: missing annotation is NULL");
}

static void check_max_linux(void)
{
	const struct spec_linux *l = &S.linux;
	int all = 1;

	for (int t = 0; t < NS_COUNT; t++)
		all &= l->ns[t].enabled;
	ok(all, "max: all eight namespaces");
	is_str(l->ns[NS_NET].path, "/var/run/netns/x", "max: namespace path");
	ok(l->nuid_mappings == 2 && l->uid_mappings[1].container_id == 1 &&
	       l->uid_mappings[1].host_id == 100000 && l->uid_mappings[1].size == 65535,
	   "max: uidMappings");
	is_int(l->ngid_mappings, 1, "max: gidMappings");
	ok(l->monotonic.set && l->monotonic.secs == -10 && l->monotonic.nanosecs == 5,
	   "max: monotonic offset");
	ok(l->boottime.set && l->boottime.secs == 3600 && l->boottime.nanosecs == 999999999,
	   "max: boottime offset");
	ok(l->ndevices == 3 && l->devices[0].type == 'c' && l->devices[0].major == 10 &&
	       l->devices[0].minor == 229,
	   "max: char device");
	ok(l->devices[0].has_file_mode && l->devices[0].file_mode == 0666 &&
	       l->devices[0].has_gid && l->devices[0].gid == 5,
	   "max: device mode and gid");
	ok(l->devices[1].type == 'p' && l->devices[1].major == 0 && !l->devices[1].has_uid,
	   "max: fifo without numbers");
	ok(l->devices[2].type == 'b' && l->devices[2].minor == 0, "max: block device minor 0");
	is_str(l->cgroups_path, "/runt/box", "max: cgroupsPath");
	ok(json_find(&S.doc, l->resources_tok, "memory") > 0, "max: resources token");
	ok(json_find(&S.doc, l->seccomp_tok, "defaultAction") > 0, "max: seccomp token");
	ok(l->nsysctl == 2 && !strcmp(l->sysctl[0].key, "net.ipv4.ip_forward") &&
	       !strcmp(l->sysctl[1].value, "0"),
	   "max: sysctl");
	is_int(l->rootfs_propagation, MS_SLAVE | MS_REC, "max: rslave");
	ok(l->nmasked_paths == 1 && l->nreadonly_paths == 2, "max: masked/readonly paths");
	ok(l->has_personality, "max: personality present");
	is_int(l->personality, PER_LINUX32 | ADDR_NO_RANDOMIZE, "max: personality value");
}

static void test_maximal(void)
{
	struct rt_err err = { 0 };
	char *buf;
	int r = parse(maximal, &buf, &err);

	if (!is_int(r, 0, "maximal document parses"))
		diag("%s", err.msg);
	if (r < 0)
		return free(buf);
	check_max_process(&S.process);
	check_max_top();
	check_max_linux();
	done(buf);
}

#define VER	 "'ociVersion':'1.2.0'"
#define ROOT	 "'root':{'path':'/r'}"
#define BASE	 VER ",'process':{'args':['sh']}," ROOT
#define DOC(x)	 "{" BASE "," x "}"
#define PROC(x)	 "{" VER "," ROOT ",'process':{'args':['sh']," x "}}"
#define LINUX(x) "{" BASE ",'linux':{" x "}}"
#define NSLIST	 "'namespaces':[{'type':'user'},{'type':'uts'}]"

static const struct {
	const char *desc, *json, *msg;
} bad[] = {
	{ "broken JSON", "{'ociVersion':", "config.json: invalid JSON: unexpected end of input" },
	{ "broken JSON (missing colon)", "{'ociVersion' 1}",
	  "config.json: invalid JSON: unexpected character at byte 14" },
	{ "invalid escape", "{'ociVersion':'1.\\q'}", "config.json: invalid JSON" },
	{ "top-level array", "['a']", "config.json: expected a JSON object at the top level" },
	{ "missing process", "{" VER "," ROOT "}", "config.json: .process: required" },
	{ "process not an object", "{" VER "," ROOT ",'process':'sh'}",
	  "config.json: .process: expected object, got string" },
	{ "missing args", "{" VER "," ROOT ",'process':{'cwd':'/'}}",
	  "config.json: .process.args: required" },
	{ "empty args", "{" VER "," ROOT ",'process':{'args':[]}}",
	  "config.json: .process.args: must not be empty" },
	{ "empty args[0]", "{" VER "," ROOT ",'process':{'args':['']}}",
	  "config.json: .process.args[0]: must not be empty" },
	{ "arg not a string", "{" VER "," ROOT ",'process':{'args':['sh',1]}}",
	  "config.json: .process.args[1]: expected string, got number" },
	{ "missing ociVersion", "{'process':{'args':['sh']}," ROOT "}",
	  "config.json: .ociVersion: required" },
	{ "ociVersion a number", "{'ociVersion':1,'process':{'args':['sh']}," ROOT "}",
	  "config.json: .ociVersion: expected string, got number" },
	{ "duplicate key", "{" BASE "," VER "}", "config.json: .ociVersion: duplicate key" },
	{ "\\u0000 in a string", "{'ociVersion':'1\\u0000','process':{'args':['sh']}," ROOT "}",
	  "config.json: .ociVersion: invalid string escape or NUL character" },
	{ "lone surrogate", "{'ociVersion':'\\ud800','process':{'args':['sh']}," ROOT "}",
	  "config.json: .ociVersion: invalid string escape or NUL character" },
	{ "missing root", "{" VER ",'process':{'args':['sh']}}", "config.json: .root: required" },
	{ "missing root.path", "{" VER ",'process':{'args':['sh']},'root':{'readonly':true}}",
	  "config.json: .root.path: required" },
	{ "empty root.path", "{" VER ",'process':{'args':['sh']},'root':{'path':''}}",
	  "config.json: .root.path: must not be empty" },
	{ "root.readonly a string",
	  "{" VER ",'process':{'args':['sh']},'root':{'path':'/r','readonly':'yes'}}",
	  "config.json: .root.readonly: expected boolean, got string" },
	{ "relative mount destination",
	  DOC("'mounts':[{'destination':'/a'},{'destination':'/b'},{'destination':'/c'},"
	      "{'destination':'d'}]"),
	  "config.json: .mounts[3].destination: must be absolute" },
	{ "mount without destination", DOC("'mounts':[{'type':'tmpfs'}]"),
	  "config.json: .mounts[0].destination: required" },
	{ "mounts not an array", DOC("'mounts':{}"),
	  "config.json: .mounts: expected array, got object" },
	{ "mount option a number", DOC("'mounts':[{'destination':'/a','options':['ro',7]}]"),
	  "config.json: .mounts[0].options[1]: expected string, got number" },
	{ "mount uidMappings without gidMappings",
	  DOC("'mounts':[{'destination':'/"
	      "a','uidMappings':[{'containerID':0,'hostID':1,'size':1}]}]"),
	  "config.json: .mounts[0].gidMappings: required with uidMappings" },
	{ "mount idmap without size",
	  DOC("'mounts':[{'destination':'/a','uidMappings':[{'containerID':0,'hostID':1}]}]"),
	  "config.json: .mounts[0].uidMappings[0].size: required" },
	{ "unknown namespace", LINUX("'namespaces':[{'type':'pid'},{'type':'uts'},{'type':'foo'}]"),
	  "config.json: .linux.namespaces[2].type: unknown namespace \"foo\"" },
	{ "namespace type a number", LINUX("'namespaces':[{'type':'pid'},{'type':2}]"),
	  "config.json: .linux.namespaces[1].type: expected string, got number" },
	{ "namespace without type", LINUX("'namespaces':[{'path':'/proc/1/ns/pid'}]"),
	  "config.json: .linux.namespaces[0].type: required" },
	{ "duplicate namespace", LINUX("'namespaces':[{'type':'pid'},{'type':'pid'}]"),
	  "config.json: .linux.namespaces[1].type: duplicate namespace \"pid\"" },
	{ "relative namespace path", LINUX("'namespaces':[{'type':'network','path':'ns/net'}]"),
	  "config.json: .linux.namespaces[0].path: must be absolute" },
	{ "kernel.hostname contradicting hostname",
	  "{" BASE ",'hostname':'a','linux':{" NSLIST ",'sysctl':{'kernel.hostname':'b'}}}",
	  "config.json: .linux.sysctl: sysctl \"kernel.hostname\" contradicts .hostname \"a\"" },
	{ "kernel.domainname contradicting domainname",
	  "{" BASE ",'domainname':'a','linux':{" NSLIST ",'sysctl':{'kernel.domainname':''}}}",
	  "config.json: .linux.sysctl: sysctl \"kernel.domainname\" contradicts .domainname "
	  "\"a\"" },
	{ "unknown rlimit", PROC("'rlimits':[{'type':'RLIMIT_FOO','soft':1,'hard':1}]"),
	  "config.json: .process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\"" },
	{ "duplicate rlimit",
	  PROC("'rlimits':[{'type':'RLIMIT_NOFILE','soft':1,'hard':1},"
	       "{'type':'RLIMIT_NOFILE','soft':2,'hard':2}]"),
	  "config.json: .process.rlimits[1].type: duplicate rlimit \"RLIMIT_NOFILE\"" },
	{ "rlimit without hard", PROC("'rlimits':[{'type':'RLIMIT_CORE','soft':1}]"),
	  "config.json: .process.rlimits[0].hard: required" },
	{ "rlimit soft above hard", PROC("'rlimits':[{'type':'RLIMIT_CORE','soft':2,'hard':1}]"),
	  "config.json: .process.rlimits[0]: soft limit 2 exceeds hard limit 1" },
	{ "rlimit soft negative", PROC("'rlimits':[{'type':'RLIMIT_CORE','soft':-1,'hard':1}]"),
	  "config.json: .process.rlimits[0].soft: must not be negative, got -1" },
	{ "number where a string is wanted", PROC("'cwd':5"),
	  "config.json: .process.cwd: expected string, got number" },
	{ "string where a number is wanted", PROC("'user':{'uid':'0'}"),
	  "config.json: .process.user.uid: expected number, got string" },
	{ "float uid", PROC("'user':{'uid':1.5}"),
	  "config.json: .process.user.uid: expected an integer, got 1.5" },
	{ "uid above 32 bits", PROC("'user':{'uid':4294967296}"),
	  "config.json: .process.user.uid: 4294967296 does not fit in 32 bits" },
	{ "umask above 0777", PROC("'user':{'umask':512}"),
	  "config.json: .process.user.umask: 512 is out of range [0, 511]" },
	{ "additionalGids negative", PROC("'user':{'additionalGids':[1,-2]}"),
	  "config.json: .process.user.additionalGids[1]: must not be negative, got -2" },
	{ "terminal a string", PROC("'terminal':'true'"),
	  "config.json: .process.terminal: expected boolean, got string" },
	{ "oomScoreAdj above 1000", PROC("'oomScoreAdj':1001"),
	  "config.json: .process.oomScoreAdj: 1001 is out of range [-1000, 1000]" },
	{ "oomScoreAdj below -1000", PROC("'oomScoreAdj':-1001"),
	  "config.json: .process.oomScoreAdj: -1001 is out of range [-1000, 1000]" },
	{ "relative cwd", PROC("'cwd':'work'"), "config.json: .process.cwd: must be absolute" },
	{ "env without =", PROC("'env':['A=1','FOO']"),
	  "config.json: .process.env[1]: must be KEY=VALUE, got \"FOO\"" },
	{ "env with an empty name", PROC("'env':['=x']"),
	  "config.json: .process.env[0]: must be KEY=VALUE, got \"=x\"" },
	{ "unknown I/O class", PROC("'ioPriority':{'class':'IOPRIO_CLASS_NONE','priority':0}"),
	  "config.json: .process.ioPriority.class: unknown I/O priority class "
	  "\"IOPRIO_CLASS_NONE\"" },
	{ "I/O priority 8", PROC("'ioPriority':{'class':'IOPRIO_CLASS_RT','priority':8}"),
	  "config.json: .process.ioPriority.priority: 8 is out of range [0, 7]" },
	{ "scheduler without policy", PROC("'scheduler':{'nice':1}"),
	  "config.json: .process.scheduler.policy: required" },
	{ "unknown scheduler policy", PROC("'scheduler':{'policy':'SCHED_FAST'}"),
	  "config.json: .process.scheduler.policy: unknown scheduler policy \"SCHED_FAST\"" },
	{ "unknown scheduler flag", PROC("'scheduler':{'policy':'SCHED_RR','flags':['X']}"),
	  "config.json: .process.scheduler.flags[0]: unknown scheduler flag \"X\"" },
	{ "nice 20", PROC("'scheduler':{'policy':'SCHED_OTHER','nice':20}"),
	  "config.json: .process.scheduler.nice: 20 is out of range [-20, 19]" },
	{ "bad cpu list", PROC("'execCPUAffinity':{'initial':'0-'}"),
	  "config.json: .process.execCPUAffinity.initial: invalid cpu list \"0-\"" },
	{ "descending cpu range", PROC("'execCPUAffinity':{'final':'1,3-2'}"),
	  "config.json: .process.execCPUAffinity.final: invalid cpu list \"1,3-2\"" },
	{ "apparmorProfile not a string", PROC("'apparmorProfile':1"),
	  "config.json: .process.apparmorProfile: expected string, got number" },
	{ "mountLabel not a string", LINUX("'mountLabel':true"),
	  "config.json: .linux.mountLabel: expected string, got boolean" },
	{ "intelRdt refused", LINUX("'intelRdt':{'closID':'x'}"),
	  "config.json: .linux.intelRdt: Intel RDT is not supported by runt" },
	{ "memoryPolicy refused", LINUX("'memoryPolicy':{'mode':'MPOL_BIND','nodes':'0'}"),
	  "config.json: .linux.memoryPolicy: NUMA memory policy is not supported by runt" },
	{ "netDevices refused", LINUX("'netDevices':{'eth1':{'name':'eth0'}}"),
	  "config.json: .linux.netDevices: moving network devices is not supported by runt" },
	{ "uidMappings without a user namespace",
	  LINUX("'uidMappings':[{'containerID':0,'hostID':1000,'size':1}]"),
	  "config.json: .linux.uidMappings: requires a user namespace in .linux.namespaces" },
	{ "gidMappings without a user namespace",
	  LINUX("'namespaces':[{'type':'pid'}],'gidMappings':[{'containerID':0,'hostID':1,'size':1}"
		"]"),
	  "config.json: .linux.gidMappings: requires a user namespace in .linux.namespaces" },
	{ "mappings with a joined user namespace",
	  LINUX("'namespaces':[{'type':'user','path':'/proc/1/ns/user'}],"
		"'uidMappings':[{'containerID':0,'hostID':1000,'size':1}]"),
	  "config.json: .linux.uidMappings: cannot be applied when joining an existing user "
	  "namespace" },
	{ "timeOffsets without a time namespace",
	  LINUX("'timeOffsets':{'boottime':{'secs':1,'nanosecs':0}}"),
	  "config.json: .linux.timeOffsets: requires a new time namespace in .linux.namespaces" },
	{ "nanosecs too large",
	  LINUX("'timeOffsets':{'monotonic':{'secs':1,'nanosecs':1000000000}}"),
	  "config.json: .linux.timeOffsets.monotonic.nanosecs: must be below 1000000000" },
	{ "ipc sysctl without an ipc namespace",
	  LINUX("'namespaces':[{'type':'network'}],'sysctl':{'kernel.msgmax':'4000'}"),
	  "config.json: .linux.sysctl: sysctl \"kernel.msgmax\" needs a private ipc namespace" },
	{ "net sysctl without a network namespace", LINUX("'sysctl':{'net.ipv4.ip_forward':'1'}"),
	  "config.json: .linux.sysctl: sysctl \"net.ipv4.ip_forward\" needs a private network "
	  "namespace" },
	{ "sysctl of no namespace",
	  LINUX("'namespaces':[{'type':'ipc'}],'sysctl':{'vm.swappiness':'1'}"),
	  "config.json: .linux.sysctl: sysctl \"vm.swappiness\" is not in a separate kernel "
	  "namespace" },
	{ "hostname without a uts namespace", "{" BASE ",'hostname':'h'}",
	  "config.json: .hostname: unable to set hostname without a private UTS namespace" },
	{ "domainname without a uts namespace",
	  "{" BASE ",'domainname':'d','linux':{'namespaces':[{'type':'pid'}]}}",
	  "config.json: .domainname: unable to set domainname without a private UTS namespace" },
	{ "unknown device type", LINUX("'devices':[{'type':'x','path':'/dev/x'}]"),
	  "config.json: .linux.devices[0].type: unknown device type \"x\" (expected c, b, u or "
	  "p)" },
	{ "device without major",
	  LINUX("'devices':[{'type':'p','path':'/dev/p'},{'type':'c','path':'/dev/c','minor':1}]"),
	  "config.json: .linux.devices[1].major: required for type \"c\"" },
	{ "device without minor", LINUX("'devices':[{'type':'b','path':'/dev/b','major':1}]"),
	  "config.json: .linux.devices[0].minor: required for type \"b\"" },
	{ "relative device path", LINUX("'devices':[{'type':'p','path':'dev/p'}]"),
	  "config.json: .linux.devices[0].path: must be absolute" },
	{ "sysctl traversal", LINUX("'sysctl':{'net.ipv4.ip_forward':'1','../../x':'1'}"),
	  "config.json: .linux.sysctl[\"../../x\"]: invalid sysctl name \"../../x\"" },
	{ "sysctl with a slash", LINUX("'sysctl':{'kernel/../../etc/x':'1'}"),
	  "config.json: .linux.sysctl[\"kernel/../../etc/x\"]: invalid sysctl name "
	  "\"kernel/../../etc/x\"" },
	{ "sysctl value a number", LINUX("'sysctl':{'kernel.msgmax':8192}"),
	  "config.json: .linux.sysctl[\"kernel.msgmax\"]: expected string, got number" },
	{ "unknown rootfsPropagation", LINUX("'rootfsPropagation':'rwhatever'"),
	  "config.json: .linux.rootfsPropagation: unknown propagation \"rwhatever\"" },
	{ "relative masked path", LINUX("'maskedPaths':['/proc/kcore','proc/keys']"),
	  "config.json: .linux.maskedPaths[1]: must be absolute" },
	{ "unknown personality domain", LINUX("'personality':{'domain':'BSD'}"),
	  "config.json: .linux.personality.domain: unknown personality domain \"BSD\"" },
	{ "personality without domain", LINUX("'personality':{'flags':[]}"),
	  "config.json: .linux.personality.domain: required" },
	{ "relative hook path", DOC("'hooks':{'prestart':[{'path':'/bin/a'},{'path':'hook'}]}"),
	  "config.json: .hooks.prestart[1].path: must be absolute" },
	{ "hook without path", DOC("'hooks':{'poststop':[{'args':['x']}]}"),
	  "config.json: .hooks.poststop[0].path: required" },
	{ "hook timeout 0", DOC("'hooks':{'createRuntime':[{'path':'/h','timeout':0}]}"),
	  "config.json: .hooks.createRuntime[0].timeout: 0 is out of range [1, 31536000]" },
	{ "hook env without =", DOC("'hooks':{'poststart':[{'path':'/h','env':['X']}]}"),
	  "config.json: .hooks.poststart[0].env[0]: must be KEY=VALUE, got \"X\"" },
	{ "annotation value a number", DOC("'annotations':{'a':'1','b':2}"),
	  "config.json: .annotations[\"b\"]: expected string, got number" },
	{ "linux not an object", DOC("'linux':[]"),
	  "config.json: .linux: expected object, got array" },
};

static void test_bad(void)
{
	int wrong_code = 0;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct rt_err err = { 0 };
		char *buf;
		int r = parse(bad[i].json, &buf, &err);

		if (r == 0)
			spec_free(&S);
		is_str(r < 0 ? err.msg : "(accepted)", bad[i].msg, "refused: %s", bad[i].desc);
		wrong_code += r != -EINVAL || err.code != EINVAL;
		free(buf);
	}
	is_int(wrong_code, 0, "every refusal returns -EINVAL");
}

static void expect_ok(const char *json, const char *desc)
{
	struct rt_err err = { 0 };
	char *buf;

	if (!is_int(parse(json, &buf, &err), 0, "accepted: %s", desc))
		diag("%s", err.msg);
	else
		spec_free(&S);
	free(buf);
}

/* issue 18: the labels are parsed; whether the host can apply them is lsm_check's call */
static void test_labels(void)
{
	struct rt_err err = { 0 };
	char *buf;

	if (is_int(
		parse("{" VER "," ROOT ",'process':{'args':['sh'],'apparmorProfile':'aa-1',"
		      "'selinuxLabel':'u:r:t:s0'},'linux':{'mountLabel':'u:object_r:f:s0:c1,c2'}}",
		      &buf, &err),
		0, "labels accepted")) {
		is_str(S.process.apparmor_profile, "aa-1", "apparmorProfile parsed");
		is_str(S.process.selinux_label, "u:r:t:s0", "selinuxLabel parsed");
		is_str(S.linux.mount_label, "u:object_r:f:s0:c1,c2", "mountLabel parsed");
		spec_free(&S);
	} else {
		diag("%s", err.msg);
	}
	free(buf);
}

static void test_accepted(void)
{
	expect_ok(LINUX("'netDevices':{}"), "empty netDevices");
	expect_ok(PROC("'apparmorProfile':'','selinuxLabel':''"), "empty apparmor/selinux");
	expect_ok(LINUX("'mountLabel':''"), "empty mountLabel");
	test_labels();
	expect_ok("{" BASE ",'hostname':''}", "empty hostname without uts namespace");
	expect_ok(LINUX(NSLIST ",'uidMappings':[{'containerID':0,'hostID':1,'size':1}]"),
		  "mappings with a user namespace");
	expect_ok(LINUX("'namespaces':[{'type':'time'}],'timeOffsets':{'monotonic':{'secs':1}}"),
		  "timeOffsets with a time namespace");
	expect_ok(
	    LINUX(
		"'namespaces':[{'type':'network'}],'sysctl':{'net.ipv4.conf.all.forwarding':'1'}"),
	    "dotted sysctl in a private network namespace");
	expect_ok(LINUX("'namespaces':[{'type':'ipc'}],'sysctl':{'kernel.msgmax':'4096','fs.mqueue."
			"msg_max':'9'}"),
		  "ipc sysctls in a private ipc namespace");
	expect_ok("{" BASE ",'hostname':'a','linux':{" NSLIST ",'sysctl':{'kernel.hostname':'a',"
		  "'kernel.domainname':'d'}}}",
		  "kernel.hostname equal to hostname, kernel.domainname without domainname");
	expect_ok(DOC("'x-unknown':{'nested':[1,2,{'a':true}]},'linux':{'x-future':1}"),
		  "unknown keys ignored");
	expect_ok(PROC("'execCPUAffinity':{'initial':''}"), "empty cpu list means unset");
}

static void test_nulls_and_escapes(void)
{
	struct rt_err err = { 0 };
	char *buf;
	int r = parse("{" VER ",'hostname':null,'process':{'ar\\u0067s':['a\\tb\\u00e9'],"
		      "'cwd':null}," ROOT ",'linux':{'resources':null,'seccomp':null}}",
		      &buf, &err);

	if (!is_int(r, 0, "nulls and escaped keys parse"))
		diag("%s", err.msg);
	if (r < 0)
		return free(buf);
	ok(S.hostname == NULL, "null hostname is absent");
	is_str(S.process.cwd, "/", "null cwd keeps the default /");
	is_int(S.linux.resources_tok, -1, "null resources is -1");
	is_int(S.linux.seccomp_tok, -1, "null seccomp is -1");
	is_str(S.process.args[0], "a\tb\xc3\xa9", "escaped key found, value unescaped");
	done(buf);
}

static void test_relative_root(void)
{
	struct rt_err err = { 0 };
	char *buf = doc("{" VER ",'process':{'args':['sh']},'root':{'path':'rootfs/sub'}}");
	int r = spec_parse(&S, "/var/lib/b", buf, strlen(buf), &err);

	is_int(r, 0, "relative root parses");
	is_str(r == 0 ? S.root_path : err.msg, "/var/lib/b/rootfs/sub", "root joined with bundle");
	if (r == 0)
		spec_free(&S);
	free(buf);
	/* the first parse unescaped the buffer in place: a document is parsed once */
	buf = doc("{" VER ",'process':{'args':['sh']},'root':{'path':'rootfs/sub'}}");
	r = spec_parse(&S, NULL, buf, strlen(buf), &err);
	is_str(r < 0 ? err.msg : "(accepted)",
	       "config.json: .root.path: relative path \"rootfs/sub\" needs a bundle directory",
	       "relative root without a bundle refused");
	free(buf);
}

static void test_process_doc(void)
{
	struct rt_err err = { 0 };
	char *buf = doc("{'args':['ls','-l'],'cwd':'/tmp','env':['A=1'],'terminal':true,"
			"'user':{'uid':5,'gid':6},'capabilities':{'bounding':['CAP_KILL']}}");
	int r = spec_parse_process_doc(&S, buf, strlen(buf), "process.json", &err);

	if (!is_int(r, 0, "process doc parses"))
		diag("%s", err.msg);
	ok(r == 0 && S.has_process && S.process.nargs == 2 && !strcmp(S.process.args[1], "-l"),
	   "process doc: args");
	ok(r == 0 && S.process.user.uid == 5 && S.process.terminal && S.process.user.umask == -1,
	   "process doc: user, terminal, umask default");
	ok(r == 0 && S.process.caps_set && S.process.caps[CAPSET_BOUNDING] == CAP(5),
	   "process doc: capabilities");
	if (r == 0)
		spec_free(&S);
	free(buf);
	/* a newer engine's names (or a typo) are warned about and left out, as runc does */
	buf = doc("{'args':['ls'],'capabilities':{'bounding':['CAP_KILL','CAP_FUTURE','cap_chown'],"
		  "'effective':['CAP_NOPE']}}");
	r = spec_parse_process_doc(&S, buf, strlen(buf), "process.json", &err);
	ok(r == 0 && S.process.caps[CAPSET_BOUNDING] == CAP(5) && !S.process.caps[CAPSET_EFFECTIVE],
	   "process doc: unknown capabilities are left out, the known one kept");
	if (r == 0)
		spec_free(&S);
	free(buf);
	buf = doc("{'args':[]}");
	r = spec_parse_process_doc(&S, buf, strlen(buf), "process.json", &err);
	is_str(r < 0 ? err.msg : "(accepted)", "process.json: .args: must not be empty",
	       "process doc: empty args refused");
	free(buf);
	buf = doc("{'cwd':'/'}");
	r = spec_parse_process_doc(&S, buf, strlen(buf), "process.json", &err);
	is_str(r < 0 ? err.msg : "(accepted)", "process.json: .args: required",
	       "process doc: missing args refused");
	free(buf);
	buf = doc("{'args':['sh'],'apparmorProfile':'p','selinuxLabel':'l'}");
	r = spec_parse_process_doc(&S, buf, strlen(buf), "process.json", &err);
	is_str(r < 0 ? err.msg : S.process.apparmor_profile, "p", "process doc: apparmorProfile");
	is_str(r < 0 ? err.msg : S.process.selinux_label, "l", "process doc: selinuxLabel");
	if (r == 0)
		spec_free(&S);
	free(buf);
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n = fd < 0 ? -1 : write(fd, text, strlen(text));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static void test_load(void)
{
	char dir[] = "/tmp/runt-spec-XXXXXX", path[64], want[96];
	struct rt_err err = { 0 };
	char *text = doc(runc_default);
	int r;

	ok(mkdtemp(dir) != NULL, "temporary bundle created");
	snprintf(path, sizeof(path), "%s/config.json", dir);
	ok(write_file(path, text) == 0, "config.json written");
	r = spec_load(&S, dir, &err);
	if (!is_int(r, 0, "spec_load reads the bundle"))
		diag("%s", err.msg);
	snprintf(want, sizeof(want), "%s/rootfs", dir);
	is_str(r == 0 ? S.root_path : NULL, want, "spec_load: root joined with the bundle");
	ok(r == 0 && S.doc_owned, "spec_load: the spec owns its buffer");
	if (r == 0)
		spec_free(&S);
	write_file(path, "{\"ociVersion\":\"1.2.0\"}");
	is_str(spec_load(&S, dir, &err) < 0 ? err.msg : "(accepted)",
	       "config.json: .process: required", "spec_load: parse errors pass through");
	unlink(path);
	snprintf(want, sizeof(want), "open %s/config.json: No such file or directory", dir);
	is_str(spec_load(&S, dir, &err) < 0 ? err.msg : "(accepted)", want,
	       "spec_load: missing config.json");
	is_int(err.code, ENOENT, "spec_load: ENOENT kept");
	mkdir(path, 0755);
	snprintf(want, sizeof(want),
		 "open %s/config.json: not a regular file of at most 8388608 bytes", dir);
	is_str(spec_load(&S, dir, &err) < 0 ? err.msg : "(accepted)", want,
	       "spec_load: config.json a directory");
	rmdir(path);
	rmdir(dir);
	free(text);
}

/* The arena is sized from the token count: many small elements must still fit. */
static void test_many_mounts(void)
{
	enum { N = 3000 };
	size_t cap = N * 32 + 256, len;
	char *buf = malloc(cap);
	struct rt_err err = { 0 };
	int r;

	len = snprintf(buf, cap,
		       "{\"ociVersion\":\"1\",\"process\":{\"args\":[\"a\"]},"
		       "\"root\":{\"path\":\"/\"},\"mounts\":[");
	for (int i = 0; i < N; i++)
		len += snprintf(buf + len, cap - len, "%s{\"destination\":\"/m\"}", i ? "," : "");
	len += snprintf(buf + len, cap - len, "]}");
	r = spec_parse(&S, "/b", buf, len, &err);
	if (!is_int(r, 0, "%d mounts fit in the arena", N))
		diag("%s", err.msg);
	ok(r == 0 && S.nmounts == N && S.mounts[N - 1].options[0] == NULL, "last mount filled");
	if (r == 0)
		spec_free(&S);
	free(buf);
}

static void test_arena(void)
{
	char mem[64];
	struct arena a = { mem, 0, sizeof(mem) };
	char *p1 = arena_alloc(&a, 3), *p2 = arena_alloc(&a, 8);

	ok(p1 == mem, "arena: first allocation at the start");
	ok(p2 && (p2 - mem) % 16 == 0 && p2 > p1, "arena: next allocation aligned");
	ok(arena_alloc(&a, 64) == NULL, "arena: overflow returns NULL");
	ok(arena_alloc(&a, 32) != NULL, "arena: the rest is still usable");
}

static void bad_id(const char *id, const char *want)
{
	struct rt_err err = { 0 };

	is_str(spec_validate_id(id, &err) < 0 ? err.msg : "(accepted)", want, "id refused: %.20s",
	       id);
}

static void test_ids(void)
{
	struct rt_err err = { 0 };
	char longid[1100];

	is_int(spec_validate_id("abc", &err), 0, "id: abc");
	is_int(spec_validate_id("A-1_b.c+d", &err), 0, "id: every allowed character");
	is_int(spec_validate_id("...", &err), 0, "id: ... is a valid name");
	memset(longid, 'x', 255);
	longid[255] = '\0';
	is_int(spec_validate_id(longid, &err), 0, "id: 255 bytes (NAME_MAX)");
	longid[255] = 'x';
	longid[256] = '\0';
	bad_id(longid, "invalid container id: longer than 255 bytes");
	/* the length is checked first: a long bad id is refused whole, not cut off */
	memset(longid, '/', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	bad_id(longid, "invalid container id: longer than 255 bytes");
	bad_id("", "invalid container id \"\": must not be empty");
	bad_id(".", "invalid container id \".\": must not be \".\" or \"..\"");
	bad_id("..", "invalid container id \"..\": must not be \".\" or \"..\"");
	bad_id("a/b", "invalid container id \"a/b\": must match ^[A-Za-z0-9_+.-]+$");
	bad_id("a b", "invalid container id \"a b\": must match ^[A-Za-z0-9_+.-]+$");
	bad_id("caf\xc3\xa9",
	       "invalid container id \"caf\xc3\xa9\": must match ^[A-Za-z0-9_+.-]+$");
}

static void test_names(void)
{
	is_str(spec_ns_name(NS_NET), "network", "ns name: network");
	is_str(spec_ns_name(NS_MNT), "mount", "ns name: mount");
	is_str(spec_ns_name(NS_USER), "user", "ns name: user");
	ok(spec_ns_name(NS_COUNT) == NULL, "ns name: out of range");
	is_str(spec_hook_name(HOOK_CREATE_RUNTIME), "createRuntime", "hook name: createRuntime");
	is_str(spec_hook_name(HOOK_POSTSTOP), "poststop", "hook name: poststop");
	ok(spec_hook_name(HOOK_COUNT) == NULL, "hook name: out of range");
}

int main(void)
{
	test_runc_default();
	test_maximal();
	test_bad();
	test_accepted();
	test_nulls_and_escapes();
	test_relative_root();
	test_process_doc();
	test_load();
	test_many_mounts();
	test_arena();
	test_ids();
	test_names();
	return tap_done();
}
